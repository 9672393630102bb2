/**
 * SecurityStore: single-use keys (claimOnce true, then false), single-use expiring tokens, and
 * fixed rate-limit windows aligned to the Unix epoch (the window of `now` starts at
 * floor(now / window) · window; a denied hit still counts; retryAfterSeconds is the rest of the
 * window, rounded up, and 0 when allowed); a hit can be taken back within its window (P-SEC-4);
 * a token can be read without using it, and using one can end its contact's others (P-SEC-5).
 */
import type { IsoTime } from "@portal/core/domain"
import { SecurityStore } from "@portal/core/ports"
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

    h.test("P-SEC-5 findToken reads a usable token without using it", async () => {
      await h.run(
        use(SecurityStore, (s) =>
          s.createToken({
            workspaceId: ws,
            purpose: "passwordReset",
            tokenHash: "t-peek",
            contactId: "p7" as never,
            expiresAt: at("2026-10-01T10:00:00Z"),
          }),
        ),
      )
      const find = (now: string, purpose: "invitation" | "passwordReset" = "passwordReset", w = ws) =>
        h.run(use(SecurityStore, (s) => s.findToken(w, purpose, "t-peek", at(now))))
      expect(await find("2026-10-01T09:00:00Z")).toEqual(Option.some("p7"))
      expect(await find("2026-10-01T09:00:00Z")).toEqual(Option.some("p7"))
      expect(await find("2026-10-01T09:00:00Z", "invitation")).toEqual(Option.none())
      expect(await find("2026-10-01T09:00:00Z", "passwordReset", other)).toEqual(Option.none())
      expect(await find("2026-10-01T10:00:00Z")).toEqual(Option.none())
      expect(
        await h.run(
          use(SecurityStore, (s) => s.consumeToken(ws, "passwordReset", "t-peek", at("2026-10-01T09:00:00Z"))),
        ),
      ).toEqual(Option.some("p7"))
      expect(await find("2026-10-01T09:00:00Z")).toEqual(Option.none())
    })

    h.test(
      "P-SEC-5 using a token ends every other unused token of its contact, any purpose, in its workspace only",
      async () => {
        const create = (
          tokenHash: string,
          contactId: string,
          purpose: "invitation" | "passwordReset" = "passwordReset",
          w = ws,
        ) =>
          h.run(
            use(SecurityStore, (s) =>
              s.createToken({
                workspaceId: w,
                purpose,
                tokenHash,
                contactId: contactId as never,
                expiresAt: at("2026-10-01T10:00:00Z"),
              }),
            ),
          )
        await create("k-old", "p8")
        await create("k-new", "p8")
        await create("k-invite", "p8", "invitation")
        await create("k-someone", "p9")
        await create("k-elsewhere", "p8", "passwordReset", other)
        const now = at("2026-10-01T09:00:00Z")
        const end = (hash: string, purpose: "invitation" | "passwordReset" = "passwordReset") =>
          h.run(use(SecurityStore, (s) => s.consumeTokenEndingOthers(ws, purpose, hash, now)))
        const consume = (hash: string, purpose: "invitation" | "passwordReset" = "passwordReset", w = ws) =>
          h.run(use(SecurityStore, (s) => s.consumeToken(w, purpose, hash, now)))
        expect(await end("k-unknown")).toEqual(Option.none())
        expect(await end("k-new")).toEqual(Option.some("p8"))
        expect(await end("k-new")).toEqual(Option.none())
        expect(await consume("k-old")).toEqual(Option.none())
        expect(await consume("k-invite", "invitation")).toEqual(Option.none())
        // Another contact's token and the same contact id in another workspace are untouched.
        expect(await consume("k-someone")).toEqual(Option.some("p9"))
        expect(await consume("k-elsewhere", "passwordReset", other)).toEqual(Option.some("p8"))
        // An expired token ends nothing.
        await h.run(
          use(SecurityStore, (s) =>
            s.createToken({
              workspaceId: ws,
              purpose: "passwordReset",
              tokenHash: "k-stale",
              contactId: "p10" as never,
              expiresAt: at("2026-10-01T08:00:00Z"),
            }),
          ),
        )
        await create("k-live", "p10", "invitation")
        expect(await end("k-stale")).toEqual(Option.none())
        expect(await consume("k-live", "invitation")).toEqual(Option.some("p10"))
      },
    )

    h.test(
      "P-SEC-4 a hit taken back frees its place in the window, never below zero, never in a later window",
      async () => {
        const key = `undo:${h.nonce}`
        const hit = (now: string) => h.run(use(SecurityStore, (s) => s.hitRateLimit(key, 60, 2, at(now))))
        const undo = (now: string) => h.run(use(SecurityStore, (s) => s.undoRateLimitHit(key, 60, at(now))))
        await undo("2026-10-01T09:00:01Z")
        expect(await hit("2026-10-01T09:00:05Z")).toMatchObject({ count: 1, allowed: true })
        expect(await hit("2026-10-01T09:00:06Z")).toMatchObject({ count: 2, allowed: true })
        await undo("2026-10-01T09:00:07Z")
        expect(await hit("2026-10-01T09:00:08Z")).toMatchObject({ count: 2, allowed: true })
        await undo("2026-10-01T09:00:09Z")
        await undo("2026-10-01T09:00:09Z")
        await undo("2026-10-01T09:00:09Z")
        expect(await hit("2026-10-01T09:00:10Z")).toMatchObject({ count: 1, allowed: true })
        // A hit of this window is not taken back from the next one.
        await undo("2026-10-01T09:01:00Z")
        expect(await hit("2026-10-01T09:00:59Z")).toMatchObject({ count: 2 })
        expect(await hit("2026-10-01T09:01:01Z")).toMatchObject({ count: 1 })
        await undo("2026-10-01T09:00:59Z")
        expect(await hit("2026-10-01T09:01:02Z")).toMatchObject({ count: 2 })
      },
    )

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
