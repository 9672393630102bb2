/**
 * Row decoding on the request path: µs per row with `Schema.decodeUnknownSync` (what Sql.ts ran
 * before) and with the compiled decoder of RowDecoder.ts (what it runs now), on the rows of
 * `tickets.list` (ListRow: 26 a page, the summary's columns and the sort key), of `tickets.get`
 * (GetRow) and of the caller read (CallerStore's ReadRow: settings, session, contact), shaped as
 * the `pg` driver hands them back (int8 as text, jsonb parsed). Both decoders are checked to give
 * the same values first. Each figure is the median of BENCH_ROUNDS rounds (default 7) of
 * BENCH_N passes (default 4,000) over the rows, in CPU time of this process, the two decoders
 * taking turns.
 * Run: pnpm --filter @portal/storage-postgres bench:decode   (a benchmark, not a test)
 */
import { isDeepStrictEqual } from "node:util"
import { demoDocument } from "@portal/storage-contract"
import { Schema } from "effect"
import { compileRowDecoder } from "../src/RowDecoder.ts"
import { ReadRow } from "../src/stores/CallerStore.ts"
import { GetRow, ListRow, SummaryRow } from "../src/stores/TicketStore.ts"

const N = Math.max(100, Number(process.env.BENCH_N ?? 4000))
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 7))

const summary = (i: number) => ({
  ticket_id: `T-${1000 + i}`,
  subject: `Printer on floor ${i % 7} does not print`,
  created_at: "2026-11-02T09:14:05.123Z",
  last_activity_at: `2026-12-0${1 + (i % 5)}T10:${String(10 + i).slice(-2)}:00Z`,
  pipeline_id: "support",
  stage_id: i % 3 === 0 ? "closed" : "in-progress",
  stage_label: i % 3 === 0 ? "Closed" : "In progress",
  stage_state: i % 3 === 0 ? "closed" : "open",
  requester_id: `p${i % 4}`,
  requester_email: `person${i % 4}@example.com`,
  requester_first_name: "Hanako",
  requester_last_name: i % 2 === 0 ? "Yamada" : null,
  owner_id: i % 2 === 0 ? "agent-1" : null,
  owner_name: i % 2 === 0 ? "Agent One" : null,
})
const listRows = Array.from({ length: 26 }, (_, i) => ({ ...summary(i), sort_key: String(1764670000000 + i * 1000) }))
const getRows = [
  {
    ...summary(3),
    content: "The printer shows error 0x41 since Monday.",
    properties: { product: "printers", priority: "high" },
    contact_ids: ["p3"],
    company_ids: ["c1"],
    participant_ids: [],
    ticket_owner_id: "agent-1",
    ticket_requester_id: "p3",
    // Read with the ticket since the fifth session (JSON columns).
    threads: [
      {
        thread_id: "th-3",
        ticket_id: "t-3",
        channel: "email",
        inbox_id: "inbox-1",
        created_at: "2026-12-01T09:00:00.000Z",
      },
    ],
    satisfaction: null,
  },
]
const readRows = [
  {
    workspace_id: "acme",
    host: "support.acme.test",
    language: "en",
    settings: JSON.parse(JSON.stringify(demoDocument("acme").portal)),
    settings_version: "12",
    catalog_version: "4",
    session: {
      token_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      workspace_id: "acme",
      subject_type: "contact",
      subject_id: "p1",
      created_at: "2026-12-05T08:00:00Z",
      last_seen_at: "2026-12-05T08:30:00Z",
      absolute_expires_at: "2026-12-12T08:00:00Z",
    },
    contact: {
      contact_id: "p1",
      email: "hanako@example.com",
      first_name: "Hanako",
      last_name: "Yamada",
      primary_company_id: "c1",
      password_hash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
      unsubscribed: false,
    },
    list_ids: ["vip"],
    participant: true,
    agent_id: null,
    agent_permissions: null,
  },
]

/** CPU time (user + system) per row: on a shared machine, wall time counts the waits for a core too. */
const timeRows = (decode: (row: unknown) => unknown, rows: ReadonlyArray<unknown>): number => {
  const start = process.cpuUsage()
  for (let n = 0; n < N; n++) for (let i = 0; i < rows.length; i++) decode(rows[i])
  const used = process.cpuUsage(start)
  return (used.user + used.system) / (N * rows.length)
}

const median = (xs: Array<number>) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const cases = [
  { name: "ListRow (tickets.list, 26 rows)", Row: ListRow, rows: listRows },
  { name: "SummaryRow (the same rows, no sort key)", Row: SummaryRow, rows: listRows },
  { name: "GetRow (tickets.get)", Row: GetRow, rows: getRows },
  { name: "ReadRow (the caller)", Row: ReadRow, rows: readRows },
] as const

console.log(`decode bench: ${N} passes × ${ROUNDS} rounds, node ${process.version}`)
for (const { name, Row, rows } of cases) {
  const schema = Schema.decodeUnknownSync(Row as Schema.Decoder<unknown>)
  const compiled = compileRowDecoder(Row as Schema.Decoder<unknown>)
  for (const row of rows) {
    if (!isDeepStrictEqual(compiled(row), schema(row))) throw new Error(`${name}: the decoders disagree`)
  }
  const s: Array<number> = []
  const c: Array<number> = []
  timeRows(schema, rows)
  timeRows(compiled, rows)
  for (let r = 0; r < ROUNDS; r++) {
    s.push(timeRows(schema, rows))
    c.push(timeRows(compiled, rows))
  }
  const sm = median(s)
  const cm = median(c)
  console.log(
    `${name.padEnd(42)} Schema ${sm.toFixed(3)} µs/row   compiled ${cm.toFixed(3)} µs/row   ${(sm / cm).toFixed(1)}×` +
      `   per request ${(sm * rows.length).toFixed(1)} → ${(cm * rows.length).toFixed(1)} µs`,
  )
}
