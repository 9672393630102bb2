/**
 * Named prepared statements on the PostgreSQL server: what they save per port call on the request
 * path. Imports the demo workspace into a fresh database, then runs each hot port call
 * BENCH_N times (default 400) over a one-connection pool, alternating blocks with names kept
 * (prepared once per connection) and names stripped (parsed and planned every call, as before).
 * Prints the mean time per call both ways, then what the server says about the prepared ones
 * (pg_prepared_statements: generic plans = runs that skipped planning) and the planning time of
 * the list query (EXPLAIN ANALYZE), which an unnamed call pays every time.
 * Run: pnpm --filter @portal/storage-postgres bench:prepared   (a benchmark, not a test)
 */
import type { CompanyId, ContactId, IsoTime, ThreadId, TicketId, ViewerScope, WorkspaceId } from "@portal/core/domain"
import {
  ContactStore,
  SessionStore,
  SettingsStore,
  type StorePorts,
  TicketStore,
  WorkspaceStore,
} from "@portal/core/ports"
import { demoDocument, forImport } from "@portal/storage-contract"
import { type Effect, ManagedRuntime } from "effect"
import type { Driver, Queryable } from "../src/Driver.ts"
import { layerWithDriver } from "../src/Layers.ts"
import { makePgDriver } from "../src/PgDriver.ts"
import { listQuery } from "../src/stores/TicketList.ts"
import { dropServerDatabase, freshServerDatabase } from "./Setup.ts"

const DB = `portal_bench_prepared_${process.pid}`
const N = Math.max(50, Number(process.env.BENCH_N ?? 400))
const WS = "acme" as WorkspaceId
const HOST = "prepared.bench.test"
const scope: ViewerScope = {
  workspaceId: WS,
  contactId: "p1" as ContactId,
  companyId: "c1" as CompanyId,
  filters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
}
const query = { view: "all", status: null, search: null, sort: "lastActivity", cursor: null, limit: 25 } as const

/** The same driver with every statement name dropped: what the adapter sent before. */
const unnamed = (d: Driver): Driver => {
  const strip = (q: Queryable): Queryable => ({
    query: (sql, params) => q.query(typeof sql === "string" ? sql : sql.text, params),
    exec: (sql) => q.exec(sql),
  })
  return { ...strip(d), kind: d.kind, transaction: (body) => d.transaction((tx) => body(strip(tx))), close: d.close }
}

const main = async () => {
  const { driver: admin, url } = await freshServerDatabase(DB)
  const named = makePgDriver({ connectionString: url, max: 1 })
  const plainBase = makePgDriver({ connectionString: url, max: 1 })
  const runtimes = {
    named: ManagedRuntime.make(layerWithDriver(named)),
    unnamed: ManagedRuntime.make(layerWithDriver(unnamed(plainBase))),
  }
  try {
    const { doc, secrets } = forImport(demoDocument(WS, HOST))
    await runtimes.named.runPromise(WorkspaceStore.use((s) => s.importDocument(doc, secrets)))
    await runtimes.named.runPromise(
      SessionStore.use((s) =>
        s.create({
          workspaceId: WS,
          tokenHash: "bench-session",
          subject: { type: "contact", id: "p1" },
          createdAt: "2026-11-05T10:00:00Z" as IsoTime,
          lastSeenAt: "2026-11-05T10:00:00Z" as IsoTime,
          absoluteExpiresAt: "2026-12-05T10:00:00Z" as IsoTime,
        }),
      ),
    )
    const page = await runtimes.named.runPromise(TicketStore.use((s) => s.list(scope, query)))
    let found: { ticketId: TicketId; threadId: ThreadId } | undefined
    for (const item of page.items) {
      const threads = await runtimes.named.runPromise(TicketStore.use((s) => s.threadsOf(WS, item.id)))
      if (threads[0] !== undefined && found === undefined) found = { ticketId: item.id, threadId: threads[0].id }
    }
    if (found === undefined) throw new Error("no visible ticket with a thread")
    const { ticketId, threadId } = found

    const calls: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, StorePorts>]> = [
      ["WorkspaceStore.findByHost", WorkspaceStore.use((s) => s.findByHost(HOST))],
      ["SettingsStore.get", SettingsStore.use((s) => s.get(WS))],
      ["SessionStore.get", SessionStore.use((s) => s.get("bench-session"))],
      ["ContactStore.findById", ContactStore.use((s) => s.findById(WS, "p1" as ContactId))],
      ["ContactStore.listIdsOf", ContactStore.use((s) => s.listIdsOf(WS, "p1" as ContactId))],
      ["WorkspaceStore.catalog", WorkspaceStore.use((s) => s.catalog(WS))],
      ["TicketStore.list", TicketStore.use((s) => s.list(scope, query))],
      ["TicketStore.get", TicketStore.use((s) => s.get(scope, ticketId))],
      ["TicketStore.threadsOf", TicketStore.use((s) => s.threadsOf(WS, ticketId))],
      ["TicketStore.messagesOf", TicketStore.use((s) => s.messagesOf(WS, threadId))],
    ]
    const block = 50
    console.log(`prepared statements bench: Node ${process.version}, N=${N} per call and mode, blocks of ${block}`)
    console.log(`${"port call".padEnd(28)}  named ms/call  unnamed ms/call  saved`)
    for (const [name, effect] of calls) {
      const spent = { named: 0, unnamed: 0 }
      for (const mode of ["named", "unnamed"] as const)
        for (let i = 0; i < 10; i++) await runtimes[mode].runPromise(effect)
      for (let done = 0; done < N; done += block)
        for (const mode of ["named", "unnamed"] as const) {
          const t0 = performance.now()
          for (let i = 0; i < block; i++) await runtimes[mode].runPromise(effect)
          spent[mode] += performance.now() - t0
        }
      const a = spent.named / N
      const b = spent.unnamed / N
      console.log(
        `${name.padEnd(28)}  ${a.toFixed(3).padStart(13)}  ${b.toFixed(3).padStart(15)}  ${(((b - a) / b) * 100).toFixed(0).padStart(4)} %`,
      )
    }
    const prepared = await named.query<{ name: string; generic_plans: string; custom_plans: string }>(
      "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name",
    )
    console.log("\nthe named connection's prepared statements (generic plans: executions that skipped planning)")
    for (const p of prepared) console.log(`  ${p.name.padEnd(48)} generic ${p.generic_plans}  custom ${p.custom_plans}`)
    const built = listQuery(scope, query, null)
    if (built !== null) {
      const plan = await admin.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, SUMMARY) ${built.sql}`, built.params)
      console.log("\nthe list query, unnamed (planned on every call):")
      for (const line of plan.map((r) => r["QUERY PLAN"]).filter((l) => /Planning Time|Execution Time/.test(l)))
        console.log(`  ${line}`)
    }
  } finally {
    await runtimes.named.dispose()
    await runtimes.unnamed.dispose()
    await named.close()
    await plainBase.close()
    await admin.close()
    await dropServerDatabase(DB)
  }
}

await main()
