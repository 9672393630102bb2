/**
 * Housekeeping (issue 12): what each store's prune deletes and what it keeps, by property
 * (fast-check over generated expiry times against a generated clock), in batches of a generated
 * size (no call deletes more than its limit; the calls go on until one deletes fewer).
 * The security, idempotency and outbox prunes are global (every workspace), so what they keep is
 * observed through the ports on this test's own rows only: a key claimed again, a token or pending
 * registration created again under the same hash (refused while the old row exists), a rate limit
 * hit again in the old window (counts on from the old row, or starts at 1), a retried reply.
 */
import { type IsoTime, timeMs, type WorkspaceId } from "@portal/core/domain"
import { OutboxStore, SecurityStore, type Session, SessionStore, TicketStore } from "@portal/core/ports"
import { sessionExpired } from "@portal/core/rules"
import { sessionCutoffs } from "@portal/core/usecases"
import { Effect, Option } from "effect"
import fc from "fast-check"
import { expect } from "vitest"
import { fixtures, message, replyTo } from "./Fixtures.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const BASE = Date.parse("2026-10-01T00:00:00.000Z")
const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString() as IsoTime
/** Offsets within four days of BASE, on a 1 ms grid near the boundaries too. */
const offset = fc.oneof(
  fc.integer({ min: 0, max: 96 * HOUR }),
  fc.integer({ min: 0, max: 96 }).map((h) => h * HOUR),
)

/** Calls `step(limit)` until it returns fewer than `limit`; every return is at most `limit`. */
const drain = async (step: () => Promise<number>, limit: number) => {
  let total = 0
  for (;;) {
    const n = await step()
    expect(n).toBeLessThanOrEqual(limit)
    total += n
    if (n < limit) return total
  }
}

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "Housekeeping", makeLayer, options, (h) => {
    const runs = Math.min(options.numRuns ?? 20, 20)
    let round = 0

    h.test(
      "issue 12: SessionStore.pruneExpired deletes exactly the workspace's sessions sessionExpired says are over",
      async () => {
        const sessionArb = fc.record({
          created: offset,
          seenAfter: fc.integer({ min: 0, max: 48 * HOUR }),
          absoluteAfter: fc.integer({ min: 1, max: 200 * HOUR }),
        })
        await fc.assert(
          fc.asyncProperty(
            fc.array(sessionArb, { minLength: 1, maxLength: 12 }),
            offset,
            fc.constantFrom(20, 40, 60, 1440),
            fc.integer({ min: 1, max: 168 }),
            fc.integer({ min: 1, max: 5 }),
            async (specs, at, idle, absoluteHours, limit) => {
              const r = ++round
              const ws = `hk-sessions-${h.nonce}-${r}` as WorkspaceId
              const other = `hk-sessions-other-${h.nonce}-${r}` as WorkspaceId
              const sessions: Array<Session> = specs.map((s, i) => ({
                tokenHash: `hk-${h.nonce}-${r}-${i}`,
                workspaceId: ws,
                subject: { type: "contact", id: `p${i}` },
                createdAt: iso(BASE + s.created),
                lastSeenAt: iso(BASE + s.created + s.seenAfter),
                absoluteExpiresAt: iso(BASE + s.created + s.absoluteAfter),
              }))
              // Another workspace's session, over by every rule: never touched by this workspace's prune.
              const foreign: Session = {
                ...sessions[0]!,
                tokenHash: `hk-${h.nonce}-${r}-other`,
                workspaceId: other,
                createdAt: iso(BASE - 1000 * HOUR),
                lastSeenAt: iso(BASE - 1000 * HOUR),
                absoluteExpiresAt: iso(BASE - 999 * HOUR),
              }
              for (const s of [...sessions, foreign]) await h.run(use(SessionStore, (st) => st.create(s)))
              const now = iso(BASE + at)
              const cutoffs = sessionCutoffs(now, idle, absoluteHours)
              const over = sessions.filter((s) => sessionExpired(s, now, idle, absoluteHours))
              const removed = await drain(
                () => h.run(use(SessionStore, (st) => st.pruneExpired(ws, cutoffs, limit))),
                limit,
              )
              expect(removed).toBe(over.length)
              for (const s of sessions) {
                const found = await h.run(use(SessionStore, (st) => st.get(s.tokenHash)))
                expect(Option.isSome(found)).toBe(!over.includes(s))
              }
              expect(Option.isSome(await h.run(use(SessionStore, (st) => st.get(foreign.tokenHash))))).toBe(true)
            },
          ),
          { numRuns: runs },
        )
      },
      120_000,
    )

    h.test(
      "issue 12: SecurityStore.pruneExpired deletes expired single-use keys, used or expired tokens, expired pending registrations and ended rate-limit windows, and nothing else",
      async () => {
        const item = fc.record({
          expires: offset,
          used: fc.boolean(),
          windowSeconds: fc.constantFrom(60, 900, 3600),
          hits: fc.integer({ min: 1, max: 3 }),
        })
        await fc.assert(
          fc.asyncProperty(
            fc.array(item, { minLength: 1, maxLength: 6 }),
            offset,
            fc.integer({ min: 1, max: 4 }),
            async (items, at, limit) => {
              const r = ++round
              const ws = `hk-security-${h.nonce}-${r}` as WorkspaceId
              const nowMs = BASE + at
              const key = (i: number) => `hk-${h.nonce}-${r}-${i}`
              for (const [i, it] of items.entries()) {
                const expiresAt = iso(BASE + it.expires)
                await h.run(use(SecurityStore, (s) => s.claimOnce(ws, "jti", key(i), expiresAt)))
                const token = {
                  workspaceId: ws,
                  purpose: "passwordReset" as const,
                  tokenHash: key(i),
                  contactId: `p${i}` as never,
                  expiresAt,
                }
                await h.run(use(SecurityStore, (s) => s.createToken(token)))
                if (it.used)
                  await h.run(
                    use(SecurityStore, (s) => s.consumeToken(ws, "passwordReset", key(i), iso(BASE + it.expires - 1))),
                  )
                await h.run(use(SecurityStore, (s) => s.createPendingRegistration(pending(ws, key(i), expiresAt))))
                // A window containing BASE + expires: it ends at the next multiple of the window.
                for (let n = 0; n < it.hits; n++)
                  await h.run(use(SecurityStore, (s) => s.hitRateLimit(key(i), it.windowSeconds, 100, expiresAt)))
              }
              const counts = { k: 0, t: 0, p: 0, r: 0 }
              for (;;) {
                const c = await h.run(use(SecurityStore, (s) => s.pruneExpired(iso(nowMs), limit)))
                for (const n of [c.singleUseKeys, c.tokens, c.pendingRegistrations, c.rateLimits])
                  expect(n).toBeLessThanOrEqual(limit)
                counts.k += c.singleUseKeys
                counts.t += c.tokens
                counts.p += c.pendingRegistrations
                counts.r += c.rateLimits
                if (Math.max(c.singleUseKeys, c.tokens, c.pendingRegistrations, c.rateLimits) < limit) break
              }
              let expected = { k: 0, t: 0, p: 0, r: 0 }
              for (const [i, it] of items.entries()) {
                const expiresMs = BASE + it.expires
                const expired = expiresMs <= nowMs
                const windowMs = it.windowSeconds * 1000
                const windowEnd = Math.floor(expiresMs / windowMs) * windowMs + windowMs
                const rateGone = windowEnd <= nowMs
                expected = {
                  k: expected.k + (expired ? 1 : 0),
                  t: expected.t + (expired || it.used ? 1 : 0),
                  p: expected.p + (expired ? 1 : 0),
                  r: expected.r + (rateGone ? 1 : 0),
                }
                const expiresAt = iso(expiresMs)
                // Claimable again only once its row is gone.
                expect(await h.run(use(SecurityStore, (s) => s.claimOnce(ws, "jti", key(i), expiresAt)))).toBe(expired)
                const again = {
                  workspaceId: ws,
                  purpose: "passwordReset" as const,
                  tokenHash: key(i),
                  contactId: `p${i}` as never,
                  expiresAt,
                }
                const tokenExit = await h.run(Effect.exit(use(SecurityStore, (s) => s.createToken(again))))
                expect(tokenExit._tag === "Success").toBe(expired || it.used)
                const pendingExit = await h.run(
                  Effect.exit(use(SecurityStore, (s) => s.createPendingRegistration(pending(ws, key(i), expiresAt)))),
                )
                expect(pendingExit._tag === "Success").toBe(expired)
                const hit = await h.run(
                  use(SecurityStore, (s) => s.hitRateLimit(key(i), it.windowSeconds, 100, expiresAt)),
                )
                expect(hit.count).toBe(rateGone ? 1 : it.hits + 1)
              }
              // Other tests' rows may be pruned too (the prune is global): at least this test's.
              expect(counts.k).toBeGreaterThanOrEqual(expected.k)
              expect(counts.t).toBeGreaterThanOrEqual(expected.t)
              expect(counts.p).toBeGreaterThanOrEqual(expected.p)
              expect(counts.r).toBeGreaterThanOrEqual(expected.r)
            },
          ),
          { numRuns: runs },
        )
      },
      120_000,
    )

    const f = fixtures(h, "housekeeping")

    h.test(
      "issue 12: TicketStore.pruneIdempotencyKeys deletes keys claimed at or before the cutoff only; a retry after that is a new request",
      async () => {
        const ws = (await f.workspace()).id
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), async (n, limit) => {
            const r = ++round
            const key = (i: number) => `hk-idem-${h.nonce}-${r}-${i}`
            const reply = (i: number, id: string) =>
              h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message(id), key(i), `ev-${id}`))))
            const before = Date.now() - 60_000
            for (let i = 0; i < n; i++) expect((await reply(i, `hk-m-${h.nonce}-${r}-${i}`)).duplicate).toBe(false)
            // A cutoff before they were claimed keeps them: the same request again is a duplicate.
            await drain(() => h.run(use(TicketStore, (s) => s.pruneIdempotencyKeys(before, limit))), limit)
            for (let i = 0; i < n; i++) expect((await reply(i, `hk-m2-${h.nonce}-${r}-${i}`)).duplicate).toBe(true)
            // A cutoff after: gone (at least these n), and the key is new again.
            const removed = await drain(
              () => h.run(use(TicketStore, (s) => s.pruneIdempotencyKeys(Date.now() + 60_000, limit))),
              limit,
            )
            expect(removed).toBeGreaterThanOrEqual(n)
            for (let i = 0; i < n; i++) expect((await reply(i, `hk-m3-${h.nonce}-${r}-${i}`)).duplicate).toBe(false)
          }),
          { numRuns: Math.min(runs, 8) },
        )
      },
      120_000,
    )

    h.test(
      "issue 12: OutboxStore.pruneSent deletes mails sent at or before the cutoff; pending, sending, failed and later mails stay",
      async () => {
        const ws = (await f.workspace()).id
        const fate = fc.record({
          status: fc.constantFrom("sent", "failed", "pending", "sending"),
          sentAt: offset,
        })
        await fc.assert(
          fc.asyncProperty(
            fc.array(fate, { minLength: 1, maxLength: 8 }),
            // A cutoff of its own, or exactly one mail's send time (the boundary: that mail goes).
            fc.oneof(
              offset.map((ms) => ({ ms })),
              fc.nat().map((pick) => ({ pick })),
            ),
            fc.integer({ min: 1, max: 4 }),
            async (fates, cutoffArb, limit) => {
              const cutoff = "ms" in cutoffArb ? cutoffArb.ms : fates[cutoffArb.pick % fates.length]!.sentAt
              const r = ++round
              const event = (i: number) => `hk-mail-${h.nonce}-${r}-${i}`
              const mails = fates.map((_, i) => ({
                eventId: event(i),
                ticketId: "t1" as never,
                contactId: "p1" as never,
                kind: "agentMessage" as const,
                content: { to: "p1@example.test", subject: "s", text: "t", html: "<p>t</p>", headers: {} },
              }))
              await h.run(use(OutboxStore, (s) => s.commit(`hk-${h.nonce}-${r}`, ws, 0, 1, mails, 0)))
              const listed = async () =>
                (await h.run(use(OutboxStore, (s) => s.list(ws, 10_000)))).filter((m) =>
                  m.eventId.startsWith(`hk-mail-${h.nonce}-${r}-`),
                )
              const ids = new Map((await listed()).map((m) => [m.eventId, m.id]))
              const claimed = await h.run(use(OutboxStore, (s) => s.claim(1, 60_000, 10_000)))
              const mine = new Set(claimed.map((m) => m.id))
              for (const [i, x] of fates.entries()) {
                const id = ids.get(event(i))!
                expect(mine.has(id)).toBe(true)
                if (x.status === "sent") await h.run(use(OutboxStore, (s) => s.markSent(id, BASE + x.sentAt)))
                if (x.status === "failed") await h.run(use(OutboxStore, (s) => s.markFailed(id, "no", null)))
                if (x.status === "pending") await h.run(use(OutboxStore, (s) => s.markFailed(id, "retry", 10)))
              }
              await drain(() => h.run(use(OutboxStore, (s) => s.pruneSent(BASE + cutoff, limit))), limit)
              const left = new Set((await listed()).map((m) => m.eventId))
              for (const [i, x] of fates.entries())
                expect(left.has(event(i))).toBe(!(x.status === "sent" && x.sentAt <= cutoff))
            },
          ),
          { numRuns: runs },
        )
      },
      120_000,
    )
  })

const pending = (workspaceId: WorkspaceId, tokenHash: string, expiresAt: IsoTime) => ({
  workspaceId,
  tokenHash,
  email: `${tokenHash}@example.test`,
  passwordHash: "x",
  firstName: "A",
  lastName: "B",
  consent: null,
  createdAt: iso(timeMs(expiresAt) - HOUR),
  expiresAt,
})
