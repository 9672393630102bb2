/**
 * Housekeeping (issue 12; `portal gc`, and hourly in `portal start`, with the orphan blobs): delete
 * the rows nothing will read again, in batches (each port call deletes at most `batch` rows by an
 * index, and the use-case calls again until a call deletes fewer), so no run holds a long lock:
 * - sessions over by `sessionExpired` (the read path's rule) at `now - SESSION_PRUNE_GRACE_MS`, per
 *   workspace with its idle timeout: the grace keeps a just-expired session long enough for its
 *   next request to say "your session ended" (the read path removes it then);
 * - single-use keys past their expiry, tokens used or expired, pending registrations expired, and
 *   rate-limit rows whose window is over (SecurityStore.pruneExpired);
 * - idempotency keys first used more than `IDEMPOTENCY_RETENTION_MS` ago (7 days: longer than any
 *   client's or mail server's retry, so a retry within it still gets its first result);
 * - notification mails sent more than `SENT_MAIL_RETENTION_MS` ago (30 days); pending and failed
 *   mails stay (the worker and the admins need them).
 */
import { Effect, Option } from "effect"
import { type IsoTime, timeMs, type WorkspaceId } from "../domain/Ids.ts"
import { OutboxStore } from "../ports/Outbox.ts"
import { type SecurityPruneCounts, SecurityStore } from "../ports/SecurityStore.ts"
import { type SessionCutoffs, SessionStore } from "../ports/SessionStore.ts"
import { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock } from "../ports/System.ts"
import { TicketStore } from "../ports/TicketStore.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { DEFAULT_ABSOLUTE_SESSION_HOURS, HOUR_MS, MINUTE_MS } from "../rules/Session.ts"

export const SESSION_PRUNE_GRACE_MS = 24 * HOUR_MS
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * HOUR_MS
export const SENT_MAIL_RETENTION_MS = 30 * 24 * HOUR_MS
export const HOUSEKEEPING_BATCH = 1000
/** The longest idle timeout the settings allow: used for a workspace without settings. */
const LONGEST_IDLE_MINUTES = 1440

export interface HousekeepingReport extends SecurityPruneCounts {
  readonly sessions: number
  readonly idempotencyKeys: number
  readonly sentMails: number
}

const iso = (ms: number): IsoTime => new Date(ms).toISOString() as IsoTime

/**
 * The cutoffs at which `sessionExpired(session, at, idleMinutes, absoluteHours)` holds for a
 * session with canonical times: idle since `idleBefore`, started by `createdBefore`, or past its
 * stored end (`now` = at).
 */
export const sessionCutoffs = (at: IsoTime, idleMinutes: number, absoluteHours: number): SessionCutoffs => ({
  now: at,
  idleBefore: iso(timeMs(at) - idleMinutes * MINUTE_MS),
  createdBefore: iso(timeMs(at) - absoluteHours * HOUR_MS),
})

/** Calls `step` with `batch` until it deletes fewer; the total. */
const drain = <E, R>(step: (batch: number) => Effect.Effect<number, E, R>, batch: number) =>
  Effect.gen(function* () {
    let total = 0
    for (;;) {
      const n = yield* step(batch)
      total += n
      if (n < batch) return total
    }
  })

export const runHousekeeping = (
  options: { readonly batch?: number; readonly absoluteHours?: number } = {},
): Effect.Effect<
  HousekeepingReport,
  StoreError,
  WorkspaceStore | SettingsStore | SessionStore | SecurityStore | TicketStore | OutboxStore | Clock
> =>
  Effect.gen(function* () {
    const batch = Math.max(1, options.batch ?? HOUSEKEEPING_BATCH)
    const absoluteHours = options.absoluteHours ?? DEFAULT_ABSOLUTE_SESSION_HOURS
    const now = yield* (yield* Clock).now()
    const nowMs = timeMs(now)
    const sessions = yield* SessionStore
    const settings = yield* SettingsStore
    const security = yield* SecurityStore
    let sessionCount = 0
    const workspaceIds: ReadonlyArray<WorkspaceId> = yield* (yield* WorkspaceStore).listWorkspaceIds()
    for (const workspaceId of workspaceIds) {
      const stored = yield* settings.get(workspaceId)
      const idle = Option.match(stored, {
        onNone: () => LONGEST_IDLE_MINUTES,
        onSome: (v) => v.settings.idleTimeoutMinutes,
      })
      const cutoffs = sessionCutoffs(iso(nowMs - SESSION_PRUNE_GRACE_MS), idle, absoluteHours)
      sessionCount += yield* drain((n) => sessions.pruneExpired(workspaceId, cutoffs, n), batch)
    }
    const counts = { singleUseKeys: 0, tokens: 0, pendingRegistrations: 0, rateLimits: 0 }
    for (;;) {
      const c = yield* security.pruneExpired(now, batch)
      counts.singleUseKeys += c.singleUseKeys
      counts.tokens += c.tokens
      counts.pendingRegistrations += c.pendingRegistrations
      counts.rateLimits += c.rateLimits
      if (Math.max(c.singleUseKeys, c.tokens, c.pendingRegistrations, c.rateLimits) < batch) break
    }
    const tickets = yield* TicketStore
    const idempotencyKeys = yield* drain(
      (n) => tickets.pruneIdempotencyKeys(nowMs - IDEMPOTENCY_RETENTION_MS, n),
      batch,
    )
    const outbox = yield* OutboxStore
    const sentMails = yield* drain((n) => outbox.pruneSent(nowMs - SENT_MAIL_RETENTION_MS, n), batch)
    return { sessions: sessionCount, ...counts, idempotencyKeys, sentMails }
  })
