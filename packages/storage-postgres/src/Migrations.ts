/**
 * Versioned, forward-only migrations. Each one runs in its own transaction that first takes a
 * transaction-scoped advisory lock and re-reads the applied versions, so `migrate` is safe to run
 * twice and from several processes at once; a migration that fails rolls back whole and leaves
 * the database at the previous version.
 */
import type { Driver } from "./Driver.ts"
import { m0001 } from "./migrations/0001_initial.ts"
import { m0002 } from "./migrations/0002_session_subjects.ts"
import { m0003 } from "./migrations/0003_api_tokens.ts"
import { m0004 } from "./migrations/0004_blob_times.ts"
import { m0005 } from "./migrations/0005_pending_registrations.ts"
import { m0006 } from "./migrations/0006_token_contacts.ts"
import { m0007 } from "./migrations/0007_idempotency_scopes.ts"
import { m0008 } from "./migrations/0008_agent_workspace.ts"
import { m0009 } from "./migrations/0009_catalog_version.ts"
import { m0010 } from "./migrations/0010_notification_outbox.ts"
import { m0011 } from "./migrations/0011_contact_unsubscribed.ts"
import { m0012 } from "./migrations/0012_unsubscribed_index.ts"
import { m0013 } from "./migrations/0013_webhooks.ts"
import { m0015 } from "./migrations/0015_ticket_participants.ts"
import { m0016 } from "./migrations/0016_ticket_satisfaction.ts"
import { m0017 } from "./migrations/0017_list_sorts.ts"
import { m0018 } from "./migrations/0018_housekeeping.ts"

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Every migration of this package, in order. Append only; never edit a released one. */
export const migrations: ReadonlyArray<Migration> = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0015,
  m0016,
  m0017,
  m0018,
]

/** "portal" in ASCII: the advisory lock key migrations serialize on. */
const MIGRATION_LOCK = 0x706f7274616c

const ensureTable = `CREATE TABLE IF NOT EXISTS portal_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`

export interface MigrationReport {
  readonly applied: ReadonlyArray<number>
  readonly version: number
}

/** The highest applied version (0 on an empty database). */
export const schemaVersion = async (driver: Driver): Promise<number> => {
  const rows = await driver.query<{ exists: boolean }>("SELECT to_regclass('portal_migrations') IS NOT NULL AS exists")
  if (rows[0]?.exists !== true) return 0
  const [row] = await driver.query<{ v: number | null }>("SELECT max(version) AS v FROM portal_migrations")
  return row?.v ?? 0
}

export const runMigrations = async (
  driver: Driver,
  list: ReadonlyArray<Migration> = migrations,
): Promise<MigrationReport> => {
  const sorted = [...list].sort((a, b) => a.version - b.version)
  const applied: Array<number> = []
  // Fast path: an up-to-date database takes no lock at all.
  const current = await schemaVersion(driver)
  for (const migration of sorted) {
    if (migration.version <= current) continue
    const ran = await driver.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK])
      await tx.exec(ensureTable)
      const done = await tx.query("SELECT 1 FROM portal_migrations WHERE version = $1", [migration.version])
      if (done.length > 0) return false // another process applied it while we waited
      await tx.exec(migration.sql)
      await tx.query("INSERT INTO portal_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ])
      return true
    })
    if (ran) applied.push(migration.version)
  }
  return { applied, version: await schemaVersion(driver) }
}
