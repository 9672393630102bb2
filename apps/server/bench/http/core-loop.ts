/**
 * The portal's request path without HTTP, in one process: what `tickets.list` and `tickets.get`
 * cost the portal's own code — its context, the Effect runtime, core's rules and use-cases, the
 * storage adapter and the `pg` driver — and nothing else (no sockets, no HTTP client in the same
 * process, no framework). The HTTP bench's noise (a shared 2-core machine, the client and
 * PostgreSQL on the same cores) moves its ratios by ±0.1; this loop measures the portal's CPU per
 * request alone (PostgreSQL runs in its own processes), so that a change of a few microseconds
 * shows. It calls what the bench's "core" server calls (core-direct.ts `answer`), on the HTTP
 * bench's database (run `bench:http` once first), with `BENCH_LOOP_CONCURRENCY` requests in
 * flight (default 8), and prints µs of CPU per request, round by round.
 *
 *   pnpm --filter @portal/server bench:core-loop        # this checkout (the built packages: pnpm build)
 *   BENCH_LOOP_ROUNDS=7 BENCH_LOOP_REQUESTS=4000 BENCH_LOOP_CONCURRENCY=8 pnpm --filter @portal/server bench:core-loop
 *
 * For an A/B, run it in two checkouts in turn (each its own process) and compare the medians.
 */
import { defaultApiConfig, makeApiTokens } from "@portal/api"
import { BENCH_HOST, generateWorkspace } from "../http-list-workspace.ts"
import { signIn, trpcPath } from "./client.ts"
import { answer } from "./core-direct.ts"
import { startBenchPortal } from "./portal.ts"

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000)
const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const databaseUrl = (() => {
  const u = new URL(ADMIN_URL)
  u.pathname = `/portal_bench_http_${TICKETS}`
  return u.toString()
})()
const ROUNDS = Number(process.env.BENCH_LOOP_ROUNDS ?? 5)
const REQUESTS = Number(process.env.BENCH_LOOP_REQUESTS ?? 4000)
const CONCURRENCY = Number(process.env.BENCH_LOOP_CONCURRENCY ?? 8)

const portal = await startBenchPortal({ databaseUrl, portalHandler: null })
const ws = generateWorkspace(TICKETS)
const cookie = await signIn(portal.port, ws.company)
const deps = { runtime: portal.runtime, config: defaultApiConfig, apiTokens: makeApiTokens([]) }
const requestOf = (url: string) => ({
  url,
  headers: { host: `${BENCH_HOST}:${portal.port}`, cookie },
  socket: { remoteAddress: "127.0.0.1" },
})
const listUrl = trpcPath("tickets.list", { view: "organization", sort: "lastActivity" })
const list = (await answer(deps, requestOf(listUrl) as never)) as { items: Array<{ id: string }> }
const getUrl = trpcPath("tickets.get", { ticketId: list.items[0]?.id })
const cases = [
  { name: "tickets.list", req: requestOf(listUrl) },
  { name: "tickets.get", req: requestOf(getUrl) },
]

/** `n` requests, `CONCURRENCY` in flight, each answered and serialized as the server does. */
const drive = async (req: ReturnType<typeof requestOf>, n: number) => {
  let left = n
  let bytes = 0
  const worker = async () => {
    while (left-- > 0) bytes += JSON.stringify({ result: { data: await answer(deps, req as never) } }).length
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return bytes
}

for (const c of cases) await drive(c.req, 2000) // JIT warm-up
const results = new Map<string, Array<number>>()
for (let round = 0; round < ROUNDS; round++)
  for (const c of cases) {
    const cpu = process.cpuUsage()
    await drive(c.req, REQUESTS)
    const used = process.cpuUsage(cpu)
    const list = results.get(c.name) ?? []
    list.push((used.user + used.system) / REQUESTS)
    results.set(c.name, list)
  }
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
console.log(
  `core loop: ${new Date().toISOString()}, ${ROUNDS} rounds of ${REQUESTS} requests, ${CONCURRENCY} in flight; µs of CPU per request (this process only)`,
)
for (const [name, xs] of results)
  console.log(
    `${name.padEnd(14)} median ${median(xs).toFixed(1).padStart(6)}  (${xs.map((x) => x.toFixed(1)).join(", ")})`,
  )
await portal.close()
process.exit(0)
