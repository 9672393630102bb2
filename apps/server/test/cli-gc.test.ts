/**
 * Orphan blob cleanup: `portal gc` as a user runs it (`node apps/server/bin/portal.js gc`) on an
 * embedded PGlite data folder, and the hourly run of `portal start` (the scheduler, in-process on
 * the memory store with a short interval). Orphans are planted around the CLI through the
 * database itself (nothing else makes one on purpose), with their stored time set in the past.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { BlobStore, Clock, type IsoTime, StorageError, type WorkspaceId, WorkspaceStore } from "@portal/core"
import { type Driver, makePgliteDriver } from "@portal/storage-postgres"
import { Effect, Layer, Option } from "effect"
import { pino } from "pino"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { scheduleOrphanBlobCleanup } from "../src/cli/Gc.ts"
import { BIN, cliWithDataDir } from "./support/Cli.ts"
import { startWorld } from "./support/World.ts"

const { dataDir, env, run } = cliWithDataDir("portal-gc-")

/** Opens the data folder while no CLI process has it open. */
const withDatabase = async <A>(f: (db: Driver) => Promise<A>): Promise<A> => {
  const db = await makePgliteDriver(dataDir)
  try {
    return await f(db)
  } finally {
    await db.close()
  }
}

const blobKeys = () =>
  withDatabase(async (db) =>
    (await db.query<{ k: string }>("SELECT blob_key AS k FROM blobs WHERE workspace_id = 'acme' ORDER BY 1")).map(
      (r) => r.k,
    ),
  )

describe("portal gc", () => {
  it("deletes old orphan blobs only: referenced and younger ones stay; --grace-minutes moves the line", async () => {
    expect((await run(["migrate"])).code).toBe(0)
    const imported = await run(["import", join(REPO_ROOT, "demo", "acme.en.json")])
    expect(imported.code, imported.stderr).toBe(0)
    const referenced = await blobKeys()
    expect(referenced.length).toBeGreaterThan(0)
    await withDatabase(async (db) => {
      const plant = (key: string, age: string) =>
        db.query(
          "INSERT INTO blobs (workspace_id, blob_key, bytes, stored_at) VALUES ('acme', $1, '\\x01', now() - $2::interval)",
          [key, age],
        )
      await plant("upload/old-orphan", "2 hours")
      await plant("upload/recent-orphan", "10 minutes")
      // Referenced blobs count as old too: they must stay however old they are.
      await db.query("UPDATE blobs SET stored_at = now() - interval '3 days' WHERE blob_key LIKE 'import/%'")
    })

    const first = await run(["gc"])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe("")
    expect(first.stderr).toMatch(/removed 1 orphan blob\b/)
    expect(await blobKeys()).toEqual([...referenced, "upload/recent-orphan"].sort())

    const shorter = await run(["gc", "--grace-minutes", "5"])
    expect(shorter.code, shorter.stderr).toBe(0)
    expect(shorter.stderr).toMatch(/removed 1 orphan blob\b/)
    expect(await blobKeys()).toEqual(referenced)
  }, 120_000)

  it("refuses a bad --grace-minutes, and the memory store, with a usage error", async () => {
    const bad = await run(["gc", "--grace-minutes", "soon"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--grace-minutes/)
    const memory = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, "gc"], { cwd: REPO_ROOT, env: { ...env, PORTAL_STORAGE: "memory" } })
      child.on("close", resolve)
    })
    expect(memory).toBe(2)
  })
})

/** A pino logger whose JSON lines land in an array. */
const capturingLogger = () => {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) })
  return { lines, logger }
}

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out")
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe("the periodic cleanup of portal start", () => {
  it("runs on its timer, logs what it removed, and keeps referenced blobs", async () => {
    const world = await startWorld()
    try {
      const runtime = world.server.runtime
      const acme = "acme" as WorkspaceId
      await runtime.runPromise(BlobStore.use((b) => b.put(acme, "upload/orphan", new Uint8Array([1]))))
      const { lines, logger } = capturingLogger()
      // The world's clock runs two hours ahead, so the orphan just stored is past the grace hour.
      world.advanceClock(2 * 60 * 60 * 1000)
      const stop = scheduleOrphanBlobCleanup((cleanup) => runtime.runPromise(cleanup), logger, 20)
      try {
        await until(() => lines.some((l) => l.msg === "removed 1 orphan blob"))
      } finally {
        stop()
      }
      const logged = lines.find((l) => l.msg === "removed 1 orphan blob")
      expect(logged).toMatchObject({
        level: 30,
        gc: { removed: 1, byWorkspace: [{ workspaceId: "acme", removed: 1 }] },
      })
      expect(await runtime.runPromise(BlobStore.use((b) => b.get(acme, "upload/orphan")))).toEqual(Option.none())
      const referenced = world.db?.state.blobs.get("acme")?.size ?? 0
      expect(referenced).toBeGreaterThan(0)
      expect(world.db?.state.workspaces.get("acme")?.attachments.size).toBe(referenced)
    } finally {
      await world.close()
    }
  })

  it("logs a failure instead of throwing, and tries again on the next tick", async () => {
    let calls = 0
    const blobs = Layer.succeed(BlobStore, {
      put: () => Effect.void,
      get: () => Effect.succeed(Option.none()),
      deleteOrphans: () =>
        Effect.suspend(() => {
          calls++
          return Effect.fail(new StorageError({ method: "BlobStore.deleteOrphans", cause: "disk on fire" }))
        }),
    })
    const workspaces = Layer.succeed(WorkspaceStore, {
      listWorkspaceIds: () => Effect.succeed(["acme" as WorkspaceId]),
    } as unknown as WorkspaceStore["Service"])
    const clock = Layer.succeed(Clock, { now: () => Effect.succeed(new Date().toISOString() as IsoTime) })
    const { lines, logger } = capturingLogger()
    const unhandled: Array<unknown> = []
    const onUnhandled = (e: unknown) => void unhandled.push(e)
    process.on("unhandledRejection", onUnhandled)
    const stop = scheduleOrphanBlobCleanup(
      (cleanup) => Effect.runPromise(Effect.provide(cleanup, Layer.mergeAll(blobs, workspaces, clock))),
      logger,
      20,
    )
    try {
      await until(() => lines.filter((l) => l.level === 50).length >= 2)
    } finally {
      stop()
      process.off("unhandledRejection", onUnhandled)
    }
    expect(calls).toBeGreaterThanOrEqual(2)
    expect(lines.find((l) => l.level === 50)).toMatchObject({
      msg: expect.stringMatching(/orphan blob cleanup failed/),
      reason: "StorageError in BlobStore.deleteOrphans: disk on fire",
    })
    expect(unhandled).toEqual([])
  })
})
