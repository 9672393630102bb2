/**
 * Sessions at the edge (P-AUTH-6), over core's session use-cases (usecases/Sessions.ts: random
 * token, only its SHA-256 stored, idle and absolute expiry checked and touched on every read):
 * - every sign-in makes a new token and drops the session the browser had (no fixation);
 * - a token of another workspace is no session here;
 * - when a session has ended, the reason ("idle" or "absolute") is reported once, so a page can
 *   say "signed out after inactivity";
 * - an agent's permissions are read from the catalog on every request, so a revoked permission
 *   or a removed agent takes effect at once; a removed contact ends the session.
 */
import {
  type Clock,
  Clock as ClockKey,
  type ContactId,
  ContactStore,
  endSession as coreEndSession,
  resolveSession as coreResolveSession,
  startSession as coreStartSession,
  hashToken,
  type SessionStore,
  SessionStore as SessionStoreKey,
  type StoreError,
  sessionExpired,
  type WorkspaceId,
  WorkspaceStore,
} from "@portal/core"
import { Effect, Option } from "effect"
import type { SessionEnded, SessionInfo, Subject } from "./context.ts"

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

export type SessionLookup =
  | { readonly _tag: "None" }
  | { readonly _tag: "Ended"; readonly reason: Exclude<SessionEnded, null> }
  | { readonly _tag: "Active"; readonly session: SessionInfo }

const none: SessionLookup = { _tag: "None" }
/** Long enough that only the absolute limit can end a session (to tell the two reasons apart). */
const NO_IDLE_LIMIT_MINUTES = 100 * 365 * 24 * 60

/** The live session of a cookie token on this workspace, or why there is none. */
export const resolveSession = (
  workspaceId: WorkspaceId,
  token: string,
  idleTimeoutMinutes: number,
  absoluteHours: number,
): Effect.Effect<SessionLookup, StoreError, SessionStore | Clock | WorkspaceStore | ContactStore> =>
  Effect.gen(function* () {
    const before = yield* (yield* SessionStoreKey).get(yield* hashToken(token))
    if (Option.isNone(before) || before.value.workspaceId !== workspaceId) return none
    const live = yield* coreResolveSession(token, idleTimeoutMinutes, absoluteHours)
    if (Option.isNone(live)) {
      const now = yield* (yield* ClockKey).now()
      const reason = sessionExpired(before.value, now, NO_IDLE_LIMIT_MINUTES, absoluteHours) ? "absolute" : "idle"
      return { _tag: "Ended", reason } as const
    }
    const subject = yield* subjectOf(workspaceId, live.value.subject)
    if (subject === null) {
      yield* coreEndSession(token)
      return none
    }
    const idleEnd = Date.parse(live.value.lastSeenAt) + idleTimeoutMinutes * 60_000
    const absoluteEnd = Math.min(
      Date.parse(live.value.absoluteExpiresAt),
      Date.parse(live.value.createdAt) + absoluteHours * 3_600_000,
    )
    return {
      _tag: "Active",
      session: {
        token,
        tokenHash: live.value.tokenHash,
        subject,
        idleExpiresAt: new Date(idleEnd).toISOString(),
        absoluteExpiresAt: new Date(absoluteEnd).toISOString(),
      },
    } as const
  })

/** The subject as it is now: an agent with current permissions; null if it no longer exists. */
const subjectOf = (
  workspaceId: WorkspaceId,
  stored: { readonly type: "contact" | "agent"; readonly id: string },
): Effect.Effect<Subject | null, StoreError, WorkspaceStore | ContactStore> =>
  Effect.gen(function* () {
    if (stored.type === "contact") {
      const contact = yield* (yield* ContactStore).findById(workspaceId, stored.id as ContactId)
      return Option.isSome(contact) ? { type: "contact", id: stored.id } : null
    }
    const catalog = yield* (yield* WorkspaceStore).catalog(workspaceId)
    if (Option.isNone(catalog)) return null
    const agent = catalog.value.agents.find((a) => a.id === stored.id)
    return agent === undefined ? null : { type: "agent", id: agent.id, permissions: agent.permissions ?? [] }
  })

/** Sign-out: the server session is deleted, not only the cookie. */
export const endSession = (token: string): Effect.Effect<void, StoreError, SessionStore> => coreEndSession(token)
