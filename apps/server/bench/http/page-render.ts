/**
 * The SSR ticket list page (`/<slug>?view=organization`) rendered in isolation (issue 9): what
 * SvelteKit and the portal's Svelte components cost per page, without a database, without HTTP
 * and without the API's own work. One process, CPU time per page (process.cpuUsage).
 *
 *   pnpm --filter @portal/portal build
 *   npx tsx --conditions=source apps/server/bench/http/page-render.ts
 *   BENCH_LANG=ja …   the Japanese portal (Asia/Tokyo, family name first)
 *   BENCH_SECONDS=5 … seconds per phase (default 3, after a warm-up of the same length)
 *   BENCH_PORTAL_BUILD=<dir> … another build of apps/portal (a copy of build/: before and after a change)
 *   BENCH_COMPARE=<dir> … this build's page against another build's, alternating in one process
 *   BENCH_PHASE=<name> … with BENCH_PAGES: another phase of the table (e.g. "floor: 404 page"; with --trace-gc)
 *   BENCH_PAGES=<n> … n pages, a line "start", n pages more, nothing else: with `node --trace-gc`
 *                     the scavenges after "start" say what a page allocates (under `valgrind
 *                     --tool=callgrind` 20 pages took 80 s, 8.6 G instructions, mostly start-up)
 *   BENCH_ONLY=page … the whole page only (for `node --cpu-prof`); BENCH_DUMP=1 prints the page's HTML
 *
 * The built SvelteKit server of apps/portal (build/server) is called as adapter-node calls it
 * (`server.respond(request, { platform: { req }, getClientAddress })`), with `req.portalRequest`
 * an in-memory stand-in of the one apps/server builds (packages/api PortalRequest): its `caller`
 * answers `portal.info`, `auth.me` and `tickets.list` at once with canned values shaped like the
 * real answers (RouterOutputs) for the HTTP bench's company customer (bench/http-list-workspace.ts:
 * "Bench Inc.", the Organization view, 25 tickets, open/closed status) — the same objects on every
 * call, so the figures hold no API work at all.
 *
 * Phases, in µs of CPU per page:
 * - request: `new Request(url, { headers })` as adapter-node's getRequest makes it (a browser's headers);
 * - respond: `server.respond` — hooks, the layout's and the page's loads, the render, the HTML;
 * - body:    `await response.text()` (adapter-node streams it to the socket instead);
 * - page:    the three together, as one loop;
 * - JSON:    `JSON.stringify` of the tRPC answer `{ result: { data: listing } }` (the API call's body);
 * - page (again): the page last, to see how far the figures drifted meanwhile (a shared machine);
 * - floors:  a Request, a Response of the page's HTML and its text(), without SvelteKit; `/` (a
 *            303 redirect: hooks and the layout's load, no render); `/elsewhere` (the 404 page:
 *            the same layout rendered around the error page).
 * The page's HTML is checked: 200, the 25 tickets' links, their subjects, the language.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { pathToFileURL } from "node:url"
import type { PortalRequest, RouterOutputs } from "@portal/api"
import { pick, SUBJECTS } from "../http-list-workspace.ts"

type Info = RouterOutputs["portal"]["info"]
type Me = RouterOutputs["auth"]["me"]
type Listing = RouterOutputs["tickets"]["list"]

const lang: "en" | "ja" = process.env.BENCH_LANG === "ja" ? "ja" : "en"
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const HOST = "bench.localhost"
const SLUG = "tickets"

const iso = (ms: number) => new Date(ms).toISOString()

const info: Info = {
  workspace: { id: "bench" as Info["workspace"]["id"], name: "Bench Inc.", branding: {} },
  host: HOST,
  language: lang,
  enabled: true,
  preview: false,
  pageTitle: "Bench",
  ticketLabel: lang === "ja" ? "お問い合わせ" : "Tickets",
  slug: SLUG,
  navigation: [],
  supportForm: null,
  access: {
    method: "membership",
    password: true,
    emailLink: false,
    selfRegistration: true,
    sso: null,
    ssoLoginUrl: null,
  },
  consent: { noticeText: "We process your data.", checkboxLabel: "I agree", legalUrl: null },
  statusDisplay: "openClosed",
  idleTimeoutMinutes: 60,
  timeZone: lang === "ja" ? "Asia/Tokyo" : "UTC",
  allowClose: true,
} as Info

const now = Date.parse("2026-12-06T02:00:00Z")
const me: Me = {
  subject: {
    type: "contact",
    id: "p0",
    name: lang === "ja" ? "Last First0" : "First0 Last",
    email: "p0@bench.test",
    permissions: [],
  },
  sessionEnded: null,
  idleExpiresAt: iso(now + 3_600_000),
  absoluteExpiresAt: iso(now + 86_400_000),
} as unknown as Me

// The company's newest 25 tickets (every 4th ticket of the bench's workspace, newest first).
const base = Date.parse("2024-01-01T00:00:00Z")
const listing: Listing = {
  items: Array.from({ length: 25 }, (_, k) => {
    const i = 19_996 - 4 * k
    const contact = 1 + ((i / 4) % 312)
    const state = pick(["open", "open", "closed"] as const, i)
    return {
      id: `t${i}`,
      subject: `${pick(SUBJECTS, i)} #${i}`,
      requester: { id: `p${contact}`, name: `First${contact} Last`, firstName: `First${contact}`, lastName: "Last" },
      owner: { name: `Agent ${i % 20}` },
      createdAt: iso(base + i * 60_000),
      lastActivityAt: iso(base + i * 60_000 + ((i * 37) % 5000) * 60_000),
      status: { state },
      statusLabel: { kind: "state", state },
    }
  }),
  nextCursor: "WyJsYXN0QWN0aXZpdHkiLCJkZXNjIiwxNzM0MjY1NjAwMDAwLCJ0MTk5MDAiXQ",
  organizationView: true,
  sharedView: false,
  statusDisplay: "openClosed",
  preview: false,
} as unknown as Listing

const caller = {
  portal: { info: async () => info },
  auth: { me: async () => me },
  tickets: { list: async () => listing },
} as unknown as PortalRequest["caller"]

const portalRequest: PortalRequest = {
  caller,
  portal: {
    workspaceId: "bench" as NonNullable<PortalRequest["portal"]>["workspaceId"],
    host: HOST,
    language: lang,
    enabled: true,
    slug: SLUG,
  },
  session: {
    subject: { type: "contact", id: "p0" },
    idleExpiresAt: iso(now + 3_600_000),
    absoluteExpiresAt: iso(now + 86_400_000),
  },
  sessionEnded: null,
}

// What a browser sends for a page (adapter-node copies every header into the Request).
const HEADERS: Record<string, string> = {
  host: HOST,
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  "accept-language": lang === "ja" ? "ja,en-US;q=0.9,en;q=0.8" : "en-US,en;q=0.9",
  "accept-encoding": "gzip, deflate, br",
  cookie: "portal_session=Nq3m7hXk2Zr9b0Wc4Yt1Lp8Fs6Dv5Ag2Qe7Ju3Io9Pm; portal_csrf=f3a9c1d2e4b5",
  "sec-fetch-dest": "document",
  "sec-fetch-mode": "navigate",
  "sec-fetch-site": "same-origin",
  "upgrade-insecure-requests": "1",
}

type ServerClass = new (
  manifest: unknown,
) => {
  init(options: { env: Record<string, string | undefined> }): Promise<void>
  respond(request: Request, options: unknown): Promise<Response>
}

const portalBuild =
  process.env.BENCH_PORTAL_BUILD === undefined
    ? new URL("../../../portal/build/", import.meta.url)
    : pathToFileURL(`${resolve(process.env.BENCH_PORTAL_BUILD)}/`)

/**
 * adapter-node bundles the server into hashed chunks (build/server/chunks/index.js-<hash>.js exports
 * `Server` as `S`, manifest.js-<hash>.js `manifest` as `m`): found through build/handler.js's imports.
 */
const loadServer = async (build = portalBuild): Promise<{ Server: ServerClass; manifest: unknown }> => {
  const handler = readFileSync(new URL("handler.js", build), "utf8")
  const chunk = (name: string) => {
    const found = handler.match(
      new RegExp(
        `from '\\./(server/chunks/${name}\\.js-[\\w-]+\\.js)'|import '\\./(server/chunks/${name}\\.js-[\\w-]+\\.js)'`,
      ),
    )
    const path = found?.[1] ?? found?.[2]
    if (path === undefined) throw new Error(`build/handler.js imports no ${name} chunk: is apps/portal built?`)
    return new URL(path, build).href
  }
  await import(new URL("shims.js", build).href)
  const server = (await import(chunk("index"))) as { S: ServerClass }
  const manifest = (await import(chunk("manifest"))) as { m: unknown }
  return { Server: server.S, manifest: manifest.m }
}

interface Figure {
  /** µs of CPU per page: the median of the rounds, and the lowest. */
  readonly us: number
  readonly best: number
  readonly n: number
}

/** CPU (µs) per call of `f` over `ms` milliseconds, called in batches of `batch`; and the calls made. */
const cpuPerCall = async (ms: number, batch: number, f: () => Promise<unknown>): Promise<[number, number]> => {
  const end = performance.now() + ms
  let calls = 0
  const c0 = process.cpuUsage()
  while (performance.now() < end) {
    for (let i = 0; i < batch; i++) await f()
    calls += batch
  }
  const c = process.cpuUsage(c0)
  return [(c.user + c.system) / calls, calls]
}

/** CPU per call over `seconds`, in 6 rounds (the machine is shared: the median and the best round). */
const cpuOver = async (seconds: number, f: () => Promise<unknown>): Promise<Figure> => {
  const rounds: Array<number> = []
  let n = 0
  for (let round = 0; round < 6; round++) {
    const [perCall, calls] = await cpuPerCall((seconds * 1000) / 6, 20, f)
    rounds.push(perCall)
    n += calls
  }
  return summary(rounds, n)
}

const summary = (rounds: ReadonlyArray<number>, n: number): Figure => {
  const sorted = [...rounds].sort((a, b) => a - b)
  const mid = sorted.length / 2
  const us =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(mid)] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return { us, best: sorted[0] as number, n }
}

const main = async () => {
  const { Server, manifest } = await loadServer()
  const server = new Server(manifest)
  await server.init({ env: process.env })
  const req = { portalRequest, headers: HEADERS }
  const options = { platform: { req }, getClientAddress: () => "127.0.0.1" }
  const pageUrl = `http://${HOST}/${SLUG}?view=organization`
  const request = (url: string) => new Request(url, { headers: HEADERS })

  // The page is the real one.
  const first = await server.respond(request(pageUrl), options)
  const html = await first.text()
  if (first.status !== 200) throw new Error(`page: HTTP ${first.status}\n${html.slice(0, 500)}`)
  for (const item of listing.items) {
    if (!html.includes(`href="/${SLUG}/${item.id}"`)) throw new Error(`page: no link to ${item.id}`)
    if (!html.includes(item.subject)) throw new Error(`page: no subject "${item.subject}"`)
  }
  if (process.env.BENCH_DUMP) console.log(html)
  const rows = html.match(/<tr[^>]*><th scope="row"/g)?.length ?? 0
  if (rows !== 25) throw new Error(`page: ${rows} rows, not 25`)
  if (!html.includes(`<html lang="${lang}">`)) throw new Error(`page: not <html lang="${lang}">`)
  const pageBytes = Buffer.byteLength(html)
  const jsonBytes = Buffer.byteLength(JSON.stringify({ result: { data: listing } }))
  const redirect = await server.respond(request(`http://${HOST}/`), options)
  if (redirect.status !== 303) throw new Error(`/: HTTP ${redirect.status}`)
  const missing = await server.respond(request(`http://${HOST}/elsewhere`), options)
  const missingHtml = await missing.text()
  if (missing.status !== 404) throw new Error(`/elsewhere: HTTP ${missing.status}`)

  const prepared = Array.from({ length: 20 }, () => request(pageUrl))
  let next = 0
  const phases: Record<string, () => Promise<unknown>> = {
    page: async () => (await server.respond(request(pageUrl), options)).text(),
    request: async () => request(pageUrl),
    // A fresh Request each time (a body is read once); made 20 at a time outside the measured call.
    respond: async () => {
      if (next === prepared.length) {
        for (let i = 0; i < prepared.length; i++) prepared[i] = request(pageUrl)
        next = 0
      }
      const r = prepared[next++] as Request
      return server.respond(r, options)
    },
    JSON: async () => JSON.stringify({ result: { data: listing } }),
    // The web objects alone: a Request, a Response of the page's HTML and its text, no SvelteKit.
    "floor: Request+Response": async () => {
      request(pageUrl)
      return new Response(html, { headers: { "content-type": "text/html" } }).text()
    },
    "floor: / (303)": async () => (await server.respond(request(`http://${HOST}/`), options)).text(),
    "floor: 404 page": async () => (await server.respond(request(`http://${HOST}/elsewhere`), options)).text(),
  }
  // The body alone: responses made ahead (outside the measurement), then read.
  const bodyPhase = async (): Promise<Figure> => {
    const rounds: Array<number> = []
    let n = 0
    for (let round = 0; round < 6; round++) {
      const end = performance.now() + (SECONDS * 1000) / 6
      let calls = 0
      let cpu = 0
      while (performance.now() < end) {
        const responses = await Promise.all(Array.from({ length: 20 }, () => server.respond(request(pageUrl), options)))
        const c0 = process.cpuUsage()
        for (const r of responses) await r.text()
        const c = process.cpuUsage(c0)
        cpu += c.user + c.system
        calls += responses.length
      }
      rounds.push(cpu / calls)
      n += calls
    }
    return summary(rounds, n)
  }

  const fixed = Number(process.env.BENCH_PAGES ?? 0)
  if (fixed > 0) {
    const which = phases[process.env.BENCH_PHASE ?? "page"] as () => Promise<unknown>
    for (let i = 0; i < fixed; i++) await which()
    // --trace-gc: what the loop allocates is what the scavenges after this line free.
    console.log("start")
    for (let i = 0; i < fixed; i++) await which()
    console.log(`${fixed} pages`)
    return
  }
  // Warm-up: the page (twice as long as one measurement) and the 404 page.
  await cpuOver(2 * SECONDS, phases.page as () => Promise<unknown>)
  await cpuOver(SECONDS / 3, phases["floor: 404 page"] as () => Promise<unknown>)
  const against = process.env.BENCH_COMPARE
  if (against !== undefined) {
    await compare(against, pageBytes, phases.page as () => Promise<unknown>, options, pageUrl, request)
    return
  }
  if (process.env.BENCH_ONLY === "page") {
    const r = await cpuOver(SECONDS, phases.page as () => Promise<unknown>)
    console.log(
      `page: ${r.us.toFixed(1)} µs CPU/page (best round ${r.best.toFixed(1)}) over ${r.n} pages, ${pageBytes} B`,
    )
    return
  }
  const results: Array<[string, Figure, string]> = []
  for (const name of ["page", "request", "respond"]) {
    results.push([name, await cpuOver(SECONDS, phases[name] as () => Promise<unknown>), ""])
    if (name === "respond") results.push(["body", await bodyPhase(), ""])
  }
  results.push(["JSON", await cpuOver(SECONDS, phases.JSON as () => Promise<unknown>), `${jsonBytes} B`])
  results.push([
    "floor: Request+Response",
    await cpuOver(SECONDS, phases["floor: Request+Response"] as () => Promise<unknown>),
    "",
  ])
  results.push(["floor: / (303)", await cpuOver(SECONDS, phases["floor: / (303)"] as () => Promise<unknown>), ""])
  results.push([
    "floor: 404 page",
    await cpuOver(SECONDS, phases["floor: 404 page"] as () => Promise<unknown>),
    `${Buffer.byteLength(missingHtml)} B`,
  ])
  // The whole page once more: how far the figures drifted while the phases ran.
  results.push(["page (again)", await cpuOver(SECONDS, phases.page as () => Promise<unknown>), ""])
  if (results[0]) results[0][2] = `${pageBytes} B`

  console.log(`page-render: /${SLUG}?view=organization, lang ${lang}, node ${process.version}, ${SECONDS} s per phase`)
  console.log("phase                   µs CPU/page (median of 6 rounds, best)    pages  bytes")
  for (const [name, r, bytes] of results)
    console.log(
      `${name.padEnd(24)} ${r.us.toFixed(1).padStart(10)} ${r.best.toFixed(1).padStart(10)} ${String(r.n).padStart(24)}  ${bytes}`,
    )
}

/**
 * BENCH_COMPARE=<dir>: this build's page (A) and another build's (B, e.g. a copy of build/ before
 * a change) in the same process, in alternating rounds of 0.25 s: the load of a shared machine
 * falls on both alike. Prints the medians, and the median of each pair's B/A.
 */
const compare = async (
  dir: string,
  pageBytes: number,
  pageA: () => Promise<unknown>,
  options: unknown,
  pageUrl: string,
  request: (url: string) => Request,
) => {
  const { Server, manifest } = await loadServer(pathToFileURL(`${resolve(dir)}/`))
  const server = new Server(manifest)
  await server.init({ env: process.env })
  const first = await server.respond(request(pageUrl), options)
  const bytesB = Buffer.byteLength(await first.text())
  const pageB = async () => (await server.respond(request(pageUrl), options)).text()
  await cpuOver(2 * SECONDS, pageB)
  const round = async (f: () => Promise<unknown>) => (await cpuPerCall(250, 10, f))[0]
  const a: Array<number> = []
  const b: Array<number> = []
  const ratios: Array<number> = []
  const rounds = Math.max(8, Math.round((SECONDS * 8) / 2))
  for (let i = 0; i < rounds; i++) {
    // ABBA order: neither build always runs first.
    const [x, y] = i % 2 === 0 ? [await round(pageA), await round(pageB)] : [0, 0]
    const [v, u] = i % 2 === 1 ? [await round(pageB), await round(pageA)] : [y, x]
    a.push(i % 2 === 0 ? x : u)
    b.push(v)
    ratios.push(v / (i % 2 === 0 ? x : u))
  }
  const median = (xs: ReadonlyArray<number>) => summary(xs, 0).us
  console.log(
    `A (this build): ${median(a).toFixed(1)} µs/page (best ${Math.min(...a).toFixed(1)}), ${pageBytes} B; ` +
      `B (${dir}): ${median(b).toFixed(1)} µs/page (best ${Math.min(...b).toFixed(1)}), ${bytesB} B; ` +
      `B/A median of ${rounds} pairs ${median(ratios).toFixed(3)}`,
  )
}

await main()
