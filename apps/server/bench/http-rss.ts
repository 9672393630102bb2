/**
 * The production server's memory under load (issue 9: "RSS under load < 250 MB"): starts `portal
 * start` as an operator runs it (apps/server/bin/portal.js, the built JavaScript: `pnpm build`
 * first) on the HTTP benchmark's PostgreSQL database (bench/http-bench.ts creates it), signs the
 * company customer in, and sends `tickets.list` and `tickets.get` alternately from BENCH_CONCURRENCY
 * keep-alive clients for BENCH_SECONDS; prints the server's RSS idle, under load and at its peak
 * (VmHWM from /proc), its CPU per request and the throughput. A benchmark, not a test.
 *
 *   pnpm --filter @portal/server bench:http-rss          # after one bench:http run (the database)
 *   BENCH_CONCURRENCY=50 BENCH_SECONDS=30 LOG_LEVEL=warn pnpm --filter @portal/server bench:http-rss
 *   BENCH_SERVER_ARGS="--trace-gc" BENCH_SERVER_STDOUT=/tmp/gc.log pnpm --filter @portal/server bench:http-rss
 *
 * BENCH_SERVER_ARGS: node flags for the server (space-separated; e.g. V8 heap flags to compare);
 * BENCH_SERVER_STDOUT: a file that gets the server's standard output (where --trace-gc writes).
 */
import { spawn } from "node:child_process"
import { openSync, readFileSync } from "node:fs"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { agent, send, signIn, trpcPath } from "./http/client.ts"
import { generateWorkspace } from "./http-list-workspace.ts"

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000)
const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const url = new URL(ADMIN_URL)
url.pathname = `/portal_bench_http_${TICKETS}`
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const PORT = Number(process.env.BENCH_PORT ?? 4877)
const BIN = fileURLToPath(new URL("../bin/portal.js", import.meta.url))

const SERVER_ARGS = (process.env.BENCH_SERVER_ARGS ?? "").split(" ").filter((a) => a !== "")
const STDOUT = process.env.BENCH_SERVER_STDOUT ? openSync(process.env.BENCH_SERVER_STDOUT, "w") : "ignore"

const server = spawn(process.execPath, [...SERVER_ARGS, BIN, "start"], {
  env: {
    ...process.env,
    DATABASE_URL: url.href,
    PORT: String(PORT),
    HOST: "127.0.0.1",
    PORTAL_SECRET: "bench-secret-0123456789abcdef0123456789",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    PORTAL_CLI_SOURCE: "",
  },
  stdio: ["ignore", STDOUT, "pipe"],
})
let output = ""
server.stderr?.on("data", (c: Buffer) => {
  if (output.length < 20_000) output += c.toString()
})
const pid = server.pid ?? 0
const status = (key: string) =>
  Number(
    /(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith(key)) ?? "",
    )?.[1] ?? 0,
  ) / 1024
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
  return Number(fields[11]) + Number(fields[12]) // utime + stime, in clock ticks (1/100 s)
}

const ready = async () => {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await send(PORT, "GET", "/readyz", "")).status === 200) return
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`the server did not get ready:\n${output}`)
}

try {
  await ready()
  const idle = status("VmRSS")
  const cookie = await signIn(PORT, generateWorkspace(10).company)
  const list = trpcPath("tickets.list", { view: "organization", sort: "lastActivity" })
  const first = JSON.parse((await send(PORT, "GET", list, cookie)).body.toString()).result.data.items[0].id
  const get = trpcPath("tickets.get", { ticketId: first })
  let done = 0
  const end = Date.now() + SECONDS * 1000
  const before = cpuTicks()
  // RSS sampled through the load: the lowest and highest sample show the GC's sawtooth.
  const samples: Array<number> = []
  const sampler = setInterval(() => samples.push(status("VmRSS")), 250)
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const res = await send(PORT, "GET", done % 2 === 0 ? list : get, cookie)
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.toString().slice(0, 200)}`)
        done++
      }
    }),
  )
  clearInterval(sampler)
  const cpuMs = (cpuTicks() - before) * 10
  console.log(
    `portal start (built JS${SERVER_ARGS.length > 0 ? ` with ${SERVER_ARGS.join(" ")}` : ""}), ${TICKETS} tickets, LOG_LEVEL=${process.env.LOG_LEVEL ?? "info"}, c=${CONCURRENCY}, ${SECONDS} s; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  )
  console.log(
    `requests ${done} (list and get alternately), ${(done / SECONDS).toFixed(0)} req/s, server CPU ${(cpuMs / done).toFixed(2)} ms/req`,
  )
  console.log(
    `RSS: idle ${idle.toFixed(0)} MB, under load ${status("VmRSS").toFixed(0)} MB (sampled every 0.25 s: ${Math.min(...samples).toFixed(0)}–${Math.max(...samples).toFixed(0)} MB), peak (VmHWM) ${status("VmHWM").toFixed(0)} MB`,
  )
} finally {
  agent.destroy()
  server.kill("SIGTERM")
}
