/**
 * The workspace document of the HTTP list benchmark (bench/http-list.ts): `tickets` tickets, each
 * with one email thread (3 messages: the customer's, an internal comment, the agent's answer; 5
 * on every 5th ticket; a small attachment every 50th), in one big company and many small ones.
 * packages/storage-postgres/bench/import.ts has a similar generator, but importing it runs that
 * benchmark (top-level await) and it has no big company, so this one is separate.
 *
 * - Company `c0` holds every 4th ticket (25 %: 5,000 of 20,000). Its contact `p0` (the company
 *   customer) is in list `l1`, and the portal's scope is "company for the contacts of `l1`"
 *   (P-VIS-5), so `p0` sees the Organization view; `p0` is the contact of every 200th ticket.
 * - The contact customer `p<BIG>` (a contact of a small company, not in `l1`) has contact scope:
 *   they see only their own tickets (every 400th ticket, offset 1).
 * - 5 % of the tickets are in the `internal` pipeline, which the portal's ticket filter hides
 *   (P-VIS-3), as in storage-postgres's explain bench.
 * - A rare word, RARE_TERM, is in the subject of every 1009th ticket and in the content of every
 *   1013th: a search that matches a handful of the company's tickets.
 * Both customers carry a plain `password`, which the import use-case hashes (as the demo does).
 */

export const BENCH_HOST = "bench.localhost"
export const BENCH_PASSWORD = "bench-customer-2026"
export const RARE_TERM = "zeppelin"

export interface BenchCustomer {
  readonly contactId: string
  readonly email: string
  /** Tickets the customer is a contact of (before the internal-pipeline filter). */
  readonly ownTickets: number
}

export interface BenchWorkspace {
  readonly doc: unknown
  readonly companyTickets: number
  readonly company: BenchCustomer
  readonly contact: BenchCustomer
  readonly counts: { readonly contacts: number; readonly companies: number; readonly messages: number }
}

/** Ticket subjects, English and Japanese (also the isolated page's rows, http/page-render.ts). */
export const SUBJECTS = [
  "Invoice is wrong",
  "Cannot log in after password reset",
  "請求書の金額が違います",
  "ログインできません",
  "Export to CSV fails with a timeout",
  "Please add a seat to our plan",
  "配送状況を教えてください",
  "Webhook deliveries are delayed",
]
const BODY =
  "Hello, since this morning several people on our team see this problem. We tried another browser " +
  "and cleared the cache, with the same result. Could you have a look and tell us what to do? Thanks."

export const pick = <T>(items: ReadonlyArray<T>, i: number): T => items[i % items.length] as T
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z")

export const generateWorkspace = (tickets: number): BenchWorkspace => {
  const contacts = Math.max(20, Math.floor(tickets / 10))
  const companies = Math.max(3, Math.floor(tickets / 200))
  // Contacts p0 … p<big-1> belong to c0; the rest are spread over c1 … c<companies-1>.
  const big = Math.max(4, Math.floor(contacts / 8))
  const companyOf = (contact: number) => (contact < big ? 0 : 1 + (contact % (companies - 1)))
  const contactOf = (i: number): number => {
    if (i % 4 === 0) return i % 200 === 0 ? 0 : 1 + ((i / 4) % (big - 1))
    if (i % 400 === 1) return big
    return big + 1 + ((i * 7919) % (contacts - big - 1))
  }
  const base = Date.parse("2024-01-01T00:00:00Z")
  let messages = 0
  let companyTickets = 0
  let companyOwn = 0
  let contactOwn = 0
  const ticketRows = Array.from({ length: tickets }, (_, i) => {
    const contact = contactOf(i)
    if (i % 4 === 0) companyTickets++
    if (contact === 0) companyOwn++
    if (contact === big) contactOwn++
    const internal = i % 20 === 19
    const rareSubject = i % 1009 === 4 ? ` (${RARE_TERM})` : ""
    const rareContent = i % 1013 === 8 ? ` The ${RARE_TERM} import job failed again.` : ""
    return {
      id: `t${i}`,
      subject: `${pick(SUBJECTS, i)} #${i}${rareSubject}`,
      content: `${pick(SUBJECTS, i + 3)}. ${BODY}${rareContent}`,
      pipelineId: internal ? "internal" : "support",
      stageId: internal ? "triage" : pick(["new", "waiting", "closed"], i),
      ownerId: `u${i % 20}`,
      requesterId: `p${contact}`,
      createdAt: iso(base + i * 60_000),
      lastActivityAt: iso(base + i * 60_000 + ((i * 37) % 5000) * 60_000),
      properties: { category: pick(["billing", "bug", "question"], i), priority: pick(["low", "normal", "high"], i) },
      contactIds: [`p${contact}`],
      companyIds: [`c${companyOf(contact)}`],
    }
  })
  const threads = ticketRows.map((t, i) => {
    const at = base + i * 60_000
    const author = { type: "contact", id: t.requesterId }
    const agent = { type: "agent", id: t.ownerId }
    const extra =
      i % 5 === 0
        ? [
            { id: `m${i}d`, createdAt: iso(at + 7_200_000), kind: "message", author, text: `Still happening. ${BODY}` },
            { id: `m${i}e`, createdAt: iso(at + 9_000_000), kind: "message", author: agent, text: "Fixed now." },
          ]
        : []
    const list = [
      {
        id: `m${i}a`,
        createdAt: iso(at),
        kind: "message",
        author,
        text: `${t.subject}. ${BODY}`,
        ...(i % 50 === 0
          ? { attachments: [{ name: "log.txt", contentType: "text/plain", dataBase64: btoa(`log ${i}\n`.repeat(20)) }] }
          : {}),
      },
      { id: `m${i}b`, createdAt: iso(at + 1_800_000), kind: "comment", author: agent, text: "Internal: checking." },
      {
        id: `m${i}c`,
        createdAt: iso(at + 3_600_000),
        kind: "message",
        author: agent,
        text: `Answer to #${i}. ${BODY}`,
      },
      ...extra,
    ]
    messages += list.length
    return { id: `th${i}`, ticketId: t.id, channel: "email", inboxId: "ib1", createdAt: iso(at), messages: list }
  })
  const customerPassword = (i: number) => (i === 0 || i === big ? { password: BENCH_PASSWORD } : {})
  const doc = {
    format: "portal-workspace/v1",
    workspace: { id: "bench", name: "Bench Inc." },
    domains: [{ host: BENCH_HOST, language: "en" }],
    agents: Array.from({ length: 20 }, (_, i) => ({
      id: `u${i}`,
      name: `Agent ${i}`,
      email: `u${i}@bench.test`,
      permissions: [],
    })),
    companies: Array.from({ length: companies }, (_, i) => ({
      id: `c${i}`,
      name: i === 0 ? "Big Corp" : `Company ${i}`,
    })),
    contacts: Array.from({ length: contacts }, (_, i) => ({
      id: `p${i}`,
      email: `p${i}@bench.test`,
      firstName: `First${i}`,
      lastName: "Last",
      primaryCompanyId: `c${companyOf(i)}`,
      ...customerPassword(i),
    })),
    lists: [{ id: "l1", name: "Company scope", contactIds: ["p0"] }],
    pipelines: [
      {
        id: "support",
        label: "Support",
        stages: [
          { id: "new", label: "New", state: "open" },
          { id: "waiting", label: "Waiting on you", state: "open" },
          { id: "closed", label: "Closed", state: "closed" },
        ],
      },
      { id: "internal", label: "Internal", stages: [{ id: "triage", label: "Triage", state: "open" }] },
    ],
    inboxes: [{ id: "ib1", name: "Support inbox", kind: "helpdesk" }],
    forms: [],
    tickets: ticketRows,
    threads,
    notes: [],
    portal: {
      enabled: true,
      pageTitle: "Bench",
      slug: "tickets",
      access: { method: "membership", registration: "self" },
      consent: { noticeText: "We process your data.", checkboxLabel: "I agree" },
      ticketScope: { company: { listIds: ["l1"] } },
      ticketFilters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
      actions: { allowReplyToClosed: false, allowClose: true },
      defaultInboxId: "ib1",
      statusDisplay: "openClosed",
      supportForm: null,
      navigation: [],
      idleTimeoutMinutes: 60,
    },
  }
  return {
    doc,
    companyTickets,
    company: { contactId: "p0", email: "p0@bench.test", ownTickets: companyOwn },
    contact: { contactId: `p${big}`, email: `p${big}@bench.test`, ownTickets: contactOwn },
    counts: { contacts, companies, messages },
  }
}
