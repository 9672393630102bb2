/**
 * Reads a workspace back as a `portal-workspace/v1` document, in one REPEATABLE READ transaction
 * so that every table is read at the same instant. Arrays come back in their document order
 * (`ord` / `position`). Every login's hash, consent and attachment id is written (P-DATA-1);
 * a plain password never exists to be exported.
 */
import {
  AgentId,
  AttachmentId,
  Author,
  Channel,
  CompanyId,
  ContactId,
  FORMAT,
  InboxId,
  IsoTime,
  ListId,
  type Message,
  MessageId,
  MessageKind,
  NoteId,
  PortalSettings,
  type Thread,
  ThreadId,
  TicketId,
  type WorkspaceDocument,
} from "@portal/core/domain"
import type { StreamedSection } from "@portal/core/usecases"
import { Schema } from "effect"
import type { Queryable } from "./Driver.ts"
import { decodeRows, findAll, findOne } from "./Sql.ts"
import {
  AgentRow,
  agentFrom,
  ContactRow,
  contactFrom,
  DomainRow,
  domainFrom,
  FormRow,
  formFrom,
  InboxRow,
  inboxFrom,
  ListRow,
  opt,
  PipelineRow,
  pipelinesFrom,
  SatisfactionRow,
  StageRow,
  satisfactionFrom,
  TicketRow,
  ticketColumns,
  ticketFrom,
  WorkspaceRow,
  workspaceFrom,
} from "./stores/Rows.ts"
import { readWebhooks } from "./stores/WebhookStore.ts"

const groupBy = <R, K extends keyof R>(rows: ReadonlyArray<R>, key: K): Map<R[K], Array<R>> => {
  const map = new Map<R[K], Array<R>>()
  for (const row of rows) {
    const k = row[key]
    const list = map.get(k)
    if (list === undefined) map.set(k, [row])
    else list.push(row)
  }
  return map
}

const ConsentRow = Schema.Struct({
  contact_id: ContactId,
  notice_text: Schema.String,
  checkbox_label: Schema.String,
  legal_url: Schema.NullOr(Schema.String),
  text_version: Schema.NonEmptyString,
  given_at: IsoTime,
})
const MemberRow = Schema.Struct({ list_id: ListId, contact_id: ContactId })
const NoteRow = Schema.Struct({
  note_id: NoteId,
  ticket_id: TicketId,
  author_id: AgentId,
  created_at: IsoTime,
  text: Schema.String,
})
const ThreadRow = Schema.Struct({
  thread_id: ThreadId,
  ticket_id: TicketId,
  channel: Channel,
  inbox_id: Schema.NullOr(InboxId),
  created_at: IsoTime,
})
const MessageRow = Schema.Struct({
  message_id: MessageId,
  thread_id: ThreadId,
  kind: MessageKind,
  author: Author,
  text: Schema.String,
  created_at: IsoTime,
})
const AttachmentRow = Schema.Struct({
  attachment_id: AttachmentId,
  message_id: MessageId,
  name: Schema.NonEmptyString,
  content_type: Schema.NonEmptyString,
  data: Schema.String,
})

/** The workspace as a document: readHead and every record of readSection. */
export const readDocument = async (tx: Queryable, workspaceId: string): Promise<WorkspaceDocument | null> => {
  const head = await readHead(tx, workspaceId)
  if (head === null) return null
  const all = async <S extends StreamedSection>(section: S) => {
    const records: Array<WorkspaceDocument[S][number]> = []
    for await (const batch of readSection(tx, workspaceId, section)) records.push(...batch)
    return records
  }
  return {
    ...head,
    companies: await all("companies"),
    contacts: await all("contacts"),
    tickets: await all("tickets"),
    threads: await all("threads"),
    notes: await all("notes"),
  }
}

/**
 * The document without the records of its streamed sections (their arrays empty), in the
 * caller's transaction, which it makes REPEATABLE READ: every later read sees the same instant.
 */
export const readHead = async (tx: Queryable, workspaceId: string): Promise<WorkspaceDocument | null> => {
  await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
  const ws = await findOne(
    tx,
    Schema.Struct({ ...WorkspaceRow.fields, settings: PortalSettings }),
    "SELECT workspace_id, name, branding, settings FROM workspaces WHERE workspace_id = $1",
    [workspaceId],
  )
  if (ws === undefined) return null
  const all = <A>(Row: Schema.Decoder<A>, sql: string) => findAll(tx, Row, sql, [workspaceId])
  const domains = await all(DomainRow, "SELECT host, language FROM domains WHERE workspace_id = $1 ORDER BY ord")
  const agents = await all(
    Schema.Struct({ ...AgentRow.fields, password_hash: Schema.NullOr(Schema.String) }),
    "SELECT agent_id, name, email, permissions, password_hash FROM agents WHERE workspace_id = $1 ORDER BY ord",
  )
  const lists = await all(ListRow, "SELECT list_id, name FROM lists WHERE workspace_id = $1 ORDER BY ord")
  const members = groupBy(
    await all(
      MemberRow,
      "SELECT list_id, contact_id FROM list_members WHERE workspace_id = $1 ORDER BY list_id, position",
    ),
    "list_id",
  )
  const pipelines = await all(
    PipelineRow,
    "SELECT pipeline_id, label FROM pipelines WHERE workspace_id = $1 ORDER BY ord",
  )
  const stages = await all(
    StageRow,
    "SELECT pipeline_id, stage_id, label, state FROM stages WHERE workspace_id = $1 ORDER BY pipeline_id, position",
  )
  const inboxes = await all(InboxRow, "SELECT inbox_id, name, kind FROM inboxes WHERE workspace_id = $1 ORDER BY ord")
  const forms = await all(
    FormRow,
    "SELECT form_id, name, inbox_id, fields FROM forms WHERE workspace_id = $1 ORDER BY ord",
  )
  const webhooks = await readWebhooks(tx, workspaceId)
  return {
    format: FORMAT,
    workspace: workspaceFrom(ws),
    domains: domains.map(domainFrom),
    agents: agents.map((a) => ({ ...agentFrom(a), ...opt("passwordHash", a.password_hash) })),
    companies: [],
    contacts: [],
    lists: lists.map((l) => ({
      id: l.list_id,
      name: l.name,
      contactIds: (members.get(l.list_id) ?? []).map((m) => m.contact_id),
    })),
    pipelines: pipelinesFrom(pipelines, stages),
    inboxes: inboxes.map(inboxFrom),
    forms: forms.map(formFrom),
    tickets: [],
    threads: [],
    notes: [],
    portal: ws.settings,
    ...(webhooks.length === 0 ? {} : { webhooks }),
  }
}

/** Rows per FETCH of a section's cursor. */
const FETCH_ROWS = 2_000
let cursors = 0

/** `sql`'s rows in batches through a cursor (the caller's transaction): memory flat for any table. */
async function* cursorRows<A>(
  tx: Queryable,
  Row: Schema.Decoder<A>,
  sql: string,
  workspaceId: string,
): AsyncGenerator<Array<A>> {
  const name = `export_${++cursors}`
  // DECLARE takes no parameters: the id as a literal (standard_conforming_strings is on).
  const literal = `'${workspaceId.replace(/'/g, "''")}'`
  await tx.exec(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql.replace("$1", literal)}`)
  try {
    for (;;) {
      const rows = await tx.query(`FETCH ${FETCH_ROWS} FROM ${name}`)
      if (rows.length === 0) return
      yield decodeRows(Row, sql, rows)
    }
  } finally {
    await tx.exec(`CLOSE ${name}`)
  }
}

/** A streamed section's records, in document order, in batches (after readHead, in its transaction). */
export async function* readSection<S extends StreamedSection>(
  tx: Queryable,
  workspaceId: string,
  section: S,
): AsyncGenerator<ReadonlyArray<WorkspaceDocument[S][number]>> {
  type Out = ReadonlyArray<WorkspaceDocument[S][number]>
  const ws = workspaceId
  switch (section) {
    case "companies":
      for await (const rows of cursorRows(
        tx,
        Schema.Struct({ company_id: CompanyId, name: Schema.NonEmptyString }),
        "SELECT company_id, name FROM companies WHERE workspace_id = $1 ORDER BY ord",
        ws,
      ))
        yield rows.map((c) => ({ id: c.company_id, name: c.name })) as unknown as Out
      return
    case "contacts":
      for await (const rows of cursorRows(
        tx,
        ContactRow,
        "SELECT contact_id, email, first_name, last_name, primary_company_id, password_hash, unsubscribed FROM contacts WHERE workspace_id = $1 ORDER BY ord",
        ws,
      )) {
        const consents = groupBy(
          await findAll(
            tx,
            ConsentRow,
            `SELECT contact_id, notice_text, checkbox_label, legal_url, text_version, given_at
             FROM consents WHERE workspace_id = $1 AND contact_id = ANY($2::text[]) ORDER BY contact_id, ord`,
            [ws, rows.map((c) => c.contact_id)],
          ),
          "contact_id",
        )
        yield rows.map((c) => {
          const given = (consents.get(c.contact_id) ?? []).map((k) => ({
            textVersion: k.text_version,
            text: k.notice_text,
            ...(k.checkbox_label === "" ? {} : opt("checkboxLabel", k.checkbox_label)),
            ...opt("legalUrl", k.legal_url),
            givenAt: k.given_at,
          }))
          return {
            ...contactFrom(c),
            ...opt("passwordHash", c.password_hash),
            ...(given.length === 0 ? {} : { consents: given }),
          }
        }) as unknown as Out
      }
      return
    case "tickets":
      for await (const rows of cursorRows(
        tx,
        TicketRow,
        `SELECT ${ticketColumns("t")} FROM tickets t WHERE t.workspace_id = $1 ORDER BY t.ord`,
        ws,
      )) {
        // P-EXT-2: the batch's ratings, by the tickets' ids (the table's key).
        const ratings = new Map(
          (
            await findAll(
              tx,
              SatisfactionRow,
              "SELECT ticket_id, rating, comment, at FROM ticket_satisfaction WHERE workspace_id = $1 AND ticket_id = ANY($2::text[])",
              [ws, rows.map((t) => t.ticket_id)],
            )
          ).map((r) => [r.ticket_id as string, satisfactionFrom(r)]),
        )
        yield rows.map((t) => {
          const ticket = ticketFrom(t)
          const satisfaction = ratings.get(ticket.id)
          return satisfaction === undefined ? ticket : { ...ticket, satisfaction }
        }) as unknown as Out
      }
      return
    case "threads":
      for await (const rows of cursorRows(
        tx,
        ThreadRow,
        "SELECT thread_id, ticket_id, channel, inbox_id, created_at FROM threads WHERE workspace_id = $1 ORDER BY ord",
        ws,
      ))
        yield (await threadsOf(tx, ws, rows)) as unknown as Out
      return
    case "notes":
      for await (const rows of cursorRows(
        tx,
        NoteRow,
        "SELECT note_id, ticket_id, author_id, created_at, text FROM notes WHERE workspace_id = $1 ORDER BY ord",
        ws,
      ))
        yield rows.map((n) => ({
          id: n.note_id,
          ticketId: n.ticket_id,
          authorId: n.author_id,
          createdAt: n.created_at,
          text: n.text,
        })) as unknown as Out
      return
  }
}

/** The threads of `threads` with their messages and the messages' files (index-backed lookups by id). */
const threadsOf = async (
  tx: Queryable,
  workspaceId: string,
  threads: ReadonlyArray<typeof ThreadRow.Type>,
): Promise<Array<Thread>> => {
  const messages = groupBy(
    await findAll(
      tx,
      MessageRow,
      `SELECT message_id, thread_id, kind, json_build_object('type', author_type, 'id', author_id) AS author, text, created_at
       FROM messages WHERE workspace_id = $1 AND thread_id = ANY($2::text[]) ORDER BY ord`,
      [workspaceId, threads.map((th) => th.thread_id)],
    ),
    "thread_id",
  )
  const messageIds = [...messages.values()].flatMap((ms) => ms.map((m) => m.message_id))
  const attachments = groupBy(
    await findAll(
      tx,
      AttachmentRow,
      `SELECT a.attachment_id, a.message_id, a.name, a.content_type, translate(encode(b.bytes, 'base64'), E'\\n', '') AS data
       FROM attachments a JOIN blobs b ON b.workspace_id = a.workspace_id AND b.blob_key = a.blob_key
       WHERE a.workspace_id = $1 AND a.message_id = ANY($2::text[]) ORDER BY a.message_id, a.position`,
      [workspaceId, messageIds],
    ),
    "message_id",
  )
  return threads.map((th) => ({
    id: th.thread_id,
    ticketId: th.ticket_id,
    channel: th.channel,
    inboxId: th.inbox_id,
    createdAt: th.created_at,
    messages: (messages.get(th.thread_id) ?? []).map((m): Message => {
      const files = (attachments.get(m.message_id) ?? []).map((a) => ({
        id: a.attachment_id,
        name: a.name,
        contentType: a.content_type,
        dataBase64: a.data,
      }))
      return {
        id: m.message_id,
        createdAt: m.created_at,
        kind: m.kind,
        author: m.author,
        text: m.text,
        ...opt("attachments", files.length > 0 ? files : null),
      }
    }),
  }))
}
