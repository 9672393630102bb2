/** Attachment bytes, stored under an internal key (in the database or a folder). */
import { Context, type Effect, type Option } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export interface BlobStoreShape {
  readonly put: (workspaceId: WorkspaceId, key: string, bytes: Uint8Array) => Effect.Effect<void, StoreError>
  readonly get: (workspaceId: WorkspaceId, key: string) => Effect.Effect<Option.Option<Uint8Array>, StoreError>
}

export class BlobStore extends Context.Service<BlobStore, BlobStoreShape>()("@portal/core/BlobStore") {}
