import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { IsoTime, WorkspaceId } from "../../src/domain/index.ts"
import { BlobStore, Clock, StorageError, WorkspaceStore } from "../../src/ports/index.ts"
import { ORPHAN_BLOB_GRACE_MS, removeOrphanBlobs } from "../../src/usecases/index.ts"

const NOW = "2026-10-01T09:00:00.000Z" as IsoTime

/** Stubs: two workspaces, a blob store that answers a fixed count per workspace and records its calls. */
const stubs = (removedBy: Record<string, number | "fail">) => {
  const calls: Array<{ workspaceId: string; storedBefore: string }> = []
  const layer = Layer.mergeAll(
    Layer.succeed(Clock, { now: () => Effect.succeed(NOW) }),
    Layer.succeed(WorkspaceStore, {
      listWorkspaceIds: () => Effect.succeed(Object.keys(removedBy) as Array<WorkspaceId>),
    } as unknown as WorkspaceStore["Service"]),
    Layer.succeed(BlobStore, {
      put: () => Effect.die("unused"),
      get: () => Effect.succeed(Option.none()),
      deleteOrphans: (workspaceId, storedBefore) => {
        calls.push({ workspaceId, storedBefore })
        const n = removedBy[workspaceId]
        return n === "fail"
          ? Effect.fail(new StorageError({ method: "BlobStore.deleteOrphans", cause: "down" }))
          : Effect.succeed(n ?? 0)
      },
    }),
  )
  return { calls, run: <A, E>(e: Effect.Effect<A, E, Layer.Success<typeof layer>>) => Effect.provide(e, layer) }
}

describe("removeOrphanBlobs", () => {
  it("asks every workspace for its orphans stored over an hour ago and adds up what went", async () => {
    const { calls, run } = stubs({ acme: 3, sakura: 0, other: 1 })
    const report = await Effect.runPromise(run(removeOrphanBlobs()))
    expect(ORPHAN_BLOB_GRACE_MS).toBe(3_600_000)
    expect(calls).toEqual(
      ["acme", "sakura", "other"].map((workspaceId) => ({ workspaceId, storedBefore: "2026-10-01T08:00:00.000Z" })),
    )
    expect(report).toEqual({
      storedBefore: "2026-10-01T08:00:00.000Z",
      removed: 4,
      byWorkspace: [
        { workspaceId: "acme", removed: 3 },
        { workspaceId: "other", removed: 1 },
      ],
    })
  })

  it("takes another grace period; a negative one counts as none", async () => {
    const { calls, run } = stubs({ acme: 0 })
    await Effect.runPromise(run(removeOrphanBlobs({ graceMs: 5 * 60_000 })))
    await Effect.runPromise(run(removeOrphanBlobs({ graceMs: -1 })))
    expect(calls.map((c) => c.storedBefore)).toEqual(["2026-10-01T08:55:00.000Z", NOW])
  })

  it("fails with the store's error", async () => {
    const { run } = stubs({ acme: "fail" })
    const exit = await Effect.runPromiseExit(run(removeOrphanBlobs()))
    expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))).toMatchObject({
      _tag: "StorageError",
      method: "BlobStore.deleteOrphans",
    })
  })
})
