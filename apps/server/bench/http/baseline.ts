/**
 * The two bare baselines of the HTTP benchmark (bench/http-bench.ts): `node:http` and a `pg` Pool,
 * no framework, answering the benchmark's requests with the same JSON as the portal, byte for byte
 * (checked once at the start of every run, and by test/bench-baseline.test.ts).
 *
 * Both get, per request (URL), the statements the portal itself sent for it, recorded by the
 * statement-recording driver (recording.ts) — so the list SQL is the one the portal's query
 * builder generated, never a hand-copied one. Per request they read the session cookie, hash its
 * token (node:crypto), put the hash where the recording had the portal's, run the statements and
 * build the answer from the rows:
 * - `same`: replays the portal's whole statement sequence (transactions included, on one pooled
 *   connection with BEGIN/COMMIT), nothing cached;
 * - `minimal`: runs only what must touch the database — the session row and the contact (two
 *   primary-key reads of its own, prepared), then the portal's recorded ticket statements (the
 *   list query; for one ticket its row, its threads, its messages, its rating). Host, settings and
 *   catalog are held in memory (read once at start).
 */
import { createHash } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import pg from "pg"
import type { Statement } from "./recording.ts"

export type BaselineMode = "minimal" | "same"

export interface Plan {
  /** The request URL (path and query) the plan answers. */
  readonly url: string
  readonly kind: "list" | "get"
  /** What the portal sent for it, in order. */
  readonly statements: ReadonlyArray<Statement>
  /** The session token hash in the recorded parameters (replaced by the request's). */
  readonly sessionHash: string
  /** The list's page size (list plans). */
  readonly limit: number
}

/** What a bare server holds in memory, read once at start. */
interface Memory {
  readonly statusDisplay: string
  readonly allowReplyToClosed: boolean
  readonly allowClose: boolean
  readonly organizationView: boolean
}

type Row = Record<string, unknown>

const isSession = (s: Statement) => /^SELECT\b[\s\S]*\bFROM sessions\b/.test(s.text)
/** The portal's caller read (storage-postgres stores/CallerStore.ts): host, settings, session, subject. */
const isCaller = (s: Statement) => /\bFROM domains d\b[\s\S]*\bJOIN sessions s\b/.test(s.text)
const isList = (s: Statement) => /^SELECT c\.ticket_id\b/.test(s.text)
const isTicket = (s: Statement) => /^SELECT t\.ticket_id\b/.test(s.text)
const isThreads = (s: Statement) => /^SELECT thread_id\b[\s\S]*\bFROM threads\b/.test(s.text)
const isMessages = (s: Statement) => /^SELECT m\.message_id\b/.test(s.text)
const isSatisfaction = (s: Statement) => /^SELECT ticket_id, rating\b[\s\S]*\bFROM ticket_satisfaction\b/.test(s.text)

/** Where the minimal baseline's contact read takes the session row's subject id. */
const SUBJECT = Symbol("the session's subject id")

/**
 * The statements the minimal baseline runs for a plan: its own session and contact reads (the
 * least a signed-in request needs), then the portal's ticket reads as recorded.
 */
export const minimalStatements = (plan: Plan, workspaceId = "bench"): ReadonlyArray<Statement> => [
  {
    name: "minimal_session",
    text: `SELECT token_hash, workspace_id, subject_type, subject_id, created_at, last_seen_at, absolute_expires_at
           FROM sessions WHERE token_hash = $1`,
    params: [plan.sessionHash],
    tx: 0,
  },
  {
    name: "minimal_contact",
    text: `SELECT contact_id, email, first_name, last_name, primary_company_id, password_hash, unsubscribed
           FROM contacts WHERE workspace_id = $1 AND contact_id = $2`,
    params: [workspaceId, SUBJECT],
    tx: 0,
  },
  ...plan.statements
    .filter((s) => isList(s) || isTicket(s) || isThreads(s) || isMessages(s) || isSatisfaction(s))
    .map((s) => ({ ...s, tx: 0 })),
]

const BASE64URL = /[+/=]/g
const base64url = (text: string) =>
  Buffer.from(text, "utf8")
    .toString("base64")
    .replace(BASE64URL, (c) => (c === "+" ? "-" : c === "/" ? "_" : ""))

const contactName = (first: unknown, last: unknown, email: unknown): string => {
  const name = [first, last]
    .map((p) => (typeof p === "string" ? p.trim() : ""))
    .filter((p) => p.length > 0)
    .join(" ")
  return name.length > 0 ? name : String(email)
}
const contactRef = (r: Row, p: string) =>
  r[`${p}_id`] === null || r[`${p}_id`] === undefined
    ? null
    : {
        id: r[`${p}_id`],
        name: contactName(r[`${p}_first_name`], r[`${p}_last_name`], r[`${p}_email`]),
        ...(r[`${p}_first_name`] === null ? {} : { firstName: r[`${p}_first_name`] }),
        ...(r[`${p}_last_name`] === null ? {} : { lastName: r[`${p}_last_name`] }),
      }
const statusLabelOf = (r: Row, m: Memory) => {
  const state = r.stage_state ?? "open"
  return m.statusDisplay === "stages"
    ? { kind: "stage", label: r.stage_label ?? r.stage_id, state }
    : { kind: "state", state }
}
const ticketOf = (r: Row, m: Memory) => ({
  id: r.ticket_id,
  subject: r.subject,
  requester: contactRef(r, "requester"),
  owner: r.owner_id === null ? null : { name: r.owner_name },
  createdAt: r.created_at,
  lastActivityAt: r.last_activity_at,
  status: { state: r.stage_state ?? "open" },
  statusLabel: statusLabelOf(r, m),
})

/** `rows`: the page query's; `shared`: the one-row probe of the "Shared with me" view (P-EXT-1). */
const listAnswer = (rows: ReadonlyArray<Row>, shared: ReadonlyArray<Row>, plan: Plan, m: Memory) => {
  const page = rows.slice(0, plan.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ticketOf(r, m)),
    // The cursor as core writes it (rules/Listing.ts): the sort, its direction, the key, the id.
    nextCursor:
      rows.length > plan.limit && last !== undefined
        ? base64url(JSON.stringify(["lastActivity", "desc", Math.trunc(Number(last.sort_key)), String(last.ticket_id)]))
        : null,
    organizationView: m.organizationView,
    sharedView: shared.length > 0,
    statusDisplay: m.statusDisplay,
    preview: false,
  }
}

const getAnswer = (
  ticket: Row,
  threads: ReadonlyArray<Row>,
  messages: ReadonlyArray<Row>,
  rating: Row | undefined,
  contactId: unknown,
  m: Memory,
) => {
  const thread = threads[0]
  const state = ticket.stage_state ?? "open"
  const canReply = state === "open" || m.allowReplyToClosed
  const canClose = state === "open" && m.allowClose
  return {
    ticket: ticketOf(ticket, m),
    content: ticket.content,
    properties: ticket.properties,
    thread:
      thread === undefined ? null : { id: thread.thread_id, channel: thread.channel, createdAt: thread.created_at },
    messages: messages.map((r) => {
      // The author as a JSON object {type, id} (older SQL: author_type and author_id columns).
      const author = (r.author ?? { type: r.author_type, id: r.author_id }) as { type: string; id: string }
      const contact = author.type === "contact" ? contactRef(r, "author_contact") : null
      return {
        id: r.message_id,
        createdAt: r.created_at,
        author: author.type === "contact" ? { type: "contact", id: author.id } : { type: "agent" },
        authorName: author.type === "agent" ? (r.agent_name ?? "") : (contact?.name ?? ""),
        ...(contact?.firstName === undefined ? {} : { authorFirstName: contact.firstName }),
        ...(contact?.lastName === undefined ? {} : { authorLastName: contact.lastName }),
        text: r.text,
        attachments: (r.attachments as ReadonlyArray<Row>).map((a) => ({
          id: a.id,
          name: a.name,
          contentType: a.contentType,
          size: a.size,
          url: `/files/${encodeURIComponent(String(a.id))}`,
        })),
      }
    }),
    canReply,
    canClose,
    replyRefusal: canReply ? null : "closed_ticket_reply_disabled",
    closeRefusal: canClose ? null : "already_closed",
    statusLabel: statusLabelOf(ticket, m),
    // P-EXT-1: nobody is a participant of the bench's tickets (the portal reads none then).
    participants: [],
    canManageParticipants: ticket.requester_id === contactId,
    // P-EXT-2: the rating, once given; a closed, unrated ticket may be rated.
    satisfaction:
      rating === undefined
        ? null
        : { rating: rating.rating, ...(rating.comment === null ? {} : { comment: rating.comment }), at: rating.at },
    canRate: rating === undefined && state === "closed",
    preview: false,
  }
}

const tokenOf = (cookie: string | undefined): string | null => {
  if (cookie === undefined) return null
  for (const part of cookie.split(";")) {
    const [name, value] = part.trim().split("=", 2)
    if (name === "portal_session" && value !== undefined) return decodeURIComponent(value)
  }
  return null
}

export interface Baseline {
  readonly port: number
  readonly server: Server
  /** Statements sent so far. */
  readonly statements: () => number
  readonly close: () => Promise<void>
}

export const startBaseline = async (options: {
  readonly databaseUrl: string
  readonly mode: BaselineMode
  readonly plans: ReadonlyArray<Plan>
  readonly workspaceId: string
  readonly poolSize?: number
  /** Named prepared statements (one name per statement text) instead of unnamed ones. */
  readonly prepared?: boolean
}): Promise<Baseline> => {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 })
  pool.on("error", () => {})
  let statements = 0
  // Settings and catalog, once (the minimal baseline's "held in memory"; the same-statements one reads them per request too).
  const [ws] = (await pool.query("SELECT settings FROM workspaces WHERE workspace_id = $1", [options.workspaceId]))
    .rows as Array<{ settings: Row }>
  const settings = (ws?.settings ?? {}) as {
    statusDisplay?: string
    actions?: { allowReplyToClosed?: boolean; allowClose?: boolean }
    ticketScope?: unknown
  }
  const memory: Memory = {
    statusDisplay: settings.statusDisplay ?? "openClosed",
    allowReplyToClosed: settings.actions?.allowReplyToClosed ?? false,
    allowClose: settings.actions?.allowClose ?? true,
    organizationView: true,
  }
  const plans = new Map(
    options.plans.map((p) => [
      p.url,
      { plan: p, run: options.mode === "same" ? p.statements : minimalStatements(p, options.workspaceId) },
    ]),
  )

  const names = new Map<string, string>()
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (name === undefined) {
      name = `b${names.size}`
      names.set(text, name)
    }
    return name
  }
  // A statement the portal prepared (named) is prepared here too, under the same name; with
  // `prepared`, every statement is.
  const query = (client: pg.Pool | pg.PoolClient, s: Statement, values: Array<unknown>) =>
    s.name !== undefined
      ? client.query({ name: s.name, text: s.text, values })
      : options.prepared === true && s.text !== "BEGIN" && s.text !== "COMMIT"
        ? client.query({ name: nameOf(s.text), text: s.text, values })
        : client.query(s.text, values)
  const execute = async (run: ReadonlyArray<Statement>, recorded: string, hash: string) => {
    const results: Array<ReadonlyArray<Row>> = []
    const bind = (s: Statement) =>
      s.params.map((v) => (v === recorded ? hash : v === SUBJECT ? (results[0]?.[0]?.subject_id ?? null) : v))
    for (let i = 0; i < run.length; ) {
      const s = run[i] as Statement
      if (s.tx === 0) {
        statements++
        results.push((await query(pool, s, bind(s))).rows)
        i++
        continue
      }
      const client = await pool.connect()
      try {
        for (; i < run.length && (run[i] as Statement).tx === s.tx; i++) {
          const t = run[i] as Statement
          statements++
          results.push((await query(client, t, bind(t))).rows)
        }
      } finally {
        client.release()
      }
    }
    return results
  }

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
    res.end(text)
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/"
    const entry = plans.get(url)
    if (entry === undefined) return answer(res, 404, { error: { message: "Not found" } })
    // Parsed as the portal parses it (the input is fixed by the plan, but the work is done).
    const q = url.indexOf("?input=")
    if (q >= 0) JSON.parse(decodeURIComponent(url.slice(q + 7)))
    const token = tokenOf(req.headers.cookie)
    if (token === null) return answer(res, 401, { error: { message: "Sign in" } })
    const hash = createHash("sha256").update(token, "utf8").digest("hex")
    const { plan, run } = entry
    const results = await execute(run, plan.sessionHash, hash)
    const at = (p: (s: Statement) => boolean) => results[run.findIndex(p)] ?? []
    // Signed in: the session row (minimal), or the caller read's session (same-statements).
    const session = (options.mode === "minimal" ? at(isSession)[0] : at(isCaller)[0]?.session) as Row | null | undefined
    if (session === null || session === undefined) return answer(res, 401, { error: { message: "Sign in" } })
    if (plan.kind === "list") {
      const lists = run.flatMap((s, i) => (isList(s) ? [results[i] ?? []] : []))
      return answer(res, 200, { result: { data: listAnswer(lists[0] ?? [], lists[1] ?? [], plan, memory) } })
    }
    const ticket = at(isTicket)[0]
    if (ticket === undefined) return answer(res, 404, { error: { message: "Not found" } })
    const contactId = session.subject_id
    // The threads and the rating: their own statements, or (since issue 9's merge) columns of the ticket's row.
    const apart = (p: (s: Statement) => boolean) => run.some(p)
    const threads = apart(isThreads) ? at(isThreads) : ((ticket.threads ?? []) as ReadonlyArray<Row>)
    const rating = apart(isSatisfaction)
      ? at(isSatisfaction)[0]
      : ((ticket.satisfaction ?? undefined) as Row | undefined)
    // The messages: their own statement, or (since issue 9's second merge) in each thread's JSON.
    const messages = apart(isMessages) ? at(isMessages) : ((threads[0]?.messages ?? []) as ReadonlyArray<Row>)
    return answer(res, 200, {
      result: { data: getAnswer(ticket, threads, messages, rating, contactId, memory) },
    })
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { error: { message: String(error) } })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()))
  return {
    port: (server.address() as AddressInfo).port,
    server,
    statements: () => statements,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await pool.end()
    },
  }
}
