/**
 * A lost connection is StorageUnavailable, never a crash or a plain StorageError, and the adapter
 * works again once the database is back: backends terminated mid-query (pg_terminate_backend),
 * and the whole server unreachable for a while (a proxy stopped, then started again).
 */

import { readFileSync } from "node:fs"
import type { WorkspaceId } from "@portal/core/domain"
import { StorageUnavailable, WorkspaceStore } from "@portal/core/ports"
import { importWorkspace } from "@portal/core/usecases"
import { layerSystemTest } from "@portal/storage-memory"
import { Effect, Exit, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Database, layerDatabase } from "../src/Database.ts"
import { layerPostgres, layerStores } from "../src/Layers.ts"
import { makePgDriver } from "../src/PgDriver.ts"
import { adminQuery, createTestDatabase, type TestDatabase } from "./support/Databases.ts"
import { server } from "./support/Drivers.ts"
import { startProxy, type TcpProxy } from "./support/Proxy.ts"

const acme = JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))
const listIds = WorkspaceStore.use((s) => s.listWorkspaceIds())
const catalog = WorkspaceStore.use((s) => s.catalog("acme" as WorkspaceId))

/** Retries an effect until it succeeds; every failure on the way must be StorageUnavailable. */
const untilBack = async <A, E>(run: () => Promise<Exit.Exit<A, E>>, attempts = 20) => {
  for (let i = 0; i < attempts; i++) {
    const exit = await run()
    if (Exit.isSuccess(exit)) return exit.value
    expect(Exit.findErrorOption(exit)).toMatchObject({ _tag: "Some", value: { _tag: "StorageUnavailable" } })
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error("the adapter did not recover")
}

describe.skipIf(!server.ok)("reconnecting (PostgreSQL server)", () => {
  let db: TestDatabase
  let proxy: TcpProxy
  beforeAll(async () => {
    db = await createTestDatabase()
    const url = new URL(db.url)
    proxy = await startProxy({ host: url.hostname, port: Number(url.port || 5432) })
  })
  afterAll(async () => {
    await proxy?.stop()
    await db?.drop()
  })

  it("a backend terminated in the middle of a query is StorageUnavailable; the next calls work", async () => {
    const layer = layerStores.pipe(
      Layer.provideMerge(layerDatabase(async () => makePgDriver({ connectionString: db.url }))),
    )
    const runtime = ManagedRuntime.make(layer)
    try {
      await runtime.runPromise(importWorkspace(acme).pipe(Effect.provide(layerSystemTest())))
      const slow = runtime.runPromiseExit(
        Database.use((d) => d.run("test.sleep", (q) => q.query("SELECT pg_sleep(30)"))),
      )
      await new Promise((r) => setTimeout(r, 300))
      const killed = await adminQuery(
        db.name,
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      )
      expect(killed.length).toBeGreaterThan(0)
      const exit = await slow
      expect(Exit.findErrorOption(exit)).toMatchObject({
        _tag: "Some",
        value: { _tag: "StorageUnavailable", method: "test.sleep" },
      })
      const found = await untilBack(() => runtime.runPromiseExit(catalog))
      expect(found._tag).toBe("Some")
      expect(await runtime.runPromise(listIds)).toEqual(["acme"])
    } finally {
      await runtime.dispose()
    }
  })

  it("P-DATA-3: a backend terminated while its transaction waits between statements fails that transaction, never the process, and is never reused", async () => {
    const driver = makePgDriver({ connectionString: db.url, max: 1 })
    const uncaught: Array<unknown> = []
    const onUncaught = (e: unknown) => void uncaught.push(e)
    process.prependListener("uncaughtException", onUncaught)
    try {
      const tx = driver.transaction(async (q) => {
        const [row] = await q.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")
        await adminQuery(db.name, `SELECT pg_terminate_backend(${Number(row?.pid)})`)
        // The connection's end arrives while no statement of ours runs on it.
        await new Promise((r) => setTimeout(r, 500))
        await q.query("SELECT 1")
        return "committed"
      })
      await expect(tx).rejects.toThrow()
      expect(uncaught).toEqual([])
      // The pool's only connection was the broken one: it was discarded, a new one serves.
      expect(await driver.query("SELECT 1 AS one")).toEqual([{ one: 1 }])
      expect(await driver.transaction(async (q) => (await q.query("SELECT 2 AS two"))[0])).toEqual({ two: 2 })
    } finally {
      process.off("uncaughtException", onUncaught)
      await driver.close()
    }
  })

  it("a server that goes away is StorageUnavailable until it is back", async () => {
    const url = new URL(db.url)
    url.port = String(proxy.port)
    const runtime = ManagedRuntime.make(layerPostgres({ databaseUrl: url.toString() }))
    try {
      expect(await runtime.runPromise(listIds)).toEqual(["acme"])
      await proxy.stop()
      const unavailable = { _tag: "Some", value: { _tag: "StorageUnavailable" } }
      expect(Exit.findErrorOption(await runtime.runPromiseExit(listIds))).toMatchObject(unavailable)
      expect(Exit.findErrorOption(await runtime.runPromiseExit(catalog))).toMatchObject(unavailable)
      await proxy.start()
      expect(await untilBack(() => runtime.runPromiseExit(listIds))).toEqual(["acme"])
    } finally {
      await runtime.dispose()
    }
  })

  it("a server that cannot be reached at start fails the layer with StorageUnavailable", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.provide(listIds, layerPostgres({ databaseUrl: "postgres://postgres@127.0.0.1:1/postgres" })),
    )
    const error = Exit.findErrorOption(exit)
    expect(error).toMatchObject({ _tag: "Some", value: { _tag: "StorageUnavailable", method: "open" } })
    expect(error._tag === "Some" && error.value instanceof StorageUnavailable).toBe(true)
  })
})
