/**
 * Orphan blob cleanup (`portal gc`, and hourly in `portal start`): in every workspace, delete the
 * blobs no attachment references that were stored more than a grace period ago (BlobStore's
 * `deleteOrphans`). The grace period keeps a reply in flight safe: it stores its files first and
 * ties them to its message a moment later, so a blob younger than the grace period may still be
 * about to be referenced. One hour is far longer than any reply takes, and covers clock skew
 * between the nodes and the database.
 */
import { Effect } from "effect"
import { type IsoTime, timeMs, type WorkspaceId } from "../domain/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { Clock } from "../ports/System.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"

/** The default grace period: one hour. */
export const ORPHAN_BLOB_GRACE_MS = 60 * 60 * 1000

export interface OrphanBlobReport {
  /** Blobs stored before this time were eligible. */
  readonly storedBefore: IsoTime
  readonly removed: number
  /** Only the workspaces where something was removed. */
  readonly byWorkspace: ReadonlyArray<{ readonly workspaceId: WorkspaceId; readonly removed: number }>
}

/** Delete every workspace's orphan blobs older than `graceMs` (default one hour; at least 0). */
export const removeOrphanBlobs = (
  options: { readonly graceMs?: number } = {},
): Effect.Effect<OrphanBlobReport, StoreError, WorkspaceStore | BlobStore | Clock> =>
  Effect.gen(function* () {
    const graceMs = Math.max(0, options.graceMs ?? ORPHAN_BLOB_GRACE_MS)
    const now = yield* (yield* Clock).now()
    const storedBefore = new Date(timeMs(now) - graceMs).toISOString() as IsoTime
    const blobs = yield* BlobStore
    const workspaceIds = yield* (yield* WorkspaceStore).listWorkspaceIds()
    const byWorkspace: Array<{ workspaceId: WorkspaceId; removed: number }> = []
    for (const workspaceId of workspaceIds) {
      const removed = yield* blobs.deleteOrphans(workspaceId, storedBefore)
      if (removed > 0) byWorkspace.push({ workspaceId, removed })
    }
    return { storedBefore, removed: byWorkspace.reduce((n, w) => n + w.removed, 0), byWorkspace }
  })
