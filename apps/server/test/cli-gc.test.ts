/**
 * Orphan blob cleanup: `portal gc` as a user runs it (`node apps/server/bin/portal.js gc`) on an
 * embedded PGlite data folder, and the hourly run of `portal start` (the scheduler, in-process on
 * the memory store with a short interval). Orphans are planted around the CLI through the
 * database itself (nothing else makes one on purpose), with their stored time set in the past.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import type { IsoTime, WorkspaceId } from "@portal/core/domain"
import { BlobStore, Clock, StorageError, WorkspaceStore } from "@portal/core/ports"
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
    expect(first.stderr).toMatch(/removed 1 orphan blob;/)
    expect(await blobKeys()).toEqual([...referenced, "upload/recent-orphan"].sort())

    const shorter = await run(["gc", "--grace-minutes", "5"])
    expect(shorter.code, shorter.stderr).toBe(0)
    expect(shorter.stderr).toMatch(/removed 1 orphan blob;/)
    expect(await blobKeys()).toEqual(referenced)
  }, 120_000)

  it("issue 12: prunes expired sessions, keys, tokens, registrations, rate limits, old idempotency keys and old sent mails, keeps live ones, and logs the counts", async () => {
    expect((await run(["migrate"])).code).toBe(0)
    const day = 24 * 3_600_000
    const now = Date.now()
    const iso = (ms: number) => new Date(ms).toISOString()
    await withDatabase(async (db) => {
      const session = (hash: string, seenMs: number, endMs: number) =>
        db.query(
          `INSERT INTO sessions (workspace_id, token_hash, subject_type, subject_id, created_at, last_seen_at, absolute_expires_at)
           VALUES ('acme', $1, 'contact', 'p1', $2, $3, $4)`,
          [hash, iso(seenMs - 1000), iso(seenMs), iso(endMs)],
        )
      await session("hk-ended-long-ago", now - 10 * day, now - 3 * day) // over, and past the day's grace
      await session("hk-ended-just-now", now - 2 * 3_600_000, now - 60_000) // over, still within the grace
      await session("hk-live", now - 60_000, now + 3 * day)
      for (const [key, ms] of [
        ["hk-old-key", now - 1000],
        ["hk-live-key", now + day],
      ] as const)
        await db.query(
          "INSERT INTO single_use_keys (workspace_id, namespace, key, expires_ms) VALUES ('acme', 'jti', $1, $2)",
          [key, ms],
        )
      for (const [hash, ms, used] of [
        ["hk-expired", now - 1000, false],
        ["hk-used", now + day, true],
        ["hk-valid", now + day, false],
      ] as const)
        await db.query(
          `INSERT INTO security_tokens (workspace_id, purpose, token_hash, contact_id, expires_ms, consumed)
           VALUES ('acme', 'passwordReset', $1, 'p1', $2, $3)`,
          [hash, ms, used],
        )
      for (const [hash, ms] of [
        ["hk-pending-old", now - 1000],
        ["hk-pending-live", now + day],
      ] as const)
        await db.query(
          `INSERT INTO pending_registrations (workspace_id, token_hash, email, email_key, password_hash, first_name,
             last_name, created_at, expires_at, expires_ms) VALUES ('acme', $1, $2, $2, 'x', 'A', 'B', $3, $4, $5)`,
          [hash, `${hash}@example.test`, iso(ms - day), iso(ms), ms],
        )
      for (const [key, end] of [
        ["hk-rate-old", now - 1000],
        ["hk-rate-live", now + 60_000],
      ] as const)
        await db.query("INSERT INTO rate_limits (key, window_start, hits, expires_ms) VALUES ($1, $2, 3, $3)", [
          key,
          end - 900_000,
          end,
        ])
      for (const [key, ms] of [
        ["hk-idem-old", now - 8 * day],
        ["hk-idem-live", now - day],
      ] as const)
        await db.query(
          `INSERT INTO idempotency_keys (workspace_id, scope, idempotency_key, fingerprint, command, ticket_id, thread_id, message_id, created_ms)
           VALUES ('acme', 's', $1, 'f', 'reply', 't1', 'th1', 'm1', $2)`,
          [key, ms],
        )
      for (const [event, status, sent] of [
        ["hk-mail-old", "sent", now - 31 * day],
        ["hk-mail-recent", "sent", now - day],
        ["hk-mail-failed", "failed", null],
      ] as const)
        await db.query(
          `INSERT INTO outbox_mails (workspace_id, event_id, contact_id, kind, ticket_id, content, status, due_ms, created_ms, sent_ms)
           VALUES ('acme', $1, 'p1', 'agentMessage', 't1', '{}'::jsonb, $2, 0, 0, $3)`,
          [event, status, sent],
        )
    })
    const ran = await run(["gc"])
    expect(ran.code, ran.stderr).toBe(0)
    expect(ran.stderr).toMatch(
      /pruned 1 expired session, 1 single-use key, 2 used or expired tokens, 1 pending registration, 1 rate-limit row, 1 idempotency key, 1 sent mail/,
    )
    const left = await withDatabase(async (db) => {
      const col = async (sql: string) => (await db.query<{ k: string }>(sql)).map((r) => r.k).sort()
      return {
        sessions: await col("SELECT token_hash AS k FROM sessions WHERE token_hash LIKE 'hk-%'"),
        keys: await col("SELECT key AS k FROM single_use_keys WHERE key LIKE 'hk-%'"),
        tokens: await col("SELECT token_hash AS k FROM security_tokens WHERE token_hash LIKE 'hk-%'"),
        pending: await col("SELECT token_hash AS k FROM pending_registrations WHERE token_hash LIKE 'hk-%'"),
        rates: await col("SELECT key AS k FROM rate_limits WHERE key LIKE 'hk-%'"),
        idempotency: await col("SELECT idempotency_key AS k FROM idempotency_keys WHERE idempotency_key LIKE 'hk-%'"),
        mails: await col("SELECT event_id AS k FROM outbox_mails WHERE event_id LIKE 'hk-%'"),
      }
    })
    expect(left).toEqual({
      sessions: ["hk-ended-just-now", "hk-live"],
      keys: ["hk-live-key"],
      tokens: ["hk-valid"],
      pending: ["hk-pending-live"],
      rates: ["hk-rate-live"],
      idempotency: ["hk-idem-live"],
      mails: ["hk-mail-failed", "hk-mail-recent"],
    })
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
        await until(() => lines.some((l) => String(l.msg).startsWith("removed 1 orphan blob;")))
      } finally {
        stop()
      }
      const logged = lines.find((l) => String(l.msg).startsWith("removed 1 orphan blob;"))
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
      // The blob step fails first, so the housekeeping's stores are never reached.
      (cleanup) =>
        Effect.runPromise(
          Effect.provide(cleanup, Layer.mergeAll(blobs, workspaces, clock)) as Effect.Effect<
            Effect.Success<typeof cleanup>,
            Effect.Error<typeof cleanup>
          >,
        ),
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
      msg: expect.stringMatching(/orphan blob cleanup and housekeeping failed/),
      reason: "StorageError in BlobStore.deleteOrphans: disk on fire",
    })
    expect(unhandled).toEqual([])
  })
})
