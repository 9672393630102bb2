/**
 * Attachment bytes, stored under an internal key (in the database or a folder).
 *
 * A blob can outlive the need for it: a reply stores its files before the transaction that ties
 * them to the message, so a failed transaction, or an idempotent retry that stored the bytes
 * again, leaves blobs no attachment references. `deleteOrphans` removes those, but only the ones
 * stored before a cutoff: a reply in flight has stored its blobs and not yet its attachments, so
 * the cutoff must lie well in the past (usecases/OrphanBlobs.ts keeps one hour).
 */
import { Context, type Effect, type Option } from "effect"
import type { IsoTime, WorkspaceId } from "../domain/Ids.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export interface BlobStoreShape {
  /** Store the bytes under the key (replacing any); the blob counts as stored now. */
  readonly put: (workspaceId: WorkspaceId, key: string, bytes: Uint8Array) => Effect.Effect<void, StoreError>
  readonly get: (workspaceId: WorkspaceId, key: string) => Effect.Effect<Option.Option<Uint8Array>, StoreError>
  /**
   * Delete the workspace's blobs that no attachment of the workspace references and that were
   * stored (last put) before `storedBefore`; returns how many were deleted. Other workspaces
   * and referenced or younger blobs are untouched. The store times a blob by its own clock
   * (the database's for PostgreSQL), so the cutoff should leave a margin for clock skew.
   */
  readonly deleteOrphans: (workspaceId: WorkspaceId, storedBefore: IsoTime) => Effect.Effect<number, StoreError>
}

export class BlobStore extends Context.Service<BlobStore, BlobStoreShape>()("@portal/core/BlobStore") {}
