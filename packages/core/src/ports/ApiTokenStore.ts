/**
 * Integration API tokens that a workspace's admins create in the settings screens (the Bearer
 * tokens of the `integration` router; docs/api.md). Only the token's SHA-256 (`tokenHash`, hex,
 * usecases/Tokens.ts) is stored, never the token: it is shown once, when created.
 * - `list` never returns a hash; `findActiveByHash` is the lookup of every integration call: by
 *   hash alone (the token names its workspace), revoked tokens excluded.
 * - `revoke` is for good: a revoked token is never found again. Revoking twice keeps the first time.
 * - `markUsed` writes the last-use time at most once per API_TOKEN_USE_INTERVAL_MS per token (the
 *   store compares, so concurrent nodes agree and a busy integration does not write on every call).
 * - A workspace never sees, revokes or marks another's tokens.
 */
import { Context, type Effect, type Option } from "effect"
import type { AgentId, IsoTime, WorkspaceId } from "../domain/Ids.ts"
import type { StoreError } from "./WorkspaceStore.ts"

/** What an admin sees of a token: never the token, never its hash. */
export interface ApiToken {
  readonly id: string
  readonly workspaceId: WorkspaceId
  /** The label the admin gave it ("CRM sync"). */
  readonly name: string
  readonly createdBy: AgentId
  readonly createdAt: IsoTime
  /** Updated at most once a minute; null until first used. */
  readonly lastUsedAt: IsoTime | null
  readonly revokedAt: IsoTime | null
}

/** A token to store: its hash, and neither last use nor revocation yet. */
export interface NewApiToken extends Omit<ApiToken, "lastUsedAt" | "revokedAt"> {
  readonly tokenHash: string
}

/** How stale the stored last-use time may get before a use writes it again. */
export const API_TOKEN_USE_INTERVAL_MS = 60_000

export interface ApiTokenStoreShape {
  /** Store a new token. A token id or hash that already exists is a StorageError. */
  readonly create: (token: NewApiToken) => Effect.Effect<void, StoreError>
  /** The workspace's tokens, revoked ones included, newest first (by creation order). */
  readonly list: (workspaceId: WorkspaceId) => Effect.Effect<ReadonlyArray<ApiToken>, StoreError>
  /** The unrevoked token with this hash, of any workspace; none otherwise. */
  readonly findActiveByHash: (tokenHash: string) => Effect.Effect<Option.Option<ApiToken>, StoreError>
  /**
   * Revoke the workspace's token `id` at `at` (an already revoked one keeps its time) and return
   * it; none when the workspace has no such token.
   */
  readonly revoke: (
    workspaceId: WorkspaceId,
    id: string,
    at: IsoTime,
  ) => Effect.Effect<Option.Option<ApiToken>, StoreError>
  /**
   * Record a use at `at` when the token is unrevoked and its last use is unknown or at least
   * API_TOKEN_USE_INTERVAL_MS before `at`; true when written.
   */
  readonly markUsed: (workspaceId: WorkspaceId, id: string, at: IsoTime) => Effect.Effect<boolean, StoreError>
}

export class ApiTokenStore extends Context.Service<ApiTokenStore, ApiTokenStoreShape>()("@portal/core/ApiTokenStore") {}
