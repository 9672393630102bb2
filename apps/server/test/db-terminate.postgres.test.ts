/**
 * P-DATA-3: a `portal start` process on PostgreSQL survives its connections being terminated
 * while it is too busy to read them. The process is paused (SIGSTOP) while concurrent replies
 * are in flight, every connection of its database is terminated (pg_terminate_backend), and it
 * resumes (SIGCONT): it then reads, in one chunk per connection, the end of a statement and the
 * FATAL of the termination. The pool hands such a connection to a waiting transaction inside
 * that read, before the transaction listens for its errors, and the FATAL used to be an "error"
 * event nobody listened to: Node ended the process (what killed a node in the multi-node test
 * under load; the driver-level case is in packages/storage-postgres/test/Reconnect.test.ts).
 * Now the node keeps serving: every reply is acknowledged in the end (clients retry with the
 * same idempotency key), stored once, and a failed attempt is a 503.
 * Skipped (with the reason printed) when no PostgreSQL server is reachable.
 */
import { makePgDriver } from "@portal/storage-postgres"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type StartedPortal, startPortal } from "./support/Cli.ts"
import { Client, type HttpResponse } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase, TEST_DATABASE_URL } from "./support/Postgres.ts"
import { CUSTOMER_PASSWORD } from "./support/World.ts"

let database: FreshDatabase | null
let node: StartedPortal | undefined

beforeAll(async () => {
  database = await freshDatabase("dbterminate")
  if (database === null) return
  node = await startPortal(
    {
      ...process.env,
      DATABASE_URL: database.url,
      SMTP_URL: "",
      PORTAL_SECRET: "db-terminate-test-secret-0123456789abcdef",
      PORTAL_NOTIFY_POLL_MS: "100",
      LOG_LEVEL: "warn",
    },
    ["--demo"],
  )
}, 120_000)

afterAll(async () => {
  if (node !== undefined) {
    signal(node.pid, "SIGCONT")
    await node.kill().catch(() => undefined)
  }
  await database?.drop()
})

/** Rounds of 30 concurrent replies (each with up to three pauses and terminations). */
const ROUNDS = 4
/** Pauses per round, at most (about one in six hits the window the old driver died in). */
const PAUSES = 10
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Sends `sig`; false when the process is gone (then the test says why, with its output). */
const signal = (pid: number, sig: NodeJS.Signals | 0) => {
  try {
    process.kill(pid, sig)
    return true
  } catch {
    return false
  }
}
const alive = (pid: number) => signal(pid, 0)

describe("P-DATA-3: connections terminated while the node is busy", () => {
  it("P-DATA-3: a node paused mid-load, its connections terminated, resumes without dying, stores every acknowledged reply once and answers 503 at worst", async () => {
    if (database === null || node === undefined) return
    const portal = node
    const admin = makePgDriver({ connectionString: TEST_DATABASE_URL, max: 1 })
    const db = makePgDriver({ connectionString: database.url, max: 1 })
    try {
      const ken = new Client(portal.port, "localhost")
      await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
      const failures: Array<string> = []
      const acknowledged = new Set<string>()
      let killed = 0
      const post = async (text: string, i: number) => {
        for (let attempt = 0; attempt < 40; attempt++) {
          let res: HttpResponse | null = null
          try {
            res = await ken.mutate("tickets.reply", { ticketId: i % 2 === 0 ? "t2" : "t1", text, idempotencyKey: text })
          } catch {
            res = null
          }
          if (res?.status === 200) return void acknowledged.add(text)
          failures.push(res === null ? "no response" : `${res.status} ${res.text.slice(0, 80)}`)
          if (res === null && !alive(portal.pid)) return
          await pause(100 + Math.random() * 200)
        }
      }
      const terminate = async () => {
        const [row] = await admin.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [new URL(database?.url ?? "").pathname.slice(1)],
        )
        killed += row?.n ?? 0
      }
      const texts: Array<string> = []
      for (let round = 0; round < ROUNDS && alive(portal.pid); round++) {
        const batch = Array.from({ length: 30 }, (_, i) => `db-terminate-${round}-${i}`)
        texts.push(...batch)
        let loading = true
        const load = Promise.all(batch.map((text, i) => post(text, i))).finally(() => {
          loading = false
        })
        // While the replies are in flight, up to PAUSES times: pause the process (the statements in
        // flight end in PostgreSQL, the process reads nothing), terminate every connection of
        // the database, resume it.
        for (let pauses = 0; pauses < PAUSES && loading && alive(portal.pid); pauses++) {
          await pause(50 + Math.random() * 350)
          signal(portal.pid, "SIGSTOP")
          await pause(300)
          await terminate()
          await pause(100)
          signal(portal.pid, "SIGCONT")
        }
        await load
      }
      expect(alive(portal.pid), portal.output().slice(-4000)).toBe(true)
      expect(killed).toBeGreaterThan(0)
      expect([...acknowledged].sort()).toEqual([...texts].sort())
      const stored = await db.query<{ text: string; n: number }>(
        `SELECT text, count(*)::int AS n FROM messages WHERE workspace_id = 'acme' AND text LIKE 'db-terminate-%' GROUP BY text`,
      )
      expect(stored.length).toBe(texts.length)
      for (const r of stored) expect(r.n, r.text).toBe(1)
      for (const f of failures) expect(f).toMatch(/^503 /)
      console.info(`db-terminate: ${killed} connections terminated; ${failures.length} failed attempts, all 503`)
      expect((await new Client(portal.port, "localhost").request("/readyz")).status).toBe(200)
      const after = await ken.mutate("tickets.reply", {
        ticketId: "t2",
        text: "db-terminate-after",
        idempotencyKey: "db-terminate-after",
      })
      expect(after.status, after.text).toBe(200)
    } finally {
      await admin.close()
      await db.close()
    }
  }, 240_000)
})
