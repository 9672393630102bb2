/**
 * P-SEC-8 "request timing does not reveal whether an email has a login", measured: over real HTTP
 * on loopback against the real server (the test world: demo workspaces, argon2 hashing, a local
 * SMTP server that receives every mail), each pair of cases below is sent interleaved in random
 * order, N times each, and the bench prints the medians, p90 and the two-sided Mann–Whitney U
 * p-value (normal approximation, tie correction; bench/stats.ts). p < 0.05 means the two cases
 * are distinguishable at this N.
 *   - sign-in (wrong password): an email with a login (ken@globex.test) vs an unknown email;
 *   - registration: a new email vs a contact without a login (solo@example.test) vs an email
 *     with a login (ken@globex.test);
 *   - reset request: an email with a login vs an unknown email.
 *   - sign-in link request (P-EXT-6): an email with a login vs an unknown email.
 * No throttling refuses the bench: the API's per-ip limits are raised, each request comes from
 * its own client address (X-Forwarded-For behind one trusted proxy), and the server's clock
 * moves one hour before each request, so every per-email window (sign-in failures, reset and
 * registration mails) starts afresh. Every answer must be the expected status.
 *
 *   pnpm --filter @portal/server run bench:auth-timing     (N=200 per case; BENCH_N overrides, ≤ 2000;
 *                                                         BENCH_STORAGE=pglite for embedded PGlite)
 *
 * A benchmark, not a test (not part of the suite).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { defaultApiConfig } from "@portal/api"
import type { Client, HttpResponse } from "../test/support/Http.ts"
import { startWorld } from "../test/support/World.ts"
import { mannWhitney, median, quantile, shuffle } from "./stats.ts"

const N = Math.min(Math.max(Number(process.env.BENCH_N ?? 200) || 200, 10), 2000)
const WARMUP = 20
const PGLITE = process.env.BENCH_STORAGE === "pglite"
// Bounded: argon2 makes a registration or sign-in cost tens of ms; if anything hangs, exit.
const GUARD_MS = Math.max(300_000, (N + WARMUP) * 7 * 1_000)
setTimeout(() => {
  console.error(`bench: timed out after ${Math.round(GUARD_MS / 60_000)} minutes`)
  process.exit(2)
}, GUARD_MS).unref()

const unlimited = { limit: 1_000_000, windowSeconds: 60 }
let seq = 0
const unique = (what: string) => `${what}-${process.pid}-${++seq}@bench.test`
/** A client address of its own for every request (documentation range 198.18.0.0/15). */
const nextAddress = () => `198.18.${(seq >> 8) & 255}.${seq & 255}`

interface Case {
  readonly group: string
  readonly name: string
  readonly expect: number
  readonly run: (c: Client, headers: Record<string, string>) => Promise<HttpResponse>
}

const registration = (email: () => string) => (c: Client, headers: Record<string, string>) =>
  c.mutate(
    "auth.register",
    { email: email(), password: "bench-password-2026", firstName: "Bench", lastName: "Probe", consent: true },
    headers,
  )
const signIn = (email: () => string) => (c: Client, headers: Record<string, string>) =>
  c.mutate("auth.signIn", { email: email(), password: "wrong-password-2026" }, headers)
const reset = (email: () => string) => (c: Client, headers: Record<string, string>) =>
  c.mutate("auth.requestPasswordReset", { email: email() }, headers)

const signInLink = (email: () => string) => (c: Client, headers: Record<string, string>) =>
  c.mutate("auth.requestSignInLink", { email: email() }, headers)

const cases: ReadonlyArray<Case> = [
  { group: "sign-in", name: "sign-in, email with a login", expect: 401, run: signIn(() => "ken@globex.test") },
  { group: "sign-in", name: "sign-in, unknown email", expect: 401, run: signIn(() => unique("nobody")) },
  { group: "register", name: "register, new email", expect: 200, run: registration(() => unique("new")) },
  {
    group: "register",
    name: "register, contact without a login",
    expect: 200,
    run: registration(() => "solo@example.test"),
  },
  { group: "register", name: "register, email with a login", expect: 200, run: registration(() => "ken@globex.test") },
  { group: "reset", name: "reset request, email with a login", expect: 200, run: reset(() => "yuki@globex.test") },
  { group: "reset", name: "reset request, unknown email", expect: 200, run: reset(() => unique("nobody")) },
  // P-EXT-6 (the bench world turns portal.emailSignIn on).
  {
    group: "sign-in link",
    name: "sign-in link request, email with a login",
    expect: 200,
    run: signInLink(() => "mia@initech.test"),
  },
  {
    group: "sign-in link",
    name: "sign-in link request, unknown email",
    expect: 200,
    run: signInLink(() => unique("nobody")),
  },
]

const main = async () => {
  const dataDir = PGLITE ? mkdtempSync(join(tmpdir(), "portal-bench-auth-")) : null
  const world = await startWorld({
    trustProxy: 1,
    edit: (acme) => {
      acme.portal.emailSignIn = true
    },
    ...(dataDir === null ? {} : { storage: { kind: "pglite" as const, dataDir } }),
    apiConfig: {
      ...defaultApiConfig,
      rateLimits: {
        ...defaultApiConfig.rateLimits,
        signInPerIpEmail: unlimited,
        signInPerIp: unlimited,
        emailsPerIp: unlimited,
        registerPerIp: unlimited,
      },
    },
  })
  try {
    const client = world.client("localhost")
    const samples: number[][] = cases.map(() => [])
    const record = async (i: number, keep: boolean) => {
      const c = cases[i] as Case
      world.advanceClock(3_600_000)
      const headers = { "x-forwarded-for": nextAddress() }
      const t0 = performance.now()
      const res = await c.run(client, headers)
      const ms = performance.now() - t0
      if (res.status !== c.expect) throw new Error(`${c.name}: expected ${c.expect}, got ${res.status} ${res.text}`)
      if (keep) samples[i]?.push(ms)
    }
    const order = (reps: number) => shuffle(cases.flatMap((_, i) => Array.from({ length: reps }, () => i)))
    for (const i of order(WARMUP)) await record(i, false)
    for (const i of order(N)) await record(i, true)

    const f = (x: number) => x.toFixed(2).padStart(8)
    console.log(
      `P-SEC-8 auth timing, Node ${process.version}, ${PGLITE ? "PGlite" : "in-memory store"}, N=${N} per case (after ${WARMUP} warm-up), loopback HTTP, ms`,
    )
    console.log(`${"case".padEnd(38)}  median       p90`)
    cases.forEach((c, i) => {
      const s = [...(samples[i] as number[])].sort((x, y) => x - y)
      console.log(`${c.name.padEnd(38)}${f(median(s))}  ${f(quantile(s, 0.9))}`)
    })
    console.log("\npairs: Δmedian (first − second) and two-sided Mann–Whitney p (p < 0.05: distinguishable)")
    for (let a = 0; a < cases.length; a++)
      for (let b = a + 1; b < cases.length; b++) {
        if ((cases[a] as Case).group !== (cases[b] as Case).group) continue
        const sa = samples[a] as number[]
        const sb = samples[b] as number[]
        const d = median(sa) - median(sb)
        const { p } = mannWhitney(sa, sb)
        console.log(
          `${`${(cases[a] as Case).name} vs ${(cases[b] as Case).name.replace(/^[^,]+, /, "")}`.padEnd(68)} Δ ${d >= 0 ? "+" : ""}${d.toFixed(2)} ms   p = ${p < 0.0001 ? p.toExponential(1) : p.toFixed(4)}`,
        )
      }
  } finally {
    await world.close()
    if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
