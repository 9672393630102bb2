/**
 * P-AGT-4 on any node, with real processes: two `portal start` processes on one PostgreSQL
 * database, their streams' fallback read switched off (PORTAL_AGENT_EVENTS_POLL_MS at 10 minutes),
 * so only LISTEN/NOTIFY can carry a change made through process B to an agent streaming from
 * process A. (agent-live.postgres.test.ts does the same with two servers in one process.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type StartedPortal, startPortal } from "./support/Cli.ts"
import { Client } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"
import { openEvents } from "./support/Sse.ts"
import { ADMIN, CUSTOMER_PASSWORD } from "./support/World.ts"

let database: FreshDatabase | null
let env: NodeJS.ProcessEnv
const running: Array<StartedPortal> = []

beforeAll(async () => {
  database = await freshDatabase("agent_live_processes")
  env = {
    ...process.env,
    DATABASE_URL: database?.url ?? "",
    PORTAL_SECRET: "agent-live-processes-test-secret-0123456789",
    PORTAL_AGENT_EVENTS_POLL_MS: "600000",
    LOG_LEVEL: "warn",
  }
}, 30_000)

afterAll(async () => {
  for (const p of running) await p.kill().catch(() => undefined)
  await database?.drop()
})

describe("live updates across two server processes (P-AGT-4)", () => {
  it("P-AGT-4: a customer's reply through process B reaches an agent's stream on process A (LISTEN/NOTIFY only)", async () => {
    if (database === null) return
    const a = await startPortal(env, ["--demo"])
    running.push(a)
    const b = await startPortal(env)
    running.push(b)
    const hana = new Client(a.port, "localhost")
    await hana.signIn(ADMIN.email, ADMIN.password, true)
    const stream = await openEvents(hana)
    expect(stream.status).toBe(200)
    const ken = new Client(b.port, "localhost")
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const replied = await ken.mutate("tickets.reply", {
      ticketId: "t2",
      text: "From process B",
      idempotencyKey: "process-b-1",
    })
    expect(replied.status).toBe(200)
    const event = await stream.waitFor((e) => e.data.kind === "reply" && e.data.ticketId === "t2", 30_000)
    expect(Number(event.id)).toBe(event.data.sequence)
    stream.close()
  }, 180_000)
})
