/**
 * P-HOOK-1 across processes: two `portal start` processes on one PostgreSQL database, both running
 * the webhook worker, with a real local receiver. Events written through either process are
 * delivered exactly once each (the "webhooks" cursor's compare-and-set writes each delivery once;
 * `FOR UPDATE SKIP LOCKED` gives each to one worker), each signed and verified.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type StartedPortal, startPortal } from "./support/Cli.ts"
import { Client, data } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"
import { ACME_TOKEN, ADMIN } from "./support/World.ts"

let database: FreshDatabase | null
let env: NodeJS.ProcessEnv
let receiver: Server
let receiverUrl = ""
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = []
const running: Array<StartedPortal> = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (c: string) => {
      body += c
    })
    req.on("end", () => {
      received.push({ headers: req.headers, body })
      res.statusCode = 200
      res.end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
  database = await freshDatabase("hooks")
  env = {
    ...process.env,
    DATABASE_URL: database?.url ?? "",
    PORTAL_API_TOKENS: `acme:${ACME_TOKEN}`,
    PORTAL_SECRET: "hooks-processes-test-secret-0123456789",
    PORTAL_WEBHOOK_POLL_MS: "100",
    PORTAL_WEBHOOK_ALLOW_PRIVATE: "1",
    LOG_LEVEL: "warn",
  }
}, 30_000)

afterAll(async () => {
  for (const p of running) await p.kill().catch(() => undefined)
  await new Promise((resolve) => receiver.close(resolve))
  await database?.drop()
})

const start = async (args: ReadonlyArray<string> = []) => {
  const p = await startPortal(env, args)
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

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("webhooks across processes", () => {
  it("P-HOOK-1: two processes on one PostgreSQL database deliver each of N events exactly once", async () => {
    if (database === null) return
    const a = await start(["--demo"])
    const b = await start()
    const admin = new Client(a.port, "localhost")
    await admin.signIn(ADMIN.email, ADMIN.password, true)
    const created = await admin.mutate("admin.webhooks.create", { url: receiverUrl, events: ["message.agent"] })
    expect(created.status).toBe(200)
    const secret = (data(created) as { secret: string }).secret
    const texts = Array.from({ length: 12 }, (_, i) => `hook-nodes-${i}`)
    await Promise.all(texts.map((t, i) => reply(i % 2 === 0 ? a.port : b.port, i % 3 === 0 ? "t2" : "t1", t)))
    const deadline = Date.now() + 30_000
    while (received.length < texts.length && Date.now() < deadline) await pause(100)
    await pause(1500)
    const payloads = received.map(
      (r) =>
        new Webhook(secret).verify(r.body, {
          "webhook-id": String(r.headers["webhook-id"]),
          "webhook-timestamp": String(r.headers["webhook-timestamp"]),
          "webhook-signature": String(r.headers["webhook-signature"]),
        }) as { data: { message: { text: string } } },
    )
    const seen = payloads.map((p) => p.data.message.text).sort()
    expect(seen).toEqual([...texts].sort())
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(texts.length)
  }, 180_000)
})
