/**
 * The benchmark workspace `bench`, built in SQL (INSERT … SELECT over generate_series): 2
 * pipelines of 3 stages, 50 agents, 1,000 companies, CONTACTS contacts (the first
 * BIG_COMPANY_CONTACTS in company c1) and `tickets` tickets spread evenly over the contacts, with
 * owners (one ticket in ten unassigned), requesters, creation and activity times, subjects and contents in English and Japanese.
 * Shared by the list EXPLAINs (explain-list.ts, explain-agent-list.ts) and apps/server's agent list bench.
 */
import type { Driver } from "../src/Driver.ts"
import { timed } from "./Setup.ts"

export const CONTACTS = 100_000
export const BIG_COMPANY_CONTACTS = 20_000

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

export const build = async (driver: Driver, TICKETS: number) => {
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
        (ARRAY['new', 'waiting', 'closed', 'closed', 'closed'])[1 + i % 5],
        CASE WHEN i % 10 = 3 THEN NULL ELSE 'u' || (1 + i % 50) END, 'p' || c.n,
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
