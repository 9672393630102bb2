/**
 * Databases for the tests: one embedded PGlite per test file (initdb takes seconds), and one
 * fresh database per test file on the PostgreSQL server at TEST_DATABASE_URL, dropped after.
 * No server: the server tests are skipped with a printed reason, or fail when CI is set.
 */
import pg from "pg"
import type { Driver } from "../../src/Driver.ts"
import { makePgDriver } from "../../src/PgDriver.ts"
import { makePgliteDriver } from "../../src/PgliteDriver.ts"

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

export type Probe = { readonly ok: true } | { readonly ok: false; readonly reason: string }

let probed: Promise<Probe> | undefined

/** Is a server reachable? Warns with the reason when not; throws instead when CI is set. */
export const probeServer = (): Promise<Probe> =>
  (probed ??= (async (): Promise<Probe> => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 })
    client.on("error", () => {})
    try {
      await client.connect()
      await client.query("SELECT 1")
      return { ok: true }
    } catch (error) {
      const reason = `no PostgreSQL server reachable at ${TEST_DATABASE_URL} (${error instanceof Error ? error.message : String(error)})`
      if (process.env.CI) throw new Error(`${reason}; CI is set, so the server tests fail instead of being skipped`)
      console.warn(
        `[storage-postgres] skipping the PostgreSQL server tests: ${reason}. Set TEST_DATABASE_URL to run them.`,
      )
      return { ok: false, reason }
    } finally {
      await client.end().catch(() => {})
    }
  })())

const admin = async <A>(body: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  client.on("error", () => {})
  await client.connect()
  try {
    return await body(client)
  } finally {
    await client.end().catch(() => {})
  }
}

export interface TestDatabase {
  readonly name: string
  readonly url: string
  readonly drop: () => Promise<void>
}

/** A new, empty database `portal_test_<random>` on the test server. */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = `portal_test_${Math.random().toString(36).slice(2, 10)}`
  await admin((c) => c.query(`CREATE DATABASE ${name}`))
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  }
}

/** Runs SQL as another session of the test server (e.g. to terminate the adapter's connections). */
export const adminQuery = (database: string, sql: string) => {
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${database}`
  return (async () => {
    const client = new pg.Client({ connectionString: url.toString() })
    client.on("error", () => {})
    await client.connect()
    try {
      return (await client.query(sql)).rows
    } finally {
      await client.end().catch(() => {})
    }
  })()
}

/** A driver opened on first use and closed (its database dropped) by `release`. */
export interface SharedDriver {
  readonly get: () => Promise<Driver>
  readonly release: () => Promise<void>
  readonly database?: () => Promise<TestDatabase>
}

export const sharedPglite = (): SharedDriver => {
  let driver: Promise<Driver> | undefined
  return {
    get: () => (driver ??= makePgliteDriver("memory")),
    release: async () => {
      if (driver !== undefined) await (await driver).close()
    },
  }
}

export const sharedServer = (): SharedDriver => {
  let database: Promise<TestDatabase> | undefined
  let driver: Promise<Driver> | undefined
  const db = () => (database ??= createTestDatabase())
  return {
    database: db,
    get: () => (driver ??= db().then((d) => makePgDriver({ connectionString: d.url, max: 5 }))),
    release: async () => {
      if (driver !== undefined) await (await driver).close().catch(() => {})
      if (database !== undefined) await (await database).drop()
    },
  }
}
