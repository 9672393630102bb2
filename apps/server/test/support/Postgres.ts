/**
 * A fresh database on the PostgreSQL server at TEST_DATABASE_URL for a test file (dropped
 * after), so the server runs on real PostgreSQL, which refuses what PGlite may let through (NUL
 * bytes, broken Unicode). No server: null with the reason printed (PGlite then), or an error in CI.
 */

import { type Driver, makePgDriver } from "@portal/storage-postgres"
import type { StorageSpec } from "../../src/Runtime.ts"

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

export interface FreshDatabase {
  readonly url: string
  readonly storage: StorageSpec
  readonly drop: () => Promise<void>
}

export const freshDatabase = async (label: string): Promise<FreshDatabase | null> => {
  let admin: Driver
  try {
    admin = makePgDriver({ connectionString: TEST_DATABASE_URL, max: 1, connectionTimeoutMillis: 3_000 })
    await admin.query("SELECT 1")
  } catch (error) {
    if (process.env.CI === "true") throw error
    console.warn(`${label}: no PostgreSQL server at ${TEST_DATABASE_URL} (${String(error)}); using PGlite`)
    return null
  }
  const name = `portal_${label}_${Math.random().toString(36).slice(2, 10)}`
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    storage: { kind: "postgres", url: url.toString() },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
      await admin.close()
    },
  }
}

/** The storage of a fresh database, or embedded PGlite in memory. */
export const storageOf = (database: FreshDatabase | null): StorageSpec =>
  database?.storage ?? { kind: "pglite", dataDir: "memory" }
