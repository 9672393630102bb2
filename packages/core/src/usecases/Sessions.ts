/**
 * Server-side sessions (P-AUTH-6), shared by every node through the SessionStore.
 * - Starting a session returns a fresh random token for the cookie; the store keeps its hash only.
 * - Every read checks expiry (idle timeout from the portal settings, absolute lifetime) with the
 *   pure `sessionExpired` rule; an expired session is removed and reads as none. A live one is
 *   touched, which is what "idle" measures; at most once a minute, so a busy page does not
 *   write on every request (the idle timeouts are 20 minutes or more, so the minute is noise,
 *   and the server and the page both count from the stored time).
 * - Ending a session (sign-out from any page) removes it; ending an unknown one is not an error.
 */
import { Effect, Option } from "effect"
import { timeMs, type WorkspaceId } from "../domain/Ids.ts"
import { type Session, SessionStore } from "../ports/SessionStore.ts"
import { Clock } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { absoluteExpiry, DEFAULT_ABSOLUTE_SESSION_HOURS, sessionExpired } from "../rules/Session.ts"
import { hashToken, randomToken } from "./Tokens.ts"

export interface SessionSubject {
  readonly workspaceId: WorkspaceId
  readonly type: "contact" | "agent"
  readonly id: string
}

export const startSession = (
  subject: SessionSubject,
  absoluteHours: number = DEFAULT_ABSOLUTE_SESSION_HOURS,
): Effect.Effect<{ readonly token: string; readonly session: Session }, StoreError, SessionStore | Clock> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now()
    const token = yield* randomToken
    const session: Session = {
      tokenHash: yield* hashToken(token),
      workspaceId: subject.workspaceId,
      subject: { type: subject.type, id: subject.id },
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: absoluteExpiry(now, absoluteHours),
    }
    yield* (yield* SessionStore).create(session)
    return { token, session }
  })

/** How stale the stored last-seen time may get before a read writes it again. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000

/** The live session of a token, touched; none for an unknown or expired one (removed). */
export const resolveSession = (
  token: string,
  idleTimeoutMinutes: number,
  absoluteHours: number = DEFAULT_ABSOLUTE_SESSION_HOURS,
): Effect.Effect<Option.Option<Session>, StoreError, SessionStore | Clock> =>
  Effect.gen(function* () {
    const store = yield* SessionStore
    const hash = yield* hashToken(token)
    const found = yield* store.get(hash)
    if (Option.isNone(found)) return Option.none()
    const now = yield* (yield* Clock).now()
    if (sessionExpired(found.value, now, idleTimeoutMinutes, absoluteHours)) {
      yield* store.remove(hash)
      return Option.none()
    }
    if (timeMs(now) - timeMs(found.value.lastSeenAt) < SESSION_TOUCH_INTERVAL_MS) return found
    yield* store.touch(hash, now)
    return Option.some({ ...found.value, lastSeenAt: now })
  })

export const endSession = (token: string): Effect.Effect<void, StoreError, SessionStore> =>
  Effect.gen(function* () {
    yield* (yield* SessionStore).remove(yield* hashToken(token))
  })
