/**
 * SecurityStore: single-use keys (claimOnce true, then false), single-use expiring tokens, and
 * fixed rate-limit windows aligned to the Unix epoch (the window of `now` starts at
 * floor(now / window) · window; a denied hit still counts; retryAfterSeconds is the rest of the
 * window, rounded up, and 0 when allowed).
 */
import { type IsoTime, SecurityStore } from "@portal/core"
import { Option } from "effect"
import { expect } from "vitest"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const at = (t: string) => t as IsoTime

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "SecurityStore", makeLayer, options, (h) => {
    const ws = `security-${h.nonce}` as never
    const other = `security-other-${h.nonce}` as never

    h.test("claimOnce is true the first time a key is claimed and false every later time", async () => {
      const claim = (w: never, ns: string, key: string) =>
        h.run(use(SecurityStore, (s) => s.claimOnce(w, ns, key, at("2026-10-01T10:00:00Z"))))
      expect(await claim(ws, "jwt", "jti-1")).toBe(true)
      expect(await claim(ws, "jwt", "jti-1")).toBe(false)
      expect(await claim(ws, "jwt", "jti-1")).toBe(false)
      expect(await claim(ws, "saml", "jti-1")).toBe(true)
      expect(await claim(other, "jwt", "jti-1")).toBe(true)
      expect(await claim(ws, "jwt", "jti-2")).toBe(true)
    })

    h.test("a token is consumed once, only before it expires, only for its purpose and workspace", async () => {
      const create = (tokenHash: string, purpose: "invitation" | "passwordReset" = "invitation") =>
        h.run(
          use(SecurityStore, (s) =>
            s.createToken({
              workspaceId: ws,
              purpose,
              tokenHash,
              contactId: "p1" as never,
              expiresAt: at("2026-10-01T10:00:00+09:00"),
            }),
          ),
        )
      const consume = (
        tokenHash: string,
        now: string,
        purpose: "invitation" | "passwordReset" = "invitation",
        w = ws,
      ) => h.run(use(SecurityStore, (s) => s.consumeToken(w, purpose, tokenHash, at(now))))
      await create("t-once")
      expect(await consume("t-once", "2026-10-01T00:59:59Z", "passwordReset")).toEqual(Option.none())
      expect(await consume("t-once", "2026-10-01T00:59:59Z", "invitation", other)).toEqual(Option.none())
      expect(await consume("t-once", "2026-10-01T00:59:59Z")).toEqual(Option.some("p1"))
      expect(await consume("t-once", "2026-10-01T00:59:59Z")).toEqual(Option.none())
      await create("t-late")
      // 10:00+09:00 is 01:00Z: expired at that instant and after.
      expect(await consume("t-late", "2026-10-01T01:00:00Z")).toEqual(Option.none())
      await create("t-reset", "passwordReset")
      expect(await consume("t-reset", "2026-10-01T09:59:00+09:00", "passwordReset")).toEqual(Option.some("p1"))
      expect(await consume("t-unknown", "2026-10-01T00:00:00Z")).toEqual(Option.none())
    })

    h.test("rate limits count hits in fixed windows and deny past the limit", async () => {
      const key = `signin:${h.nonce}`
      const hit = (now: string, k = key) => h.run(use(SecurityStore, (s) => s.hitRateLimit(k, 60, 3, at(now))))
      expect(await hit("2026-10-01T09:00:10Z")).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 })
      expect(await hit("2026-10-01T09:00:20Z")).toEqual({ allowed: true, count: 2, retryAfterSeconds: 0 })
      expect(await hit("2026-10-01T18:00:30+09:00")).toEqual({ allowed: true, count: 3, retryAfterSeconds: 0 })
      expect(await hit("2026-10-01T09:00:40.5Z")).toEqual({ allowed: false, count: 4, retryAfterSeconds: 20 })
      expect(await hit("2026-10-01T09:00:59Z")).toMatchObject({ allowed: false, count: 5, retryAfterSeconds: 1 })
      expect(await hit("2026-10-01T09:00:30Z", `${key}:other`)).toEqual({
        allowed: true,
        count: 1,
        retryAfterSeconds: 0,
      })
      expect(await hit("2026-10-01T09:01:00Z")).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 })
    })
  })
