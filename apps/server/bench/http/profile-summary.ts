/**
 * Where a CPU profile's time goes (`node --cpu-prof`, as bench/http-bench.ts BENCH_PROFILE writes
 * it): self time per category (by the script each function comes from), and the top functions.
 *
 *   npx tsx bench/http/profile-summary.ts <file.cpuprofile | folder> [top functions, default 25] [last seconds]
 *
 * With PROFILE_TOTAL=1 it also lists the top functions by total time (the samples in which the
 * function is anywhere on the stack, counted once per sample): where a request's time is spent
 * below a given layer.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly hitCount?: number
  readonly children?: ReadonlyArray<number>
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const CATEGORIES: ReadonlyArray<[string, (url: string, fn: string) => boolean]> = [
  ["idle", (_u, f) => f === "(idle)"],
  ["GC", (_u, f) => f === "(garbage collector)"],
  ["(program: native, not attributed)", (_u, f) => f === "(program)"],
  [
    "pg driver (pg, pg-protocol)",
    (u) => /node_modules\/(\.pnpm\/)?(pg|pg-protocol|pg-pool|pg-types|pgpass)[@/]/.test(u),
  ],
  ["tRPC", (u) => u.includes("@trpc")],
  ["Effect runtime", (u) => /node_modules\/(\.pnpm\/)?effect[@/]/.test(u)],
  [
    "Express (+ router, send, qs…)",
    (u) =>
      /node_modules\/(\.pnpm\/)?(express|router|body-parser|send|finalhandler|qs|content-type|type-is|mime|on-finished|etag|fresh|proxy-addr|accepts|negotiator|cookie|depd|debug|statuses|range-parser|vary|parseurl|path-to-regexp)[@/]/.test(
        u,
      ),
  ],
  ["fetch glue (undici: Request, Headers, Response)", (u) => u.includes("undici")],
  ["web streams", (u) => u.includes("internal/webstreams")],
  [
    "SvelteKit pages (apps/portal/build)",
    (u) => u.includes("apps/portal/build") || u.includes("@sveltejs") || u.includes("svelte/"),
  ],
  ["pino (logging)", (u) => u.includes("pino")],
  ["core (packages/core)", (u) => u.includes("/packages/core/")],
  ["api (packages/api)", (u) => u.includes("/packages/api/")],
  ["storage adapter (packages/storage-postgres)", (u) => u.includes("/packages/storage-postgres/")],
  ["server (apps/server)", (u) => u.includes("/apps/server/")],
  [
    "socket / stream I/O (node:net, streams)",
    (u) => /node:(net|stream|internal\/(stream|streams|net|stream_base))/.test(u),
  ],
  ["HTTP parser and server (node:_http_*)", (u) => /node:_http|internal\/http/.test(u)],
  [
    "timers, promises, async hooks (node internals)",
    (u) => /node:internal\/(timers|process\/task_queues|async_hooks|promise)/.test(u),
  ],
  ["other node internals", (u) => u.startsWith("node:")],
  ["native (no script: JSON, writev, crypto…)", (u) => u === ""],
]

const categoryOf = (url: string, fn: string): string => CATEGORIES.find(([, p]) => p(url, fn))?.[0] ?? "other scripts"

/** `lastSeconds`: only the samples of the profile's last seconds (the load phase, not the start-up). */
export const summarize = (profile: Profile, top = 25, lastSeconds = Number.POSITIVE_INFINITY): string => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  const span = profile.timeDeltas.reduce((a, b) => a + b, 0)
  let at = 0
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0
    if (span - at > lastSeconds * 1e6) continue
    const id = profile.samples[i] as number
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const categories = new Map<string, number>()
  const functions = new Map<string, number>()
  const keyOf = (node: ProfileNode): string => {
    const { functionName, url, lineNumber } = node.callFrame
    const short = url
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "")
      .replace(/^.*\/(packages|apps)\//, "$1/")
    return `${functionName || "(anonymous)"}  ${short}:${lineNumber + 1}`
  }
  let total = 0
  let busy = 0
  let writev = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (node === undefined) continue
    const { functionName, url } = node.callFrame
    const category = categoryOf(url, functionName)
    total += us
    if (category !== "idle") busy += us
    if (functionName === "writev" && url === "") writev += us
    categories.set(category, (categories.get(category) ?? 0) + us)
    const key = keyOf(node)
    functions.set(key, (functions.get(key) ?? 0) + us)
  }
  if (busy === 0) return "no busy time (a helper thread)"
  // writev (socket writes, in the kernel) swells when the machine is overloaded: the second
  // column shows the shares without it.
  const NATIVE = "native (no script: JSON, writev, crypto…)"
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`
  const pctJs = (us: number) => `${((100 * us) / (busy - writev)).toFixed(1).padStart(5)} %`
  const lines = [
    `profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle); shares of the busy time, and without writev`,
    `self time by category (writev alone: ${pct(writev).trim()}):`,
  ]
  for (const [c, us] of [...categories].sort((a, b) => b[1] - a[1]))
    if (c !== "idle")
      lines.push(
        `  ${pct(us)}  ${pctJs(c === NATIVE ? us - writev : us)}  ${c}${c === NATIVE ? " (2nd: without writev)" : ""}`,
      )
  lines.push(`top ${top} functions by self time:`)
  for (const [f, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`)
  if (process.env.PROFILE_TOTAL === "1") {
    const parent = new Map<number, number>()
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
    const totals = new Map<string, number>()
    for (const [id, us] of selfUs) {
      const seen = new Set<string>()
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = byId.get(at)
        if (node === undefined || node.callFrame.functionName === "(root)") continue
        const key = keyOf(node)
        if (seen.has(key)) continue
        seen.add(key)
        totals.set(key, (totals.get(key) ?? 0) + us)
      }
    }
    lines.push(`top ${top} functions by total time (on the stack):`)
    for (const [f, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`)
  }
  return lines.join("\n")
}

const main = () => {
  const target = process.argv[2]
  if (target === undefined) throw new Error("usage: profile-summary.ts <file.cpuprofile | folder> [top]")
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(target, f))
    : [target]
  for (const file of files) {
    console.log(`\n${file}`)
    const profile = JSON.parse(readFileSync(file, "utf8")) as Profile
    console.log(summarize(profile, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? Number.POSITIVE_INFINITY)))
  }
}
if (process.argv[1]?.endsWith("profile-summary.ts")) main()
