/**
 * The embedded driver: PGlite (PostgreSQL in WASM) in this process, persisted to a data folder
 * (PORTAL_DATA_DIR, default `.data/`) or kept in memory for tests. PGlite has one connection; it
 * queues concurrent queries itself and a transaction holds the connection until it ends.
 * Only one process may open a data folder at a time: opening it takes `portal.lock` in the folder
 * (the owner's PID), and a second process (server or CLI) is refused with DataDirLocked naming
 * the owner. A lock whose process is gone (a crash, a kill -9) is stale and taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm"
import type { Driver, Queryable, Row, SqlText } from "./Driver.ts"

/** A data folder path, or "memory" for a database that lives as long as the driver. */
export type PgliteLocation = string | "memory"

const queryable = (db: Pick<PGlite, "query" | "exec">): Queryable => ({
  // PGlite has no named statements: a name is dropped (its one connection in WASM plans each query).
  query: async <R extends Row = Row>(sql: SqlText, params?: ReadonlyArray<unknown>) =>
    (await db.query<R>(typeof sql === "string" ? sql : sql.text, params === undefined ? [] : [...params])).rows,
  exec: async (sql: string) => {
    await db.exec(sql)
  },
})

/** Another live process holds the data folder's lock. */
export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded store ${dataDir} is in use by process ${pid} (lock file ${join(dataDir, LOCK_FILE)}): only one process (server or command) may open it at a time; stop that process first, or use PostgreSQL (DATABASE_URL) to run several`,
    )
    this.name = "DataDirLocked"
  }
}

export const LOCK_FILE = "portal.lock"

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** This process's locks: folder → how many open drivers share it. */
const held = new Map<string, number>()

/** Take the folder's lock (or share this process's); returns its release. */
export const lockDataDir = (dataDir: string): (() => void) => {
  const dir = resolve(dataDir)
  const path = join(dir, LOCK_FILE)
  const release = () => {
    const count = (held.get(dir) ?? 1) - 1
    if (count > 0) return void held.set(dir, count)
    held.delete(dir)
    try {
      if (Number(readFileSync(path, "utf8").trim()) === process.pid) rmSync(path, { force: true })
    } catch {
      // already gone
    }
  }
  if (held.has(dir)) {
    held.set(dir, (held.get(dir) ?? 0) + 1)
    return release
  }
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: "wx" })
      held.set(dir, 1)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      let owner = Number.NaN
      try {
        owner = Number(readFileSync(path, "utf8").trim())
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner))
        throw new DataDirLocked(dir, owner)
      if (attempt > 2) throw new DataDirLocked(dir, owner)
      // Stale (its process is gone) or unreadable: take it over.
      rmSync(path, { force: true })
    }
  }
}

export const makePgliteDriver = async (location: PgliteLocation): Promise<Driver> => {
  if (location !== "memory") mkdirSync(location, { recursive: true })
  const unlock = location === "memory" ? () => {} : lockDataDir(location)
  let db: PGlite
  try {
    db =
      location === "memory"
        ? new PGlite({ extensions: { pg_trgm } })
        : new PGlite(location, { extensions: { pg_trgm } })
    await db.waitReady
  } catch (error) {
    unlock()
    throw error
  }
  return {
    kind: "pglite",
    ...queryable(db),
    transaction: (body) => db.transaction((tx) => body(queryable(tx))),
    close: async () => {
      try {
        await db.close()
      } finally {
        unlock()
      }
    },
    listen: async (channel, onPayload) => {
      const stop = await db.listen(channel, onPayload)
      return async () => {
        await stop()
      }
    },
  }
}
