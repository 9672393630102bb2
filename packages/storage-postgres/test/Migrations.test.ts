/**
 * Migrations: applied once, a second run is a no-op, concurrent runs serialize on the advisory
 * lock, and a migration that fails half-way leaves the database at the previous version.
 */
import { describe, expect, it } from "vitest"
import { type Migration, migrations, runMigrations, schemaVersion } from "../src/Migrations.ts"
import { makePgDriver } from "../src/PgDriver.ts"
import { createTestDatabase } from "./support/Databases.ts"
import { eachDriver, server } from "./support/Drivers.ts"

const latest = Math.max(...migrations.map((m) => m.version))

eachDriver("migrations", (shared) => {
  it("applies every migration once; running again changes nothing", async () => {
    const driver = await shared.get()
    expect(await schemaVersion(driver)).toBe(0)
    const first = await runMigrations(driver)
    expect(first).toEqual({ applied: migrations.map((m) => m.version), version: latest })
    const tables = await driver.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()")
    expect(await runMigrations(driver)).toEqual({ applied: [], version: latest })
    // Two more at once on the same driver: still nothing to do, nothing duplicated.
    const again = await Promise.all([runMigrations(driver), runMigrations(driver)])
    expect(again.map((r) => r.applied)).toEqual([[], []])
    expect(await driver.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()")).toEqual(
      tables,
    )
    expect(await driver.query("SELECT version FROM portal_migrations ORDER BY version")).toEqual(
      migrations.map((m) => ({ version: m.version })),
    )
  })

  it("a failing migration rolls back whole and leaves the previous version", async () => {
    const driver = await shared.get()
    await runMigrations(driver)
    const broken: Migration = {
      version: latest + 1,
      name: "creates a table, fills it, then fails",
      sql: "CREATE TABLE half_done (x int); INSERT INTO half_done VALUES (1); SELECT 1 / 0;",
    }
    await expect(runMigrations(driver, [...migrations, broken])).rejects.toThrow(/division by zero/)
    expect(await schemaVersion(driver)).toBe(latest)
    expect(await driver.query("SELECT to_regclass('half_done') IS NULL AS gone")).toEqual([{ gone: true }])
    // The fixed migration applies on the next run.
    const fixed: Migration = { ...broken, sql: "CREATE TABLE half_done (x int);" }
    expect(await runMigrations(driver, [...migrations, fixed])).toEqual({ applied: [latest + 1], version: latest + 1 })
  })
})

describe.skipIf(!server.ok)("migrations from several processes at once (PostgreSQL server)", () => {
  it("serialize on the advisory lock: each version is applied exactly once", async () => {
    const db = await createTestDatabase()
    const drivers = Array.from({ length: 4 }, () => makePgDriver({ connectionString: db.url, max: 2 }))
    try {
      const reports = await Promise.all(drivers.map((d) => runMigrations(d)))
      expect(reports.flatMap((r) => r.applied).sort((x, y) => x - y)).toEqual(migrations.map((m) => m.version))
      expect(reports.every((r) => r.version === latest)).toBe(true)
      const [first] = drivers
      expect(await first?.query("SELECT version FROM portal_migrations ORDER BY version")).toEqual(
        migrations.map((m) => ({ version: m.version })),
      )
    } finally {
      await Promise.all(drivers.map((d) => d.close()))
      await db.drop()
    }
  })
})
