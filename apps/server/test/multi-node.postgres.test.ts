/**
 * P-DATA-3 on several nodes: two real `portal start` processes on one PostgreSQL database, behind a
 * round-robin HTTP proxy written here (node:http), with a real SMTP server.
 * - a session made through one node works on the other (and a sign-out on one ends it on both);
 * - sign-in throttling is shared: wrong passwords alternating between the nodes are counted
 *   together (each node alone would have seen half);
 * - notification emails go out once although both nodes run the worker;
 * - every connection of the database is terminated (pg_terminate_backend) while concurrent replies
 *   are posted through the proxy; clients retry a failed request with the same idempotency key:
 *   every reply acknowledged with 200 is stored, none is stored twice, and both nodes keep serving.
 * Skipped (with the reason printed) when no PostgreSQL server is reachable, like the other
 * PostgreSQL tests.
 */
import { createServer, request, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { defaultApiConfig } from "@portal/api"
import { startTestSmtpServer, type TestSmtpServer } from "@portal/mail/testing"
import { type Driver, makePgDriver } from "@portal/storage-postgres"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type StartedPortal, startPortal } from "./support/Cli.ts"
import { Client, data, type HttpResponse } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase, TEST_DATABASE_URL } from "./support/Postgres.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD } from "./support/World.ts"

let smtp: TestSmtpServer
let database: FreshDatabase | null
let a: StartedPortal
let b: StartedPortal
let proxy: Server
let proxyPort: number
/** Which node the proxy sent each request to, in order. */
const served: Array<"a" | "b"> = []
let db: Driver
let admin: Driver
const running: Array<StartedPortal> = []

/** Round robin over the nodes, per request; the Host header is passed on unchanged. */
const startProxy = (ports: () => ReadonlyArray<number>): Promise<Server> => {
  let next = 0
  const server = createServer((req, res) => {
    const i = next++ % 2
    served.push(i === 0 ? "a" : "b")
    const upstream = request(
      { host: "127.0.0.1", port: ports()[i], path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      },
    )
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)))
}

beforeAll(async () => {
  database = await freshDatabase("multinode")
  if (database === null) return
  smtp = await startTestSmtpServer()
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_FROM: "Portal <portal@test.local>",
    PORTAL_API_TOKENS: `acme:${ACME_TOKEN}`,
    PORTAL_SECRET: "multi-node-test-secret-0123456789abcdef",
    PORTAL_NOTIFY_POLL_MS: "200",
    LOG_LEVEL: "warn",
  }
  a = await startPortal(env, ["--demo"])
  running.push(a)
  b = await startPortal(env)
  running.push(b)
  proxy = await startProxy(() => [a.port, b.port])
  proxyPort = (proxy.address() as AddressInfo).port
  db = makePgDriver({ connectionString: database.url, max: 2 })
  admin = makePgDriver({ connectionString: TEST_DATABASE_URL, max: 1 })
}, 240_000)

afterAll(async () => {
  for (const p of running) await p.kill().catch(() => undefined)
  await new Promise((r) => (proxy === undefined ? r(undefined) : proxy.close(() => r(undefined))))
  await db?.close().catch(() => undefined)
  await admin?.close().catch(() => undefined)
  await smtp?.close()
  await database?.drop()
})

const viaProxy = () => new Client(proxyPort, "localhost")
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const subjectOf = async (c: Client) => data(await c.query("auth.me"))?.subject ?? null

describe("P-DATA-3: several nodes on one PostgreSQL database", () => {
  it("P-DATA-3: a session made through node A works on node B, and a sign-out on B ends it on A", async () => {
    if (database === null) return
    const onA = new Client(a.port, "localhost")
    await onA.signIn("yuki@globex.test", CUSTOMER_PASSWORD)
    const onB = new Client(b.port, "localhost")
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v)
    expect(await subjectOf(onB)).toMatchObject({ type: "contact" })
    // Through the proxy, every request alternating between the nodes, the session holds.
    const proxied = viaProxy()
    for (const [k, v] of onA.cookies) proxied.cookies.set(k, v)
    const before = served.length
    for (let i = 0; i < 4; i++) expect(await subjectOf(proxied)).toMatchObject({ type: "contact" })
    expect(new Set(served.slice(before))).toEqual(new Set(["a", "b"]))
    expect((await onB.mutate("auth.signOut")).status).toBe(200)
    const again = new Client(a.port, "localhost")
    for (const [k, v] of onA.cookies) again.cookies.set(k, v)
    expect(await subjectOf(again)).toBeNull()
  }, 60_000)

  it("P-DATA-3 P-SEC-4: wrong passwords through both nodes are counted together (shared throttling)", async () => {
    if (database === null) return
    // 10 failures per (account, address) are allowed in the window; every client comes from the
    // proxy's address. Alternating nodes, each node alone sees 5: only a shared count refuses the 11th.
    // The limits count in fixed windows aligned to the clock (SecurityStore.hit: 15 minutes): the 12
    // attempts must fall into one window, so a start close to a window's end waits for the next
    // (a CI run failed at 01:15:00 UTC: the count started again in the new window).
    const windowMs = defaultApiConfig.rateLimits.signInPerIpEmail.windowSeconds * 1000
    const left = windowMs - (Date.now() % windowMs)
    if (left < 45_000) await pause(left + 500)
    const statuses: Array<number> = []
    const nodes: Array<"a" | "b"> = []
    for (let i = 0; i < 12; i++) {
      const res = await viaProxy().mutate("auth.signIn", { email: "mia@initech.test", password: `wrong-${i}` })
      nodes.push(served.at(-1) ?? "a")
      statuses.push(res.status)
    }
    expect(nodes.filter((n) => n === "a").length).toBe(6)
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429])
    // Still refused on either node directly, the right password included (the same address).
    for (const port of [a.port, b.port]) {
      const res = await new Client(port, "localhost").mutate("auth.signIn", {
        email: "mia@initech.test",
        password: CUSTOMER_PASSWORD,
      })
      expect(res.status).toBe(429)
    }
  }, 120_000)

  it("P-DATA-3 P-NOT-3: notification emails go out once with both nodes' workers running", async () => {
    if (database === null) return
    const texts = Array.from({ length: 6 }, (_, i) => `multi-node-mail-${i}`)
    await Promise.all(
      texts.map(async (text, i) => {
        const res = await viaProxy().mutate(
          "integration.messages.create",
          { ticketId: i % 2 === 0 ? "t1" : "t2", agentId: "u1", text, idempotencyKey: `mail-${text}` },
          { authorization: `Bearer ${ACME_TOKEN}` },
        )
        expect(res.status, res.text).toBe(200)
      }),
    )
    for (const t of texts) await smtp.waitFor((m) => m.text.includes(t), 30_000)
    await pause(1500) // both workers polled several times more
    for (const t of texts) expect(smtp.messages.filter((m) => m.text.includes(t)).map((m) => m.to)).toHaveLength(1)
  }, 120_000)

  // This case once killed a node now and then (under load): a pooled connection handed to a
  // waiting transaction inside the socket read that also held its termination. The driver now
  // listens on every connection for its whole life (PgDriver.ts); test/db-terminate.postgres.test.ts
  // reproduces that window on purpose.
  it("P-DATA-3: every connection terminated mid-load loses no acknowledged reply, stores none twice, and both nodes keep serving", async () => {
    if (database === null) return
    const ken = viaProxy()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const N = 30
    const acknowledged = new Set<string>()
    const attempts = { total: 0, failed: 0, fiveHundreds: 0 }
    const failures: Array<string> = []
    let load = true
    /** One reply, retried with the same idempotency key until a 200 (as a client does after an error). */
    const post = async (i: number) => {
      const text = `multi-node-load-${i}`
      for (let attempt = 0; attempt < 40; attempt++) {
        attempts.total++
        let res: HttpResponse | null = null
        try {
          res = await ken.mutate("tickets.reply", { ticketId: i % 2 === 0 ? "t2" : "t1", text, idempotencyKey: text })
        } catch {
          res = null
        }
        if (res?.status === 200) {
          acknowledged.add(text)
          return
        }
        attempts.failed++
        if (res !== null && res.status >= 500) attempts.fiveHundreds++
        failures.push(
          res === null ? "no response" : `${res.status} ${res.json?.error?.data?.code ?? res.text.slice(0, 80)}`,
        )
        await pause(100 + Math.random() * 200)
      }
    }
    const terminate = () =>
      admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [new URL(database?.url ?? "").pathname.slice(1)],
      )
    const killer = (async () => {
      let kills = 0
      let killed = 0
      while (load && kills < 3) {
        await pause(150)
        const [row] = await terminate()
        killed += row?.n ?? 0
        kills++
      }
      return killed
    })()
    await Promise.all(Array.from({ length: N }, (_, i) => post(i)))
    load = false
    const killed = await killer
    expect(killed).toBeGreaterThan(0)
    // Every reply was acknowledged in the end (the retries), and each is stored exactly once.
    expect(acknowledged.size).toBe(N)
    const stored = await db.query<{ text: string; n: number }>(
      `SELECT text, count(*)::int AS n FROM messages WHERE workspace_id = 'acme' AND text LIKE 'multi-node-load-%' GROUP BY text`,
    )
    const counts = new Map(stored.map((r) => [r.text, r.n]))
    for (const text of acknowledged) expect(counts.get(text), text).toBe(1)
    expect(stored.length).toBe(N)
    // A failed attempt is a 503 (storage unavailable, retry), never a 500 nor a dead node (the proxy's 502).
    for (const f of failures) expect(f).toMatch(/^503 /)
    console.info(
      `multi-node: ${killed} connections terminated; ${attempts.total} attempts, ${attempts.failed} failed (${attempts.fiveHundreds} 5xx), all retried to 200: ${[...new Set(failures)].join("; ")}`,
    )
    // Both nodes keep serving: readiness and a signed-in read on each, directly.
    await pause(1500)
    for (const port of [a.port, b.port]) {
      const c = new Client(port, "localhost")
      for (const [k, v] of ken.cookies) c.cookies.set(k, v)
      expect((await c.request("/readyz")).status).toBe(200)
      expect(await subjectOf(c)).toMatchObject({ type: "contact" })
      const later = await c.mutate("tickets.reply", {
        ticketId: "t2",
        text: `after-${port}`,
        idempotencyKey: `after-${port}`,
      })
      expect(later.status, later.text).toBe(200)
    }
    // The agent workspace on the other account still works too (a fresh sign-in through the proxy).
    const hana = viaProxy()
    await hana.signIn(ADMIN.email, ADMIN.password, true)
    expect((await hana.query("agent.tickets.list", {})).status).toBe(200)
  }, 240_000)
})
