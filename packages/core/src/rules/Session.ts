/**
 * When a session ends by itself (P-AUTH-6).
 * - Idle: a session not used for the portal's idle timeout (20, 40 or 60 minutes, or 24 hours) is
 *   expired. The boundary counts as expired: at exactly `lastSeenAt + idle` the session is over.
 * - Absolute: however active, a session ends `absoluteHours` after it started, or at its stored
 *   `absoluteExpiresAt` if that comes first (settings changed since the sign-in must not extend it).
 * - Clock skew between nodes: a `lastSeenAt` after `now` counts as `now` (the absolute limit still
 *   ends the session); a `lastSeenAt` before `createdAt` counts as `createdAt`. Unparsable times
 *   expire the session: failing closed is the safe side.
 * Times are compared as instants (`timeMs`), never as strings.
 */
import { type IsoTime, timeMs } from "../domain/Ids.ts"
import type { Session } from "../ports/SessionStore.ts"

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS

/** Default absolute lifetime of a customer session: one week, even if used every day. */
export const DEFAULT_ABSOLUTE_SESSION_HOURS = 24 * 7

export const sessionExpired = (
  session: Pick<Session, "createdAt" | "lastSeenAt" | "absoluteExpiresAt">,
  now: IsoTime,
  idleTimeoutMinutes: number,
  absoluteHours: number,
): boolean => {
  const nowMs = timeMs(now)
  const created = timeMs(session.createdAt)
  const lastSeen = Math.min(Math.max(timeMs(session.lastSeenAt), created), nowMs)
  if (Number.isNaN(nowMs) || Number.isNaN(created) || Number.isNaN(lastSeen)) return true
  if (nowMs - lastSeen >= idleTimeoutMinutes * MINUTE_MS) return true
  if (nowMs - created >= absoluteHours * HOUR_MS) return true
  const stored = timeMs(session.absoluteExpiresAt)
  return Number.isNaN(stored) || nowMs >= stored
}

/** The absolute end of a session started at `createdAt`. */
export const absoluteExpiry = (createdAt: IsoTime, absoluteHours: number): IsoTime =>
  new Date(timeMs(createdAt) + absoluteHours * HOUR_MS).toISOString()
