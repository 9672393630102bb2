/**
 * Builds a 1,000,000-ticket workspace on the PostgreSQL server (INSERT … SELECT over
 * generate_series) and prints EXPLAIN (ANALYZE, BUFFERS) of the ticket list query for a customer
 * of a large company (company c1: 20,000 of the 100,000 contacts, about 200,000 tickets).
 * Run: pnpm --filter @portal/storage-postgres bench:explain   (KEEP=1 keeps the database)
 */
import type { SortOrder, TicketListQuery, ViewerScope } from "@portal/core/domain"
import type { CursorPosition } from "@portal/core/rules"
import { cursorSortOf, parseCursor } from "@portal/core/rules"
import { Option } from "effect"
import type { Driver } from "../src/Driver.ts"
import { listQuery } from "../src/stores/TicketList.ts"
import { build } from "./Generate.ts"
import { dropServerDatabase, freshServerDatabase, timed } from "./Setup.ts"

const DB = process.env.BENCH_DB ?? "portal_bench_explain"
const TICKETS = Number(process.env.TICKETS ?? 1_000_000)

const explain = async (driver: Driver, title: string, scope: ViewerScope, query: TicketListQuery) => {
  const cursor: CursorPosition | null =
    query.cursor === null ? null : Option.getOrNull(parseCursor(query.cursor, cursorSortOf(query)))
  const built = listQuery(scope, query, cursor)
  if (built === null) throw new Error("no range to list")
  const rows = await driver.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${built.sql}`, built.params)
  console.log(`\n### ${title}\n\n\`\`\`\n${rows.map((r) => r["QUERY PLAN"]).join("\n")}\n\`\`\``)
}

const main = async () => {
  const { driver } = await freshServerDatabase(DB)
  try {
    console.log(`Building a ${TICKETS}-ticket workspace…`)
    await timed("build", () => build(driver, TICKETS))
    const [size] = await driver.query(
      "SELECT pg_size_pretty(pg_database_size(current_database())) AS size, (SELECT count(*) FROM ticket_companies WHERE workspace_id = 'bench' AND company_id = 'c1') AS c1_tickets",
    )
    console.log(`database size ${size?.size}; tickets of company c1: ${size?.c1_tickets}`)
    const scope: ViewerScope = {
      workspaceId: "bench",
      contactId: "p1",
      companyId: "c1",
      filters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
    } as unknown as ViewerScope
    const base: TicketListQuery = {
      view: "all",
      status: null,
      search: null,
      sort: "lastActivity",
      cursor: null,
      limit: 25,
    }
    await explain(driver, "First page: view all (mine + company c1), last activity, 25 rows", scope, base)
    const first = listQuery(scope, base, null)
    const page = first === null ? [] : await driver.query(first.sql, first.params)
    const last = page[24]
    if (last === undefined) throw new Error("the first page is not full")
    const { encodeCursor } = await import("@portal/core/rules")
    const cursor = encodeCursor(cursorSortOf(base), { key: Number(last.sort_key), id: String(last.ticket_id) })
    await explain(driver, "Next page (keyset cursor)", scope, { ...base, cursor })
    await explain(driver, "Status open only", scope, { ...base, status: "open" })
    await explain(driver, "Organization view, sorted by creation", scope, {
      ...base,
      view: "organization",
      sort: "created",
    })
    await explain(driver, "Mine only", scope, { ...base, view: "mine" })
    // P-EXT-4: the first page of every sort, both directions (SORTS_ONLY=1 prints only these).
    const sorts: ReadonlyArray<SortOrder> = ["subject", "owner", "status", "created", "lastActivity"]
    for (const sort of sorts)
      for (const direction of ["asc", "desc"] as const)
        await explain(driver, `First page sorted by ${sort} ${direction}`, scope, { ...base, sort, direction })
    await explain(driver, "First page sorted by status (stages shown) asc", scope, {
      ...base,
      sort: "status",
      statusDisplay: "stages",
      direction: "asc",
    })
    await explain(driver, 'Search (English): "dark mode"', scope, { ...base, search: "dark mode" })
    await explain(driver, 'Search (Japanese): "配送状況"', scope, { ...base, search: "配送状況" })
    await explain(driver, 'Search for a rare term: "ticket 300001."', scope, { ...base, search: "ticket 300001." })
  } finally {
    await driver.close()
    if (process.env.KEEP === undefined) await dropServerDatabase(DB)
  }
}

await main()
