/**
 * What a customer waits for: the ticket list and a ticket over real HTTP (loopback, keep-alive),
 * against the real Express app and API on @portal/storage-postgres, with a generated workspace
 * (bench/http-list-workspace.ts) imported through core's import use-case.
 *
 *   pnpm --filter @portal/server run bench:http                          (PGlite in a temp folder)
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm --filter @portal/server run bench:http
 *
 * With DATABASE_URL (an admin connection) it creates database `portal_bench_<pid>` on that server
 * and drops it at the end. BENCH_TICKETS (default 20000), BENCH_N (sequential requests per case,
 * default 200), BENCH_TIMEOUT_S (default 900), BENCH_SETTLE: what the bench runs after the import,
 * before any request: `vacuum` (default; VACUUM ANALYZE of the whole database, as the SQL bench
 * does; autovacuum gets there except for tables too small for its thresholds, e.g. `stages`),
 * `analyze` (ANALYZE of the whole database) or `none` (only what the import itself does; PGlite has
 * no autovacuum, so an embedded portal stays like this).
 * BENCH_TRACE=1 prints each case's SQL statements with their times; BENCH_EXPLAIN=<part of a case
 * name> prints the plan of the slowest statement of one request of the matching cases.
 * The server is built like Server.ts does it (runtime, warm-up, createPortalApp, listen), except that
 * the storage layer gets the driver through a thin wrapper that counts the SQL statements and the
 * time spent in them, to show where a request's time goes.
 * A benchmark, not a test: slow figures never fail it. Exit 1: an unexpected HTTP status; 2: the
 * hard timeout; 3: the setup failed (no database server, …); 130: SIGINT/SIGTERM. It drops what it
 * created in every case.
 */

import { mkdtempSync, rmSync } from "node:fs"
import { Agent, createServer, request } from "node:http"
import type { AddressInfo } from "node:net"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { defaultApiConfig, makeApiTokens } from "@portal/api"
import { importWorkspace, layerMailQueue } from "@portal/core/usecases"
import { layerArgon2 } from "@portal/identity"
import {
  type Driver,
  layerDatabase,
  layerStores,
  makePgDriver,
  openDriver,
  type Queryable,
} from "@portal/storage-postgres"
import { Effect, Layer, ManagedRuntime } from "effect"
import { createPortalApp } from "../src/App.ts"
import { makeLogger } from "../src/Logger.ts"
import { layerLogMailer } from "../src/Mail.ts"
import { type ServerRuntime, warmUp } from "../src/Runtime.ts"
import { layerSystemLive } from "../src/System.ts"
import { BENCH_HOST, BENCH_PASSWORD, type BenchCustomer, generateWorkspace, RARE_TERM } from "./http-list-workspace.ts"

const int = (name: string, fallback: number, min: number, max: number) =>
  Math.min(Math.max(Math.floor(Number(process.env[name] ?? fallback)) || fallback, min), max)
const TICKETS = int("BENCH_TICKETS", 20_000, 100, 1_000_000)
const N = int("BENCH_N", 200, 20, 5000)
const WARMUP = 20
const CONCURRENCY = [8, 32] as const
const PHASE_MAX_MS = 30_000 // one case at one concurrency stops after this, whatever its count
const SETTLE: Record<string, string> = { vacuum: "VACUUM ANALYZE", analyze: "ANALYZE", none: "" }
const ADMIN_URL = process.env.DATABASE_URL?.trim() || null
const LOAD_AT_START = loadavg()

// What to undo, in reverse order. Every way out (end, error, timeout, signal) awaits the same run
// of it, so the process never exits while the database is still being dropped.
const cleanups: Array<() => Promise<void>> = []
let cleaning: Promise<void> | null = null
const cleanUp = (): Promise<void> => {
  cleaning ??= (async () => {
    for (const f of cleanups.splice(0).reverse()) await f().catch((e) => console.error("cleanup:", e))
  })()
  return cleaning
}
/** Set by the timeout or a signal: the exit code to use whatever main() ends with. */
let abortCode: number | null = null
const abort = (code: number, why: string) => {
  console.error(`bench: ${why}, cleaning up`)
  abortCode ??= code
  setTimeout(() => process.exit(code), 30_000).unref()
  void cleanUp().finally(() => process.exit(code))
}
setTimeout(() => abort(2, "timed out"), int("BENCH_TIMEOUT_S", 900, 30, 3600) * 1000).unref()
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => abort(130, signal))

/** Every SQL statement the stores send, counted and timed (pool waits included). */
const sql = {
  statements: 0,
  ms: 0,
  /** BENCH_TRACE: calls and time per statement (its first 80 characters), in order of first use. */
  trace: null as Map<string, { calls: number; ms: number }> | null,
  /** BENCH_EXPLAIN: the slowest statement since it was reset. */
  slowest: null as { text: string; params: ReadonlyArray<unknown>; ms: number } | null,
}
const traced = (text: string, ms: number) => {
  sql.statements++
  sql.ms += ms
  if (sql.trace === null) return
  const key = text.replace(/\s+/g, " ").trim().slice(0, 80)
  const seen = sql.trace.get(key) ?? { calls: 0, ms: 0 }
  sql.trace.set(key, { calls: seen.calls + 1, ms: seen.ms + ms })
}
/** `q` with every statement traced; `spent` (if given) also sums this wrapper's own time. */
const counted = (q: Queryable, spent?: { ms: number }): Queryable => {
  const timed = async <A>(text: string, params: ReadonlyArray<unknown>, run: () => Promise<A>): Promise<A> => {
    const t0 = performance.now()
    try {
      return await run()
    } finally {
      const ms = performance.now() - t0
      traced(text, ms)
      if (spent !== undefined) spent.ms += ms
      if (sql.slowest !== null && ms > sql.slowest.ms) sql.slowest = { text, params, ms }
    }
  }
  return {
    query: (text, params) =>
      timed(typeof text === "string" ? text : text.text, params ?? [], () => q.query(text, params)),
    exec: (text) => timed(text, [], () => q.exec(text)),
  }
}
const countedDriver = (d: Driver): Driver => ({
  ...counted(d),
  kind: d.kind,
  // BEGIN and COMMIT are sent by the driver itself: counted as two statements, timed together as
  // the transaction's time outside the statements of its body (pool wait included).
  transaction: async (body) => {
    const t0 = performance.now()
    const spent = { ms: 0 }
    try {
      return await d.transaction((tx) => body(counted(tx, spent)))
    } finally {
      const outside = performance.now() - t0 - spent.ms
      traced("BEGIN", outside / 2)
      traced("COMMIT", outside / 2)
    }
  },
  close: () => d.close(),
})

// ---- HTTP client: one keep-alive agent, the body read in full, nothing parsed while timing.
const agent = new Agent({ keepAlive: true, maxSockets: 64 })
interface Res {
  readonly status: number
  readonly body: string
  readonly setCookie: ReadonlyArray<string>
}
const send = (port: number, method: string, path: string, cookie: string, body?: string) =>
  new Promise<Res>((resolve, reject) => {
    const headers: Record<string, string> = { host: `${BENCH_HOST}:${port}` }
    if (cookie !== "") headers.cookie = cookie
    if (body !== undefined) headers["content-type"] = "application/json"
    const req = request({ host: "127.0.0.1", port, path, method, headers, agent }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          setCookie: res.headers["set-cookie"] ?? [],
        }),
      )
      res.on("error", reject)
    })
    req.on("error", reject)
    req.end(body)
  })
const trpcPath = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`

class UnexpectedStatus extends Error {}
const expectOk = (what: string, res: Res): Res => {
  if (res.status !== 200) throw new UnexpectedStatus(`${what}: HTTP ${res.status} ${res.body.slice(0, 300)}`)
  return res
}
// biome-ignore lint/suspicious/noExplicitAny: the bench reads tRPC JSON loosely
const dataOf = (res: Res): any => JSON.parse(res.body).result.data

const signIn = async (port: number, who: BenchCustomer): Promise<string> => {
  const res = expectOk(
    `sign-in of ${who.email}`,
    await send(port, "POST", "/trpc/auth.signIn", "", JSON.stringify({ email: who.email, password: BENCH_PASSWORD })),
  )
  const cookie = res.setCookie.map((c) => c.split(";")[0] ?? "").find((c) => c.startsWith("portal_session="))
  if (cookie === undefined) throw new Error(`sign-in of ${who.email}: no session cookie`)
  return cookie
}

// ---- Measuring.
interface Case {
  readonly name: string
  readonly path: string
  readonly cookie: string
}
interface Row {
  readonly name: string
  readonly concurrency: number
  readonly n: number
  readonly median: number
  readonly p90: number
  readonly p99: number
  readonly rps: number
  readonly sqlPerRequest: number
  readonly sqlMsPerRequest: number
  readonly elu: number
  /** CPU time of this process (server and client) per request, ms. */
  readonly cpuMsPerRequest: number
}
const quantile = (sorted: ReadonlyArray<number>, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN

const runPhase = async (port: number, c: Case, total: number, concurrency: number): Promise<Row> => {
  const times: Array<number> = []
  let started = 0
  const s0 = { statements: sql.statements, ms: sql.ms }
  const elu0 = performance.eventLoopUtilization()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const deadline = t0 + PHASE_MAX_MS
  const worker = async () => {
    while (started < total && performance.now() < deadline) {
      started++
      const t = performance.now()
      const res = await send(port, "GET", c.path, c.cookie)
      times.push(performance.now() - t)
      expectOk(c.name, res)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const sorted = times.sort((a, b) => a - b)
  return {
    name: c.name,
    concurrency,
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    rps: (sorted.length / wall) * 1000,
    sqlPerRequest: (sql.statements - s0.statements) / sorted.length,
    sqlMsPerRequest: (sql.ms - s0.ms) / sorted.length,
    elu: performance.eventLoopUtilization(elu0).utilization,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / sorted.length,
  }
}

const printRows = (rows: ReadonlyArray<Row>) => {
  const f = (x: number, w = 8, d = 2) => x.toFixed(d).padStart(w)
  console.log(
    `${"case".padEnd(44)}${"conc".padStart(5)}${"reqs".padStart(6)}  median     p90     p99    req/s  sql/req  sql ms/req  node cpu ms/req  ELU`,
  )
  for (const r of rows)
    console.log(
      `${r.name.padEnd(44)}${String(r.concurrency).padStart(5)}${String(r.n).padStart(6)}${f(r.median)}${f(r.p90)}${f(r.p99)}${f(r.rps, 9, 0)}${f(r.sqlPerRequest, 9, 1)}${f(r.sqlMsPerRequest, 12)}${f(r.cpuMsPerRequest, 17)}${f(r.elu, 5)}`,
    )
}

const main = async () => {
  const dbName = `portal_bench_${process.pid}`
  let databaseUrl: string | null = null
  if (ADMIN_URL !== null) {
    const admin = makePgDriver({ connectionString: ADMIN_URL, max: 1 })
    cleanups.push(async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      await admin.close()
    })
    await admin.exec(`CREATE DATABASE ${dbName}`)
    const url = new URL(ADMIN_URL)
    url.pathname = `/${dbName}`
    databaseUrl = url.toString()
  }
  const dataDir = databaseUrl === null ? mkdtempSync(join(tmpdir(), "portal-bench-http-")) : null
  if (dataDir !== null) cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }))

  // Server.ts's startServer, with the driver wrapped (see the header).
  let driver: Driver | null = null
  const database = layerDatabase(async () => {
    driver = countedDriver(await openDriver(databaseUrl !== null ? { databaseUrl } : { dataDir: dataDir ?? "" }))
    return driver
  })
  const logger = makeLogger("error")
  const runtime: ServerRuntime = ManagedRuntime.make(
    Layer.mergeAll(
      layerStores.pipe(Layer.provide(database)),
      Layer.provideMerge(layerMailQueue(), layerLogMailer(logger)),
      layerArgon2,
      layerSystemLive,
    ),
  )
  cleanups.push(() => runtime.dispose())
  await warmUp(runtime)
  const db = driver as Driver | null
  if (db === null) throw new Error("the storage layer did not open a driver")
  const { listener } = createPortalApp({
    runtime,
    logger,
    apiTokens: makeApiTokens([]),
    secret: "bench-secret-0123456789abcdef0123456789",
    trustProxy: 0,
    apiConfig: defaultApiConfig,
    pages: null,
  })
  // The listener Server.ts serves (the fast lane for plain queries, then Express).
  const server = createServer(listener).listen(0, "127.0.0.1")
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject))
  let connections = 0
  server.on("connection", () => connections++)
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const port = (server.address() as AddressInfo).port

  const t0 = performance.now()
  const ws = generateWorkspace(TICKETS)
  const tGen = performance.now()
  await runtime.runPromise(importWorkspace(ws.doc).pipe(Effect.orDie))
  const tImport = performance.now()
  const importedAt = new Date().toISOString()
  const settle = SETTLE[process.env.BENCH_SETTLE ?? "vacuum"]
  if (settle === undefined) throw new Error("BENCH_SETTLE must be vacuum, analyze or none")
  if (settle !== "") await db.exec(settle)
  const [version] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")
  const [size] = await db.query<{ s: string }>("SELECT pg_size_pretty(pg_database_size(current_database())) AS s")

  console.log(
    `HTTP ticket list bench: Node ${process.version}, ${cpus().length} CPUs, load average at start ${LOAD_AT_START.map((l) => l.toFixed(2)).join(" ")}`,
  )
  console.log(
    `driver: ${db.kind === "pg" ? `pg, PostgreSQL server ${version?.v}` : `PGlite (PostgreSQL ${version?.v}) in ${dataDir}`}; ` +
      `${TICKETS} tickets, ${ws.counts.messages} messages, ${ws.counts.contacts} contacts, ${ws.counts.companies} companies; database ${size?.s}`,
  )
  console.log(
    `generate ${((tGen - t0) / 1000).toFixed(1)} s, import ${((tImport - tGen) / 1000).toFixed(1)} s (done ${importedAt})` +
      `, then ${settle === "" ? "nothing (BENCH_SETTLE=none)" : settle}; company c0: ${ws.companyTickets} tickets; ` +
      `company customer ${ws.company.contactId}: ${ws.company.ownTickets} own; contact customer ${ws.contact.contactId}: ${ws.contact.ownTickets} own`,
  )

  const companyCookie = await signIn(port, ws.company)
  const contactCookie = await signIn(port, ws.contact)
  const list = (input: Record<string, unknown>) => trpcPath("tickets.list", input)
  const org = { view: "organization", sort: "lastActivity" }
  const first = dataOf(expectOk("first page", await send(port, "GET", list(org), companyCookie)))
  const ticketId: string | undefined = first.items[0]?.id
  if (first.nextCursor === null || ticketId === undefined) throw new Error("the first page has no next page")
  const cases: ReadonlyArray<Case> = [
    { name: "GET /healthz (no store, HTTP floor)", path: "/healthz", cookie: companyCookie },
    { name: "auth.me (host + session only)", path: trpcPath("auth.me", undefined), cookie: companyCookie },
    { name: "list org, first page", path: list(org), cookie: companyCookie },
    { name: "list org, next page (cursor)", path: list({ ...org, cursor: first.nextCursor }), cookie: companyCookie },
    { name: `list org, search "${RARE_TERM}"`, path: list({ ...org, q: RARE_TERM }), cookie: companyCookie },
    { name: "list org, status open", path: list({ ...org, status: "open" }), cookie: companyCookie },
    { name: "list mine", path: list({ view: "mine", sort: "lastActivity" }), cookie: companyCookie },
    { name: `tickets.get ${ticketId}`, path: trpcPath("tickets.get", { ticketId }), cookie: companyCookie },
    { name: "list, contact-scope customer", path: list({ sort: "lastActivity" }), cookie: contactCookie },
  ]
  // What each case returns, once (a sanity check of the workspace, not a measurement).
  for (const c of cases.slice(2)) {
    const d = dataOf(expectOk(c.name, await send(port, "GET", c.path, c.cookie)))
    const shown = Array.isArray(d.items)
      ? `${d.items.length} items, next ${d.nextCursor === null ? "none" : "yes"}`
      : `${d.messages?.length} messages`
    console.log(`  ${c.name}: ${shown}`)
  }
  // BENCH_EXPLAIN=<part of a case name>: the plan of the slowest statement of one request.
  const explain = process.env.BENCH_EXPLAIN
  if (explain !== undefined)
    for (const c of cases.filter((c) => c.name.includes(explain))) {
      sql.slowest = { text: "", params: [], ms: -1 }
      expectOk(c.name, await send(port, "GET", c.path, c.cookie))
      const last = sql.slowest
      sql.slowest = null
      if (last.ms < 0 || !last.text.startsWith("SELECT")) continue
      const plan = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${last.text}`, last.params)
      const text = plan.map((r) => r["QUERY PLAN"]).join("\n")
      console.log(
        `\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statement of ${c.name} (${last.ms.toFixed(2)} ms):\n${text}`,
      )
      // A sequential scan of tickets: what the plan the planner rejected (indexes) would cost.
      if (/Seq Scan on tickets/.test(text)) {
        const forced = await db.transaction(async (tx) => {
          await tx.exec("SET LOCAL enable_seqscan = off")
          return tx.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${last.text}`, last.params)
        })
        console.log(`\nthe same with enable_seqscan = off:\n${forced.map((r) => r["QUERY PLAN"]).join("\n")}`)
      }
    }
  if (process.env.BENCH_TRACE !== undefined) {
    // Where a request's SQL time goes: 20 sequential requests per case, per statement.
    const TRACE_N = 20
    for (const c of cases) await runPhase(port, c, 5, 1)
    for (const c of cases.slice(1)) {
      sql.trace = new Map()
      const row = await runPhase(port, c, TRACE_N, 1)
      console.log(
        `\nSQL of ${c.name} (mean of ${TRACE_N} sequential requests, median latency ${row.median.toFixed(2)} ms)`,
      )
      console.log("  calls/req  ms/call  statement")
      for (const [text, t] of sql.trace)
        console.log(
          `  ${(t.calls / TRACE_N).toFixed(1).padStart(9)}  ${(t.ms / t.calls).toFixed(3).padStart(7)}  ${text}`,
        )
      sql.trace = null
    }
  }

  for (const c of cases) await runPhase(port, c, WARMUP, 1)
  const rows: Array<Row> = []
  for (const c of cases) rows.push(await runPhase(port, c, N, 1))
  for (const concurrency of CONCURRENCY)
    for (const c of cases) rows.push(await runPhase(port, c, Math.max(N, 25 * concurrency), concurrency))
  console.log(
    `\nloopback HTTP, keep-alive; latency in ms from sending the request to the end of the body; ${WARMUP} warm-up requests per case`,
  )
  printRows(rows)
  // Did autovacuum touch the tickets during the run (it would change plans mid-run)?
  const [auto] = await db.query<{ vacuum: unknown; analyze: unknown }>(
    "SELECT last_autovacuum AS vacuum, last_autoanalyze AS analyze FROM pg_stat_user_tables WHERE relname = 'tickets'",
  )
  console.log(`autovacuum of tickets: last vacuum ${String(auto?.vacuum)}, last analyze ${String(auto?.analyze)}`)
  console.log(
    `TCP connections opened: ${connections}; load average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  )
}

main()
  .then(
    () => 0,
    (e) => {
      console.error(e instanceof UnexpectedStatus ? e.message : e)
      return e instanceof UnexpectedStatus ? 1 : 3
    },
  )
  .then(async (code) => {
    await cleanUp()
    process.exit(abortCode ?? code)
  })
