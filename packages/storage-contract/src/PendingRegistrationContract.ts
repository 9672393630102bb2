/**
 * SecurityStore's pending self-registrations (P-AUTH-3): what is created comes back whole (the
 * consent copy too) when its link is used, once, only before it expires and only in its own
 * workspace; using one link ends every other pending registration of the same email (compared
 * case-insensitively) and no one else's; two concurrent uses of one link: exactly one wins.
 */
import type { IsoTime } from "@portal/core/domain"
import { type PendingRegistration, SecurityStore } from "@portal/core/ports"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const at = (t: string) => t as IsoTime

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "SecurityStore pending registrations", makeLayer, options, (h) => {
    const ws = `pending-${h.nonce}` as never
    const other = `pending-other-${h.nonce}` as never
    const pending = (tokenHash: string, edit: Partial<PendingRegistration> = {}): PendingRegistration => ({
      workspaceId: ws,
      tokenHash,
      email: `new-${h.nonce}@person.test`,
      passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
      firstName: "Nora",
      lastName: "",
      consent: {
        noticeText: "We process your data.",
        checkboxLabel: "I agree",
        legalUrl: null,
        textVersion: "v1-0123456789abcdef",
        givenAt: at("2026-10-01T09:00:00Z"),
      },
      createdAt: at("2026-10-01T09:00:00Z"),
      expiresAt: at("2026-10-02T09:00:00Z"),
      ...edit,
    })
    const create = (p: PendingRegistration) => h.run(use(SecurityStore, (s) => s.createPendingRegistration(p)))
    const consume = (tokenHash: string, now: string, w = ws) =>
      h.run(use(SecurityStore, (s) => s.consumePendingRegistration(w, tokenHash, at(now))))

    h.test("P-AUTH-3 a pending registration comes back whole, once, before it expires, in its workspace", async () => {
      const p = pending("h-once")
      await create(p)
      expect(await consume("h-once", "2026-10-01T10:00:00Z", other)).toEqual(Option.none())
      expect(await consume("h-once", "2026-10-01T10:00:00Z")).toEqual(Option.some(p))
      expect(await consume("h-once", "2026-10-01T10:00:00Z")).toEqual(Option.none())
      const noConsent = pending("h-no-consent", {
        email: `plain-${h.nonce}@person.test`,
        consent: null,
        lastName: "Ng",
      })
      await create(noConsent)
      expect(await consume("h-no-consent", "2026-10-01T10:00:00Z")).toEqual(Option.some(noConsent))
      expect(await consume("h-unknown", "2026-10-01T10:00:00Z")).toEqual(Option.none())
    })

    h.test("P-AUTH-3 a link stops working at its expiry instant", async () => {
      await create(
        pending("h-late", { email: `late-${h.nonce}@person.test`, expiresAt: at("2026-10-02T18:00:00+09:00") }),
      )
      // 18:00+09:00 is 09:00Z: expired at that instant.
      expect(await consume("h-late", "2026-10-02T09:00:00Z")).toEqual(Option.none())
      expect(await consume("h-late", "2026-10-02T08:59:59Z")).toMatchObject(
        Option.some({ tokenHash: "h-late" }) as never,
      )
    })

    h.test("P-AUTH-3 using one link ends the email's other links, and only those", async () => {
      const email = `twice-${h.nonce}@person.test`
      await create(pending("h-a", { email }))
      await create(pending("h-b", { email: email.toUpperCase() }))
      await create(pending("h-c", { email }))
      await create(pending("h-else", { email: `else-${h.nonce}@person.test` }))
      await create(pending("h-ws", { email, workspaceId: other }))
      expect(Option.isSome(await consume("h-b", "2026-10-01T10:00:00Z"))).toBe(true)
      expect(await consume("h-a", "2026-10-01T10:00:00Z")).toEqual(Option.none())
      expect(await consume("h-c", "2026-10-01T10:00:00Z")).toEqual(Option.none())
      expect(Option.isSome(await consume("h-else", "2026-10-01T10:00:00Z"))).toBe(true)
      expect(Option.isSome(await consume("h-ws", "2026-10-01T10:00:00Z", other))).toBe(true)
    })

    h.test("P-AUTH-3 two concurrent uses of one link: exactly one gets the registration", async () => {
      await create(pending("h-race", { email: `race-${h.nonce}@person.test` }))
      const once = use(SecurityStore, (s) => s.consumePendingRegistration(ws, "h-race", at("2026-10-01T10:00:00Z")))
      const results = await h.run(Effect.all([once, once, once], { concurrency: "unbounded" }))
      expect(results.filter(Option.isSome)).toHaveLength(1)
    })
  })
