/**
 * Server-side sessions (P-AUTH-6). Only a hash of the token is stored; idle and absolute
 * expiry are enforced by the use-case on every read.
 */
import { Context, type Effect, type Option } from "effect"
import type { IsoTime, WorkspaceId } from "../domain/Ids.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export interface Session {
  readonly tokenHash: string
  readonly workspaceId: WorkspaceId
  readonly subject: { readonly type: "contact" | "agent"; readonly id: string }
  readonly createdAt: IsoTime
  readonly lastSeenAt: IsoTime
  readonly absoluteExpiresAt: IsoTime
}

export interface SessionCutoffs {
  readonly now: IsoTime
  readonly idleBefore: IsoTime
  readonly createdBefore: IsoTime
}

export interface SessionStoreShape {
  readonly create: (session: Session) => Effect.Effect<void, StoreError>
  readonly get: (tokenHash: string) => Effect.Effect<Option.Option<Session>, StoreError>
  readonly touch: (tokenHash: string, at: IsoTime) => Effect.Effect<void, StoreError>
  readonly remove: (tokenHash: string) => Effect.Effect<void, StoreError>
  /** End every session of a subject in a workspace (a password change signs out everywhere). */
  readonly removeAllOf: (workspaceId: WorkspaceId, subject: Session["subject"]) => Effect.Effect<void, StoreError>
  /**
   * Housekeeping (issue 12): delete up to `limit` of the workspace's sessions that are over by
   * `sessionExpired` (core's rule) at the cutoffs core computed from it: stored absolute end at or
   * before `now`, started at or before `createdBefore`, or last seen (and started) at or before
   * `idleBefore`. Returns how many were deleted (fewer than `limit`: nothing more to delete).
   */
  readonly pruneExpired: (
    workspaceId: WorkspaceId,
    cutoffs: SessionCutoffs,
    limit: number,
  ) => Effect.Effect<number, StoreError>
}

export class SessionStore extends Context.Service<SessionStore, SessionStoreShape>()("@portal/core/SessionStore") {}
