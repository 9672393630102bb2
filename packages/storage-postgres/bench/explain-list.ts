/**
 * Builds a 1,000,000-ticket workspace on the PostgreSQL server (INSERT … SELECT over
 * generate_series) and prints EXPLAIN (ANALYZE, BUFFERS) of the ticket list query for a customer
 * of a large company (company c1: 20,000 of the 100,000 contacts, about 200,000 tickets).
 * Run: pnpm --filter @portal/storage-postgres bench:explain   (KEEP=1 keeps the database)
 */
import type { CursorPosition, TicketListQuery, ViewerScope } from "@portal/core"
import { parseCursor } from "@portal/core"
import { Option } from "effect"
import type { Driver } from "../src/Driver.ts"
import { listQuery } from "../src/stores/TicketList.ts"
import { dropServerDatabase, freshServerDatabase, timed } from "./Setup.ts"

const DB = "portal_bench_explain"
const TICKETS = Number(process.env.TICKETS ?? 1_000_000)
const CONTACTS = 100_000
const BIG_COMPANY_CONTACTS = 20_000

const SUBJECTS = [
  "Invoice is wrong",
  "Cannot log in",
  "Export to CSV fails",
  "Feature request: dark mode",
  "請求書の金額が違います",
  "ログインできません",
  "CSV出力が失敗する",
  "配送状況を教えてください",
]
const WORDS = [
  "order",
  "account",
  "shipping",
  "refund",
  "password",
  "report",
  "注文",
  "配送",
  "返金",
  "パスワード",
  "アカウント",
  "請求",
]

const build = async (driver: Driver) => {
  const sql = (text: string, params: ReadonlyArray<unknown> = []) => driver.query(text, params)
  await sql(`INSERT INTO workspaces (workspace_id, name, settings) VALUES ('bench', 'Bench', '{}'::jsonb)`)
  await sql(
    `INSERT INTO pipelines (workspace_id, pipeline_id, label) VALUES ('bench', 'support', 'Support'), ('bench', 'internal', 'Internal')`,
  )
  await sql(`INSERT INTO stages (workspace_id, pipeline_id, stage_id, label, state, position)
    SELECT 'bench', p, s, initcap(s), CASE WHEN s = 'closed' THEN 'closed' ELSE 'open' END, n
    FROM unnest(ARRAY['support', 'internal']) p, unnest(ARRAY['new', 'waiting', 'closed']) WITH ORDINALITY AS x(s, n)`)
  await sql(
    `INSERT INTO agents (workspace_id, agent_id, name, email) SELECT 'bench', 'u' || i, 'Agent ' || i, 'u' || i || '@bench.test' FROM generate_series(1, 50) i`,
  )
  await sql(
    `INSERT INTO companies (workspace_id, company_id, name) SELECT 'bench', 'c' || i, 'Company ' || i FROM generate_series(1, 1000) i`,
  )
  await sql(`INSERT INTO contacts (workspace_id, contact_id, email, email_key, first_name, last_name, primary_company_id)
    SELECT 'bench', 'p' || i, 'p' || i || '@bench.test', 'p' || i || '@bench.test', 'First' || i, 'Last',
      'c' || CASE WHEN i <= ${BIG_COMPANY_CONTACTS} THEN 1 ELSE 2 + i % 999 END
    FROM generate_series(1, ${CONTACTS}) i`)
  // Ticket i belongs to contact 1 + (i * 7919) % CONTACTS (spread evenly) and that contact's company.
  await timed(`  tickets (${TICKETS})`, () =>
    sql(
      `INSERT INTO tickets (workspace_id, ticket_id, subject, content, pipeline_id, stage_id, owner_id, requester_id,
        created_at, created_ms, last_activity_at, last_activity_ms, properties, contact_ids, company_ids)
      SELECT 'bench', 't' || i, s.subject || ' #' || i, s.content, CASE WHEN i % 20 = 0 THEN 'internal' ELSE 'support' END,
        (ARRAY['new', 'waiting', 'closed', 'closed', 'closed'])[1 + i % 5], 'u' || (1 + i % 50), 'p' || c.n,
        to_char(to_timestamp(s.created / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), s.created,
        to_char(to_timestamp(s.active / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), s.active,
        jsonb_build_object('category', (ARRAY['billing', 'bug', 'question'])[1 + i % 3]),
        ARRAY['p' || c.n], ARRAY['c' || CASE WHEN c.n <= ${BIG_COMPANY_CONTACTS} THEN 1 ELSE 2 + c.n % 999 END]
      FROM generate_series(1, ${TICKETS}) i
      CROSS JOIN LATERAL (SELECT 1 + (i::bigint * 7919) % ${CONTACTS} AS n) c
      CROSS JOIN LATERAL (SELECT
        $1::text[] AS subjects, $2::text[] AS words,
        1700000000000 + i::bigint * 60000 AS created) g
      CROSS JOIN LATERAL (SELECT g.created,
        g.created + ((i::bigint * 104729) % 2592000) * 1000 AS active,
        g.subjects[1 + i % 8] AS subject,
        g.words[1 + i % 12] || ' ' || g.words[1 + (i / 12) % 12] || ' ' || g.words[1 + (i / 144) % 12] ||
          ' — please check ticket ' || i || '. ' || g.subjects[1 + (i / 8) % 8] AS content) s`,
      [SUBJECTS, WORDS],
    ),
  )
  for (const [table, column, field] of [
    ["ticket_contacts", "contact_id", "contact_ids"],
    ["ticket_companies", "company_id", "company_ids"],
  ])
    await timed(`  ${table}`, () =>
      sql(`INSERT INTO ${table} (workspace_id, ticket_id, ${column}, last_activity_ms, created_ms)
        SELECT t.workspace_id, t.ticket_id, a.id, t.last_activity_ms, t.created_ms
        FROM tickets t CROSS JOIN LATERAL unnest(t.${field}) AS a(id) WHERE t.workspace_id = 'bench'`),
    )
  await timed("  VACUUM ANALYZE", () => driver.exec("VACUUM ANALYZE"))
}

const explain = async (driver: Driver, title: string, scope: ViewerScope, query: TicketListQuery) => {
  const cursor: CursorPosition | null = query.cursor === null ? null : Option.getOrNull(parseCursor(query.cursor))
  const built = listQuery(scope, query, cursor)
  if (built === null) throw new Error("no range to list")
  const rows = await driver.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${built.sql}`, built.params)
  console.log(`\n### ${title}\n\n\`\`\`\n${rows.map((r) => r["QUERY PLAN"]).join("\n")}\n\`\`\``)
}

const main = async () => {
  const { driver } = await freshServerDatabase(DB)
  try {
    console.log(`Building a ${TICKETS}-ticket workspace…`)
    await timed("build", () => build(driver))
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
    const { encodeCursor } = await import("@portal/core")
    const cursor = encodeCursor({ sortMs: Number(last.sort_ms), id: String(last.ticket_id) })
    await explain(driver, "Next page (keyset cursor)", scope, { ...base, cursor })
    await explain(driver, "Status open only", scope, { ...base, status: "open" })
    await explain(driver, "Organization view, sorted by creation", scope, {
      ...base,
      view: "organization",
      sort: "created",
    })
    await explain(driver, "Mine only", scope, { ...base, view: "mine" })
    await explain(driver, 'Search (English): "dark mode"', scope, { ...base, search: "dark mode" })
    await explain(driver, 'Search (Japanese): "配送状況"', scope, { ...base, search: "配送状況" })
    await explain(driver, 'Search for a rare term: "ticket 300001."', scope, { ...base, search: "ticket 300001." })
  } finally {
    await driver.close()
    if (process.env.KEEP === undefined) await dropServerDatabase(DB)
  }
}

await main()
