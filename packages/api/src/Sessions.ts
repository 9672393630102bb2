/**
 * Sessions at the edge (P-AUTH-6), over core's session use-cases (usecases/Sessions.ts: random
 * token, only its SHA-256 stored): every sign-in makes a new token and drops the session the
 * browser had (no fixation); sign-out deletes the server session. Reading a request's session
 * (expiry, the reason it ended, the subject as it is now) is core's `resolveCaller`
 * (usecases/Callers.ts), called once per request by createContext.
 */
import type { WorkspaceId } from "@portal/core/domain"
import type { Clock, SessionStore, StoreError } from "@portal/core/ports"
import { endSession as coreEndSession, startSession as coreStartSession } from "@portal/core/usecases"
import { Effect } from "effect"

export const SESSION_COOKIE = "portal_session"

export interface StartedSession {
  readonly token: string
  readonly absoluteExpiresAt: string
}

/** Start a session for a subject; ends the browser's previous session first. */
export const signInSession = (
  workspaceId: WorkspaceId,
  subject: { readonly type: "contact" | "agent"; readonly id: string },
  absoluteHours: number,
  previousToken: string | null,
): Effect.Effect<StartedSession, StoreError, SessionStore | Clock> =>
  Effect.gen(function* () {
    if (previousToken !== null) yield* coreEndSession(previousToken)
    const { token, session } = yield* coreStartSession(
      { workspaceId, type: subject.type, id: subject.id },
      absoluteHours,
    )
    return { token, absoluteExpiresAt: session.absoluteExpiresAt }
  })

/** Sign-out: the server session is deleted, not only the cookie. */
export const endSession = (token: string): Effect.Effect<void, StoreError, SessionStore> => coreEndSession(token)
