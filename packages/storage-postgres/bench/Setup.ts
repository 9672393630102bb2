/**
 * Shared by the benchmarks: a fresh benchmark database on the server (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else the local default), migrated, and a clock.
 */
import pg from "pg"
import type { Driver } from "../src/Driver.ts"
import { runMigrations } from "../src/Migrations.ts"
import { makePgDriver } from "../src/PgDriver.ts"

export const SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

/** Drops and re-creates database `name` on the server; returns a migrated driver on it. */
export const freshServerDatabase = async (name: string): Promise<{ driver: Driver; url: string }> => {
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  const driver = makePgDriver({ connectionString: url.toString(), max: 2 })
  await runMigrations(driver)
  return { driver, url: url.toString() }
}

/** A migrated driver on the existing database `name` (a benchmark database kept with KEEP=1). */
export const existingServerDatabase = async (name: string): Promise<{ driver: Driver; url: string }> => {
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  const driver = makePgDriver({ connectionString: url.toString(), max: 2 })
  await runMigrations(driver)
  return { driver, url: url.toString() }
}

export const dropServerDatabase = async (name: string) => {
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  } finally {
    await admin.end()
  }
}

/** Runs `body` and prints how long it took. */
export const timed = async <A>(label: string, body: () => Promise<A>): Promise<{ value: A; ms: number }> => {
  const start = performance.now()
  const value = await body()
  const ms = performance.now() - start
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s`)
  return { value, ms }
}
