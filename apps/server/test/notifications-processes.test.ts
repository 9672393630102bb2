/**
 * P-NOT-3 across processes: `portal start` processes on one PostgreSQL database with a real SMTP
 * server. A process killed (SIGKILL) after the event was committed and before the mail was sent
 * delivers it exactly once after a restart; two processes running at once send each mail once.
 */
import { startTestSmtpServer, type TestSmtpServer } from "@portal/mail/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type StartedPortal, startPortal } from "./support/Cli.ts"
import { Client } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"
import { ACME_TOKEN } from "./support/World.ts"

let smtp: TestSmtpServer
let database: FreshDatabase | null
let env: NodeJS.ProcessEnv
const running: Array<StartedPortal> = []

beforeAll(async () => {
  smtp = await startTestSmtpServer()
  database = await freshDatabase("notify")
  env = {
    ...process.env,
    DATABASE_URL: database?.url ?? "",
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_FROM: "Portal <portal@test.local>",
    PORTAL_API_TOKENS: `acme:${ACME_TOKEN}`,
    PORTAL_SECRET: "notify-processes-test-secret-0123456789",
    PORTAL_NOTIFY_POLL_MS: "100",
    LOG_LEVEL: "warn",
  }
}, 30_000)

afterAll(async () => {
  for (const p of running) await p.kill().catch(() => undefined)
  await smtp?.close()
  await database?.drop()
})

const start = async (extra: NodeJS.ProcessEnv = {}, args: ReadonlyArray<string> = []) => {
  const p = await startPortal({ ...env, ...extra }, args)
  running.push(p)
  return p
}

const reply = async (port: number, ticketId: string, text: string) => {
  const res = await new Client(port, "localhost").mutate(
    "integration.messages.create",
    { ticketId, agentId: "u1", text, idempotencyKey: `k-${text}` },
    { authorization: `Bearer ${ACME_TOKEN}` },
  )
  expect(res.status).toBe(200)
}

const withText = (text: string) => smtp.messages.filter((m) => m.text.includes(text))
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("notifications across processes", () => {
  it("P-NOT-3: a process killed between commit and send delivers the mail exactly once after restart", async () => {
    if (database === null) return
    // The worker's first round runs at start; then it sleeps for 10 minutes: it will not see the reply.
    const first = await start({ PORTAL_NOTIFY_POLL_MS: "600000" }, ["--demo"])
    await pause(500)
    await reply(first.port, "t1", "crash-then-restart")
    await pause(300)
    await first.kill()
    expect(withText("crash-then-restart")).toHaveLength(0)
    const second = await start()
    await smtp.waitFor((m) => m.text.includes("crash-then-restart"), 30_000)
    await pause(1000)
    expect(withText("crash-then-restart").map((m) => m.to)).toEqual(["ken@globex.test"])
    expect(second.port).toBeGreaterThan(0)
  }, 180_000)

  it("P-NOT-3: two processes on one PostgreSQL database send each mail once", async () => {
    if (database === null) return
    // The restarted process of the test above, and a second one.
    const a = running.at(-1) ?? (await start({}, ["--demo"]))
    const b = await start()
    // Tickets with a visible thread: concurrent first replies on a ticket without one may each open
    // a new thread (P-ACT-4), and a message on the later one is rightly not mailed (P-COM-4).
    const texts = Array.from({ length: 10 }, (_, i) => `two-nodes-${i}`)
    await Promise.all(texts.map((t, i) => reply(i % 2 === 0 ? a.port : b.port, i % 3 === 0 ? "t2" : "t1", t)))
    for (const t of texts) await smtp.waitFor((m) => m.text.includes(t), 30_000)
    await pause(1500)
    for (const t of texts) expect(withText(t), t).toHaveLength(1)
  }, 180_000)
})
