/**
 * Housekeeping (issue 12) deletes are index-backed: on the PostgreSQL server, with 20,000 live rows
 * in every table it prunes (and ANALYZE run), the plan of every prune statement the ports send
 * reads its table through an index, never sequentially. The statements are captured from the
 * real port calls by a wrapping driver and explained (EXPLAIN, not executed) before they run.
 */
import type { IsoTime, WorkspaceId } from "@portal/core/domain"
import { OutboxStore, SecurityStore, SessionStore, type StorePorts, TicketStore } from "@portal/core/ports"
import { type Effect, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Driver } from "../src/Driver.ts"
import { layerWithDriver } from "../src/Layers.ts"
import { runMigrations } from "../src/Migrations.ts"
import { makePgDriver } from "../src/PgDriver.ts"
import { createTestDatabase, type TestDatabase } from "./support/Databases.ts"
import { server } from "./support/Drivers.ts"

const N = 20_000
const FUTURE = Date.parse("2030-01-01T00:00:00.000Z")
const NOW = Date.parse("2026-12-01T00:00:00.000Z")

describe.skipIf(!server.ok)("housekeeping deletes read indexes (PostgreSQL server)", () => {
  let db: TestDatabase
  let driver: Driver
  const plans: Array<{ sql: string; plan: string }> = []
  let runtime: ManagedRuntime.ManagedRuntime<StorePorts, unknown>

  beforeAll(async () => {
    db = await createTestDatabase()
    driver = makePgDriver({ connectionString: db.url, max: 2 })
    await runMigrations(driver)
    const iso = (ms: string) =>
      `to_char(to_timestamp((${ms}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    await driver.exec(`
      INSERT INTO sessions (workspace_id, token_hash, subject_type, subject_id, created_at, last_seen_at, absolute_expires_at)
        SELECT 'w', 's' || i, 'contact', 'p1', ${iso(`${FUTURE} + i`)}, ${iso(`${FUTURE} + i`)}, ${iso(`${FUTURE} + i + 1000`)}
        FROM generate_series(1, ${N}) i;
      INSERT INTO single_use_keys (workspace_id, namespace, key, expires_ms) SELECT 'w', 'jti', 'k' || i, ${FUTURE} + i FROM generate_series(1, ${N}) i;
      INSERT INTO security_tokens (workspace_id, purpose, token_hash, contact_id, expires_ms)
        SELECT 'w', 'passwordReset', 't' || i, 'p1', ${FUTURE} + i FROM generate_series(1, ${N}) i;
      INSERT INTO pending_registrations (workspace_id, token_hash, email, email_key, password_hash, first_name, last_name, created_at, expires_at, expires_ms)
        SELECT 'w', 'r' || i, 'r' || i || '@x.test', 'r' || i || '@x.test', 'x', 'A', 'B', 'c', 'e', ${FUTURE} + i FROM generate_series(1, ${N}) i;
      INSERT INTO rate_limits (key, window_start, hits, expires_ms) SELECT 'l' || i, ${FUTURE}, 1, ${FUTURE} + i FROM generate_series(1, ${N}) i;
      INSERT INTO idempotency_keys (workspace_id, scope, idempotency_key, fingerprint, command, ticket_id, thread_id, message_id, created_ms)
        SELECT 'w', 's', 'i' || i, 'f', 'reply', 't1', 'th1', 'm1', ${FUTURE} + i FROM generate_series(1, ${N}) i;
      INSERT INTO outbox_mails (workspace_id, event_id, contact_id, kind, ticket_id, content, status, due_ms, created_ms, sent_ms)
        SELECT 'w', 'e' || i, 'p1', 'agentMessage', 't1', '{}'::jsonb, CASE WHEN i % 2 = 0 THEN 'sent' ELSE 'pending' END, 0, 0,
          CASE WHEN i % 2 = 0 THEN ${FUTURE} + i END FROM generate_series(1, ${N}) i;
      ANALYZE;`)
    // Every DELETE the ports send is explained first, then run.
    const explaining: Driver = {
      ...driver,
      query: async (sql, params) => {
        const text = typeof sql === "string" ? sql : sql.text
        if (/DELETE FROM/.test(text)) {
          const rows = await driver.query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, params)
          plans.push({ sql: text, plan: rows.map((r) => r["QUERY PLAN"]).join("\n") })
        }
        return driver.query(sql, params)
      },
    }
    runtime = ManagedRuntime.make(layerWithDriver(explaining))
  }, 120_000)

  afterAll(async () => {
    await runtime?.dispose()
    await driver?.close()
    await db?.drop()
  })

  const run = <A, E>(effect: Effect.Effect<A, E, StorePorts>) => runtime.runPromise(effect)

  it("issue 12: every prune statement reads its table by an index (20,000 live rows each, none deleted)", async () => {
    const now = new Date(NOW).toISOString() as IsoTime
    const cutoffs = { now, idleBefore: now, createdBefore: now }
    expect(await run(SessionStore.use((s) => s.pruneExpired("w" as WorkspaceId, cutoffs, 1000)))).toBe(0)
    expect(await run(SecurityStore.use((s) => s.pruneExpired(now, 1000)))).toEqual({
      singleUseKeys: 0,
      tokens: 0,
      pendingRegistrations: 0,
      rateLimits: 0,
    })
    expect(await run(TicketStore.use((s) => s.pruneIdempotencyKeys(NOW, 1000)))).toBe(0)
    expect(await run(OutboxStore.use((s) => s.pruneSent(NOW, 1000)))).toBe(0)
    expect(plans).toHaveLength(4)
    for (const { plan } of plans) {
      for (const table of [
        "sessions",
        "single_use_keys",
        "security_tokens",
        "pending_registrations",
        "rate_limits",
        "idempotency_keys",
        "outbox_mails",
      ])
        expect(plan, plan).not.toMatch(new RegExp(`Seq Scan on ${table}\\b`))
      expect(plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/)
    }
  }, 120_000)
})
