/**
 * The portal against two bare baselines, over HTTP, on PostgreSQL (docs/http-bench.md):
 *
 *   pnpm --filter @portal/server bench:http
 *   BENCH_QUICK=1 pnpm --filter @portal/server bench:http        (2,000 tickets, 1 s phases)
 *
 * - Database: `portal_bench_http_<tickets>` on DATABASE_URL's server (an admin connection; default
 *   postgres://postgres@127.0.0.1:5432/postgres), created and filled once (bench/http-list-workspace.ts
 *   through core's import use-case, then VACUUM ANALYZE), reused by later runs (marked complete by a
 *   comment on the database). BENCH_FRESH=1 drops and rebuilds it.
 * - Three servers, each in its own process (bench/http/child.ts): the portal (built as startServer
 *   builds it, with the SvelteKit pages when apps/portal is built, and a statement-recording
 *   driver), and the two baselines of bench/http/baseline.ts — `minimal` (session row, contact,
 *   the ticket SQL; host, settings, catalog in memory) and `same` (the portal's own statement
 *   sequence, replayed). The baselines get the statements the portal sent for each request,
 *   recorded, and must answer with the same bytes: checked once before measuring.
 * - Cases: `tickets.list` (organization view), `tickets.get` (the first ticket of that list), and
 *   the SSR list page `/<slug>?view=organization` next to the API call it makes, at concurrency
 *   1, 8, 32, 50 (BENCH_CONCURRENCY=1,32 to choose): keep-alive clients in this process, each phase
 *   BENCH_SECONDS long (default 5; quick 1) after a short warm-up.
 * - Printed per server: req/s, median and p99 latency (ms), the server process's CPU time per
 *   request (process.cpuUsage), its RSS after the phase, SQL statements per request, and req/s as
 *   a ratio of the minimal baseline's.
 * - BENCH_PROFILE=<dir>: the portal runs with `node --cpu-prof` into <dir>, and only one case at
 *   concurrency 32 (BENCH_PROFILE_CONCURRENCY) is measured: BENCH_PROFILE_CASE=list (default), get or page (the SSR list page);
 *   bench/http/profile-summary.ts summarizes the profile. BENCH_PROFILE_SERVER=minimal (or same,
 *   core) profiles that server instead, for a comparison per request. BENCH_HEAP_SAMPLE=<file>:
 *   the profiled server also samples its allocations (child.ts).
 * - BENCH_CORE=1: a fourth server, "core": the portal's runtime, context and use-cases behind a
 *   bare node:http handler, without Express, tRPC, the access log and the headers
 *   (bench/http/core-direct.ts): portal − core is the HTTP framework's cost per request.
 * - BENCH_ROUNDS=n: each case n rounds of BENCH_SECONDS per server, the servers alternating; the
 *   rows pool the rounds, and each ratio to minimal is also printed round by round with its median.
 * - BENCH_PREPARED=1: the baselines use named prepared statements.
 * - The portal runs the packages' built JavaScript (`pnpm build` first), as in production;
 *   BENCH_SOURCE=1: their TypeScript sources through tsx (`--conditions=source`).
 * A benchmark, not a test (test/bench-baseline.test.ts checks the baselines' answers).
 */
import { type ChildProcess, fork } from "node:child_process"
import { existsSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { dirname, join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { makePgDriver } from "@portal/storage-postgres"
import type { Plan } from "./http/baseline.ts"
import { type Captured, capture, firstDifference } from "./http/capture.ts"
import type { ChildRequest, ChildStats } from "./http/child.ts"
import { agent, send, signIn, trpcPath } from "./http/client.ts"
import type { Statement } from "./http/recording.ts"
import { generateWorkspace } from "./http-list-workspace.ts"
import { median, quantile } from "./stats.ts"

const QUICK = process.env.BENCH_QUICK === "1"
const int = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback)
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback
}
const TICKETS = int("BENCH_TICKETS", QUICK ? 2_000 : 100_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 5))
/** BENCH_ROUNDS=n: each case measured n times per server, the servers alternating (default 1). */
const ROUNDS = int("BENCH_ROUNDS", 1)
const PROFILE = process.env.BENCH_PROFILE ?? null
/** What BENCH_PROFILE profiles: list (default), get, or page (the SSR list page). */
const PROFILE_CASE = (["list", "get", "page"] as const).find((c) => c === process.env.BENCH_PROFILE_CASE) ?? "list"
/** Which server BENCH_PROFILE profiles: portal (default), minimal or same (a baseline, to compare per request). */
const PROFILE_SERVER =
  (["portal", "core", "minimal", "same"] as const).find((s) => s === process.env.BENCH_PROFILE_SERVER) ?? "portal"
/** BENCH_CORE=1 (or profiling it): the "core" server too (bench/http/core-direct.ts). */
const WITH_CORE = process.env.BENCH_CORE === "1" || PROFILE_SERVER === "core"
const CONCURRENCY = PROFILE
  ? [int("BENCH_PROFILE_CONCURRENCY", 32)]
  : (process.env.BENCH_CONCURRENCY ?? "1,8,32,50")
      .split(",")
      .map(Number)
      .filter((n) => n > 0)
const PREPARED = process.env.BENCH_PREPARED === "1"
const ADMIN_URL = process.env.DATABASE_URL?.trim() || "postgres://postgres@127.0.0.1:5432/postgres"
const DB_NAME = `portal_bench_http_${TICKETS}`
const COMPLETE = "portal-bench complete"
const SOURCE = process.env.BENCH_SOURCE === "1"
/**
 * A second portal in the same run, measured case by case beside the first (A/B on a noisy machine):
 * BENCH_B=<another checkout's root> runs that checkout's portal (built; e.g. a git worktree of the
 * old commit), BENCH_B_ARGS="<node flags>" runs it with other V8 flags; either or both.
 */
const B_ROOT = process.env.BENCH_B?.trim() || null
const B_ARGS = (process.env.BENCH_B_ARGS ?? "").split(" ").filter((a) => a !== "")
/** BENCH_B_NO_PAGES=1: portal-b mounts no SvelteKit pages (what serving pages costs the API calls). */
const B_NO_PAGES = process.env.BENCH_B_NO_PAGES === "1"
const WITH_B = B_ROOT !== null || B_ARGS.length > 0 || B_NO_PAGES
/** Node flags for the (first) portal's process, e.g. "--heap-prof --heap-prof-dir=/tmp/heap". */
const A_ARGS = (process.env.BENCH_A_ARGS ?? "").split(" ").filter((a) => a !== "")
const PORTAL_HANDLER = fileURLToPath(new URL("../../portal/build/handler.js", import.meta.url))
const CHILD = fileURLToPath(new URL("./http/child.ts", import.meta.url))
const LOAD_AT_START = loadavg()

// ---- The server processes.
interface Child {
  readonly name: string
  readonly process: ChildProcess
  readonly call: <A>(request: ChildRequest) => Promise<A>
}
const children: Array<Child> = []
const startChild = (name: string, extraArgs: ReadonlyArray<string> = [], childPath = CHILD): Child => {
  // BENCH_HEAP_SAMPLE reaches only the server BENCH_PROFILE_SERVER names (child.ts).
  const { BENCH_HEAP_SAMPLE, ...env } = process.env
  const child = fork(childPath, [], {
    execArgv: ["--import", "tsx", ...extraArgs],
    env: name === PROFILE_SERVER && BENCH_HEAP_SAMPLE !== undefined ? { ...env, BENCH_HEAP_SAMPLE } : env,
    // A checkout's child resolves that checkout's packages (BENCH_B).
    cwd: dirname(dirname(dirname(childPath))),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  })
  let next = 0
  const waiting = new Map<number, { resolve: (a: unknown) => void; reject: (e: Error) => void }>()
  child.on("message", (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id)
    waiting.delete(m.id)
    if (m.error !== undefined) w?.reject(new Error(`${name}: ${m.error}`))
    else w?.resolve(m.result)
  })
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`${name} exited with ${code}`))
    waiting.clear()
  })
  const c: Child = {
    name,
    process: child,
    call: <A>(request: ChildRequest) =>
      new Promise<A>((resolve, reject) => {
        const id = next++
        waiting.set(id, { resolve: resolve as (a: unknown) => void, reject })
        child.send({ id, request })
      }),
  }
  children.push(c)
  return c
}
const stopAll = async () => {
  agent.destroy()
  await Promise.all(
    children.map(async (c) => {
      if (c.process.exitCode !== null) return
      const exited = new Promise((resolve) => c.process.once("exit", resolve))
      await c.call({ op: "stop" }).catch(() => undefined)
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      if (c.process.exitCode === null) c.process.kill()
    }),
  )
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130))
  })

// ---- Measuring.
interface Server {
  readonly name: string
  readonly child: Child
  readonly port: number
}
interface Row {
  readonly request: string
  readonly server: string
  readonly concurrency: number
  readonly n: number
  readonly rps: number
  readonly median: number
  readonly p99: number
  readonly cpuMs: number
  readonly sysMs: number
  readonly rssMb: number
  readonly statements: number
}

/** One phase's raw measurements; rowOf merges a case's rounds (BENCH_ROUNDS) into its row. */
interface Sample {
  readonly request: string
  readonly server: string
  readonly concurrency: number
  readonly times: ReadonlyArray<number>
  readonly wall: number
  readonly cpuMicros: number
  readonly systemMicros: number
  readonly rss: number
  readonly statements: number
}

const phase = async (
  server: Server,
  request: string,
  path: string,
  cookie: string,
  concurrency: number,
  seconds: number,
): Promise<Sample> => {
  const times: Array<number> = []
  const before = await server.child.call<ChildStats>({ op: "stats" })
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now()
      const res = await send(server.port, "GET", path, cookie)
      if (res.status !== 200) throw new Error(`${server.name} ${request}: HTTP ${res.status}`)
      times.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const wall = performance.now() - t0
  const after = await server.child.call<ChildStats>({ op: "stats" })
  return {
    request,
    server: server.name,
    concurrency,
    times,
    wall,
    cpuMicros: after.cpuMicros - before.cpuMicros,
    // An older checkout's child (BENCH_B) may not report it.
    systemMicros: (after.systemMicros ?? 0) - (before.systemMicros ?? 0),
    rss: after.rss,
    statements: after.statements - before.statements,
  }
}

/** A case's row from its rounds: requests and times pooled, RSS after the last round. */
const rowOf = (samples: ReadonlyArray<Sample>): Row => {
  const first = samples[0]
  const last = samples[samples.length - 1]
  if (first === undefined || last === undefined) throw new Error("no sample")
  const sorted = samples.flatMap((s) => s.times).sort((a, b) => a - b)
  const sum = (f: (s: Sample) => number) => samples.reduce((acc, s) => acc + f(s), 0)
  return {
    request: first.request,
    server: first.server,
    concurrency: first.concurrency,
    n: sorted.length,
    rps: (sorted.length / sum((s) => s.wall)) * 1000,
    median: median(sorted),
    p99: quantile(sorted, 0.99),
    cpuMs: sum((s) => s.cpuMicros) / 1000 / sorted.length,
    sysMs: sum((s) => s.systemMicros) / 1000 / sorted.length,
    rssMb: last.rss / 1024 / 1024,
    statements: sum((s) => s.statements) / sorted.length,
  }
}

const printRows = (rows: ReadonlyArray<Row>) => {
  const f = (x: number, w: number, d = 1) => x.toFixed(d).padStart(w)
  console.log(
    `${"request".padEnd(22)}${"c".padStart(3)} ${"server".padEnd(9)}${"reqs".padStart(7)}${"req/s".padStart(8)}${"median".padStart(8)}${"p99".padStart(8)}${"cpu ms/req".padStart(11)}${"of sys".padStart(7)}${"RSS MB".padStart(8)}${"sql/req".padStart(8)}${"ratio".padStart(7)}`,
  )
  for (const r of rows) {
    const reference = rows.find(
      (o) =>
        o.concurrency === r.concurrency &&
        (r.request === "SSR page"
          ? o.request === "list (API, paired)" && o.server === r.server
          : o.request === r.request && o.server === "minimal"),
    )
    const ratio = reference === undefined ? "" : (r.rps / reference.rps).toFixed(2)
    console.log(
      `${r.request.padEnd(22)}${String(r.concurrency).padStart(3)} ${r.server.padEnd(9)}${String(r.n).padStart(7)}${f(r.rps, 8, 0)}${f(r.median, 8, 2)}${f(r.p99, 8, 2)}${f(r.cpuMs, 11, 2)}${f(r.sysMs, 7, 2)}${f(r.rssMb, 8, 0)}${f(r.statements, 8)}${ratio.padStart(7)}`,
    )
  }
}

const statementsText = (statements: ReadonlyArray<Statement>) =>
  statements.map((s) => `    ${s.tx === 0 ? " " : "T"} ${s.text.replace(/\s+/g, " ").trim().slice(0, 110)}`).join("\n")

const main = async () => {
  // ---- The database, created and filled once.
  const admin = makePgDriver({ connectionString: ADMIN_URL, max: 1 })
  const fresh = process.env.BENCH_FRESH === "1"
  const [existing] = await admin.query<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [DB_NAME],
  )
  const reuse = existing !== undefined && existing.comment === COMPLETE && !fresh
  if (!reuse) {
    if (existing !== undefined) await admin.exec(`DROP DATABASE ${DB_NAME} WITH (FORCE)`)
    await admin.exec(`CREATE DATABASE ${DB_NAME}`)
  }
  const url = new URL(ADMIN_URL)
  url.pathname = `/${DB_NAME}`
  const databaseUrl = url.toString()
  const pages = existsSync(PORTAL_HANDLER) ? PORTAL_HANDLER : null
  const profileArgs = PROFILE === null ? [] : ["--cpu-prof", `--cpu-prof-dir=${PROFILE}`]
  // The portal runs the packages' built JavaScript (dist, as in production; `pnpm build` first),
  // or with BENCH_SOURCE=1 their TypeScript sources through tsx.
  const portalChild = startChild("portal", [
    ...(SOURCE ? ["--conditions=source"] : []),
    ...(PROFILE_SERVER === "portal" ? profileArgs : []),
    ...A_ARGS,
  ])
  const portal: Server = {
    name: "portal",
    child: portalChild,
    port: (await portalChild.call<{ port: number }>({ op: "startPortal", databaseUrl, portalHandler: pages })).port,
  }
  const ws = generateWorkspace(TICKETS)
  let importNote = `reused ${DB_NAME}`
  if (!reuse) {
    const t0 = performance.now()
    await portalChild.call({ op: "import", tickets: TICKETS })
    await admin.exec(`COMMENT ON DATABASE ${DB_NAME} IS '${COMPLETE}'`)
    importNote = `created ${DB_NAME}: import and VACUUM ANALYZE ${((performance.now() - t0) / 1000).toFixed(0)} s`
  }
  const db = makePgDriver({ connectionString: databaseUrl, max: 1 })
  const [version] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")
  const [size] = await db.query<{ s: string }>("SELECT pg_size_pretty(pg_database_size(current_database())) AS s")
  await db.close()
  await admin.close()
  console.log(
    `HTTP bench: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${LOAD_AT_START.map((l) => l.toFixed(2)).join(" ")}`,
  )
  console.log(
    `PostgreSQL ${version?.v}; ${TICKETS} tickets, company c0 ${ws.companyTickets} tickets; database ${size?.s}; ${importNote}; SvelteKit pages ${pages === null ? "NOT built (apps/portal/build missing): no SSR case" : "mounted"}; portal packages: ${SOURCE ? "TypeScript sources (BENCH_SOURCE=1)" : "built dist"}`,
  )

  // ---- What the baselines must answer, recorded from the portal.
  const cookie = await signIn(portal.port, ws.company)
  // Run f with the portal's statement recorder on: what it sent.
  let recorded: ReadonlyArray<Statement> = []
  const recordOnce = async (f: () => Promise<unknown>) => {
    await portalChild.call({ op: "recordStart" })
    try {
      await f()
    } finally {
      recorded = await portalChild.call<ReadonlyArray<Statement>>({ op: "recordStop" })
    }
    return recorded
  }
  const org = { view: "organization", sort: "lastActivity" }
  const listUrl = trpcPath("tickets.list", org)
  // Warm the portal's first request (module loading, JIT) before recording.
  for (let i = 0; i < 20; i++) await send(portal.port, "GET", listUrl, cookie)
  const list = await capture(portal.port, recordOnce, cookie, "list", listUrl)
  const first = JSON.parse(list.body.toString()).result.data.items[0]?.id as string | undefined
  if (first === undefined) throw new Error("the list is empty")
  const getUrl = trpcPath("tickets.get", { ticketId: first })
  for (let i = 0; i < 20; i++) await send(portal.port, "GET", getUrl, cookie)
  const get = await capture(portal.port, recordOnce, cookie, "get", getUrl)
  const pageUrl = "/tickets?view=organization"
  let pageStatements: ReadonlyArray<Statement> = []
  if (pages !== null) {
    for (let i = 0; i < 20; i++) await send(portal.port, "GET", pageUrl, cookie)
    pageStatements = await recordOnce(async () => {
      const res = await send(portal.port, "GET", pageUrl, cookie)
      if (res.status !== 200) throw new Error(`${pageUrl}: HTTP ${res.status}`)
    })
  }
  const captured: ReadonlyArray<Captured> = [list, get]
  const plans: ReadonlyArray<Plan> = captured.map((c) => c.plan)
  const servers: Array<Server> = [portal]
  if (WITH_B) {
    const root = B_ROOT ?? fileURLToPath(new URL("../../..", import.meta.url))
    const handler = join(root, "apps/portal/build/handler.js")
    const child = startChild(
      "portal-b",
      [...(SOURCE ? ["--conditions=source"] : []), ...B_ARGS],
      join(root, "apps/server/bench/http/child.ts"),
    )
    const b = await child.call<{ port: number }>({
      op: "startPortal",
      databaseUrl,
      portalHandler: pages === null || !existsSync(handler) || B_NO_PAGES ? null : handler,
    })
    servers.push({ name: "portal-b", child, port: b.port })
    console.log(
      `portal-b: ${B_ROOT ?? "this checkout"}${B_ARGS.length > 0 ? ` with ${B_ARGS.join(" ")}` : ""}${B_NO_PAGES ? ", no pages" : ""}`,
    )
  }
  if (WITH_CORE) {
    const child = startChild("core", PROFILE_SERVER === "core" ? profileArgs : [])
    const core = await child.call<{ port: number }>({
      op: "startPortal",
      databaseUrl,
      portalHandler: null,
      serve: "core",
    })
    servers.push({ name: "core", child, port: core.port })
  }
  for (const mode of ["same", "minimal"] as const) {
    const child = startChild(mode, PROFILE_SERVER === mode ? profileArgs : [])
    const { port } = await child.call<{ port: number }>({
      op: "startBaseline",
      databaseUrl,
      mode,
      plans,
      workspaceId: "bench",
      prepared: PREPARED,
    })
    servers.push({ name: mode, child, port })
  }
  const portals = servers.filter((s) => s.name === "portal" || (s.name === "portal-b" && !B_NO_PAGES))
  // portal-b signs in as portal did (the session is in the database both read).
  for (const c of captured)
    for (const s of servers.slice(1)) {
      const res = await send(s.port, "GET", c.plan.url, cookie)
      if (res.status !== 200 || !res.body.equals(c.body))
        throw new Error(
          `${s.name} does not answer ${c.plan.url} as the portal does: HTTP ${res.status}, ${firstDifference(res.body, c.body)}`,
        )
    }
  console.log(
    `baselines answer list and get byte for byte as the portal (${list.body.length} and ${get.body.length} bytes); baselines: ${PREPARED ? "every statement prepared (named)" : "the statements the portal prepares, prepared under its names; the rest unnamed"}`,
  )
  console.log(`\nstatements of tickets.list (portal, T: in a transaction):\n${statementsText(list.plan.statements)}`)
  console.log(`statements of tickets.get:\n${statementsText(get.plan.statements)}`)
  if (pages !== null) console.log(`statements of the SSR page ${pageUrl}:\n${statementsText(pageStatements)}`)

  // ---- Measuring.
  const rows: Array<Row> = []
  const profiled = { list: listUrl, get: getUrl, page: pageUrl }[PROFILE_CASE]
  const cases = PROFILE
    ? [{ request: `profile: ${PROFILE_CASE}`, url: profiled, on: servers.filter((s) => s.name === PROFILE_SERVER) }]
    : [
        { request: "tickets.list", url: listUrl, on: servers },
        { request: "tickets.get", url: getUrl, on: servers },
        ...(pages === null
          ? []
          : [
              { request: "SSR page", url: pageUrl, on: portals },
              { request: "list (API, paired)", url: listUrl, on: portals },
            ]),
      ]
  const warmSeconds = Math.min(1, SECONDS / 2)
  for (const c of cases) for (const s of c.on) await phase(s, c.request, c.url, cookie, 8, warmSeconds)
  // Per round, the servers one after another: each case's rounds alternate between the servers,
  // so a change in the machine's state hits them alike.
  const roundRatios: Array<string> = []
  for (const concurrency of CONCURRENCY)
    for (const c of cases) {
      const samples = new Map<string, Array<Sample>>()
      for (let round = 0; round < ROUNDS; round++)
        for (const s of c.on) {
          const sample = await phase(s, c.request, c.url, cookie, concurrency, PROFILE ? SECONDS * 3 : SECONDS)
          samples.set(s.name, [...(samples.get(s.name) ?? []), sample])
        }
      for (const list of samples.values()) rows.push(rowOf(list))
      const minimal = samples.get("minimal")
      if (ROUNDS > 1 && minimal !== undefined)
        for (const [name, list] of samples) {
          if (name === "minimal") continue
          const ratios = list.map((s, i) => {
            const m = minimal[i]
            return m === undefined ? 0 : s.times.length / s.wall / (m.times.length / m.wall)
          })
          roundRatios.push(
            `${c.request.padEnd(22)}${String(concurrency).padStart(3)} ${name.padEnd(9)} median ${median(ratios).toFixed(2)}  (${ratios.map((r) => r.toFixed(2)).join(", ")})`,
          )
        }
    }
  console.log(
    `\nloopback HTTP, keep-alive, ${ROUNDS > 1 ? `${ROUNDS} rounds of ${SECONDS} s per server and case, alternating` : `${SECONDS} s per phase`}; latency ms; cpu ms/req of the server's process (of which sys: in the kernel) and its RSS; ratio: req/s / minimal's (SSR page: / the portal's API call)`,
  )
  printRows(rows)
  if (roundRatios.length > 0) console.log(`\nreq/s / minimal's, round by round:\n${roundRatios.join("\n")}`)
  console.log(
    `load average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  )
}

main()
  .then(
    () => 0,
    (error: unknown) => {
      console.error(error)
      return 1
    },
  )
  .then(async (code) => {
    await stopAll()
    process.exit(code)
  })
