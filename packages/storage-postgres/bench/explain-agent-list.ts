/**
 * The agent list at 1,000,000 tickets (P-AGT-1): builds the benchmark workspace (Generate.ts) and
 * prints EXPLAIN (ANALYZE, BUFFERS) of the first page of every filter the agent pages offer, in
 * every sort both ways, each alone and with the state filter, plus a keyset next page and the counts per
 * state. Fails if any first page's plan scans `tickets` sequentially.
 * Run: pnpm --filter @portal/storage-postgres bench:explain-agent   (KEEP=1 keeps the database)
 * BENCH_DB=name names the database; BUILD_ONLY=1 builds it, keeps it and stops (the long part, once);
 * REUSE=1 skips the build and explains on the kept database (migrated first, so new indexes apply).
 */
import type { AgentSort, AgentTicketQuery } from "@portal/core/domain"
import type { Driver } from "../src/Driver.ts"
import { agentListSql } from "../src/stores/AgentTickets.ts"
import { build } from "./Generate.ts"
import { dropServerDatabase, existingServerDatabase, freshServerDatabase, timed } from "./Setup.ts"

const DB = process.env.BENCH_DB ?? "portal_bench_explain_agent"
const REUSE = process.env.REUSE !== undefined
const BUILD_ONLY = process.env.BUILD_ONLY !== undefined
const TICKETS = Number(process.env.TICKETS ?? 1_000_000)

const base: AgentTicketQuery = {
  state: null,
  pipelineId: null,
  stageId: null,
  owner: { _tag: "Any" },
  companyId: null,
  requesterId: null,
  search: null,
  sort: { column: "lastActivity", direction: "desc" },
  cursor: null,
  limit: 25,
}

const FILTERS: ReadonlyArray<readonly [string, Partial<AgentTicketQuery>]> = [
  ["no filter", {}],
  ["owner u7", { owner: { _tag: "Agent", agentId: "u7" as never } }],
  ["unassigned", { owner: { _tag: "Unassigned" } }],
  ["pipeline support", { pipelineId: "support" as never }],
  ["stage support/new", { pipelineId: "support" as never, stageId: "new" as never }],
  ["company c1 (200,000 tickets)", { companyId: "c1" as never }],
  ["company c500", { companyId: "c500" as never }],
  ["requester p42", { requesterId: "p42" as never }],
  ['search "dark mode"', { search: "dark mode" }],
]
const SORTS: ReadonlyArray<AgentSort["column"]> = ["lastActivity", "created", "subject", "status", "owner", "requester"]

const planOf = async (driver: Driver, sql: string, params: ReadonlyArray<unknown>) =>
  (await driver.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params))
    .map((r) => r["QUERY PLAN"])
    .join("\n")

const main = async () => {
  const { driver } = REUSE ? await existingServerDatabase(DB) : await freshServerDatabase(DB)
  const seqScans: Array<string> = []
  const summary: Array<string> = []
  try {
    if (REUSE) await timed("ANALYZE", () => driver.exec("ANALYZE"))
    else {
      console.log(`Building a ${TICKETS}-ticket workspace…`)
      await timed("build", () => build(driver, TICKETS))
    }
    if (BUILD_ONLY) return
    for (const [name, filter] of FILTERS)
      for (const column of SORTS)
        for (const direction of ["asc", "desc"] as const)
          for (const state of [null, "open"] as const) {
            const query = { ...base, ...filter, state, sort: { column, direction } } as AgentTicketQuery
            const built = agentListSql("bench", query, null)
            const plan = await planOf(driver, built.page.sql, built.page.params)
            const title = `${name}, sort ${column} ${direction}${state === null ? "" : ", state open"}`
            const time = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? "?"
            const seq = /Seq Scan on tickets/.test(plan)
            if (seq) seqScans.push(title)
            summary.push(`| ${title} | ${time} ms | ${seq ? "**Seq Scan**" : "index"} |`)
            // The plans of the default sort, and of every page slower than 20 ms.
            if ((column === "lastActivity" && direction === "desc") || Number(time) > 20)
              console.log(`\n### ${title}\n\n\`\`\`\n${plan}\n\`\`\``)
          }
    const first = agentListSql("bench", { ...base, state: "open" }, null)
    const rows = await driver.query(first.page.sql, first.page.params)
    const last = rows[24]
    if (last !== undefined) {
      const next = agentListSql(
        "bench",
        { ...base, state: "open" },
        { key: Number(last.sort_key), id: String(last.ticket_id) },
      )
      console.log(
        `\n### Next page (keyset), state open, last activity\n\n\`\`\`\n${await planOf(driver, next.page.sql, next.page.params)}\n\`\`\``,
      )
    }
    console.log(
      `\n### Counts per state, no filter\n\n\`\`\`\n${await planOf(driver, first.counts.sql, first.counts.params)}\n\`\`\``,
    )
    const owner = agentListSql("bench", { ...base, owner: { _tag: "Agent", agentId: "u7" as never } }, null)
    console.log(
      `\n### Counts per state, owner u7\n\n\`\`\`\n${await planOf(driver, owner.counts.sql, owner.counts.params)}\n\`\`\``,
    )
    console.log(`\n| first page | time | tickets read by |\n| --- | --- | --- |\n${summary.join("\n")}`)
    if (seqScans.length > 0) {
      console.error(`Sequential scans of tickets: ${seqScans.join("; ")}`)
      process.exitCode = 1
    }
  } finally {
    await driver.close()
    if (process.env.KEEP === undefined && !BUILD_ONLY && !REUSE) await dropServerDatabase(DB)
  }
}

await main()
