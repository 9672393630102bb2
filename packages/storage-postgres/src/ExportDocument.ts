/**
 * Reads a workspace back as a `portal-workspace/v1` document, in one REPEATABLE READ transaction
 * so that every table is read at the same instant. Arrays come back in their document order
 * (`ord` / `position`). Every login's hash, consent and attachment id is written (P-DATA-1);
 * a plain password never exists to be exported.
 */
import {
  FORMAT,
  type IsoTime,
  type Message,
  type PortalSettings,
  type Thread,
  type WorkspaceDocument,
} from "@portal/core"
import type { Queryable } from "./Driver.ts"
import {
  agentFrom,
  contactFrom,
  domainFrom,
  formFrom,
  inboxFrom,
  opt,
  pipelinesFrom,
  ticketColumns,
  ticketFrom,
  workspaceFrom,
} from "./stores/Rows.ts"

type R = Record<string, unknown>

const groupBy = <K extends string>(rows: ReadonlyArray<R>, key: K): Map<string, Array<R>> => {
  const map = new Map<string, Array<R>>()
  for (const row of rows) {
    const k = row[key] as string
    const list = map.get(k)
    if (list === undefined) map.set(k, [row])
    else list.push(row)
  }
  return map
}

export const readDocument = async (tx: Queryable, workspaceId: string): Promise<WorkspaceDocument | null> => {
  await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
  const [ws] = await tx.query("SELECT workspace_id, name, branding, settings FROM workspaces WHERE workspace_id = $1", [
    workspaceId,
  ])
  if (ws === undefined) return null
  const all = (sql: string) => tx.query(sql, [workspaceId])
  const domains = await all("SELECT host, language FROM domains WHERE workspace_id = $1 ORDER BY ord")
  const agents = await all(
    "SELECT agent_id, name, email, permissions, password_hash FROM agents WHERE workspace_id = $1 ORDER BY ord",
  )
  const companies = await all("SELECT company_id, name FROM companies WHERE workspace_id = $1 ORDER BY ord")
  const contacts = await all(
    "SELECT contact_id, email, first_name, last_name, primary_company_id, password_hash, unsubscribed FROM contacts WHERE workspace_id = $1 ORDER BY ord",
  )
  const consents = groupBy(
    await all(
      `SELECT contact_id, notice_text, checkbox_label, legal_url, text_version, given_at
       FROM consents WHERE workspace_id = $1 ORDER BY contact_id, ord`,
    ),
    "contact_id",
  )
  const lists = await all("SELECT list_id, name FROM lists WHERE workspace_id = $1 ORDER BY ord")
  const members = groupBy(
    await all("SELECT list_id, contact_id FROM list_members WHERE workspace_id = $1 ORDER BY list_id, position"),
    "list_id",
  )
  const pipelines = await all("SELECT pipeline_id, label FROM pipelines WHERE workspace_id = $1 ORDER BY ord")
  const stages = await all(
    "SELECT pipeline_id, stage_id, label, state FROM stages WHERE workspace_id = $1 ORDER BY pipeline_id, position",
  )
  const inboxes = await all("SELECT inbox_id, name, kind FROM inboxes WHERE workspace_id = $1 ORDER BY ord")
  const forms = await all("SELECT form_id, name, inbox_id, fields FROM forms WHERE workspace_id = $1 ORDER BY ord")
  const tickets = await all(`SELECT ${ticketColumns("t")} FROM tickets t WHERE t.workspace_id = $1 ORDER BY t.ord`)
  const notes = await all(
    "SELECT note_id, ticket_id, author_id, created_at, text FROM notes WHERE workspace_id = $1 ORDER BY ord",
  )
  return {
    format: FORMAT,
    workspace: workspaceFrom(ws),
    domains: domains.map(domainFrom),
    agents: agents.map((a) => ({ ...agentFrom(a), ...opt("passwordHash", a.password_hash as string | null) })),
    companies: companies.map((c) => ({ id: c.company_id, name: c.name }) as WorkspaceDocument["companies"][number]),
    contacts: contacts.map((c) => {
      const given = (consents.get(c.contact_id as string) ?? []).map((k) => ({
        textVersion: k.text_version as string,
        text: k.notice_text as string,
        ...(k.checkbox_label === "" ? {} : opt("checkboxLabel", k.checkbox_label as string)),
        ...opt("legalUrl", k.legal_url as string | null),
        givenAt: k.given_at as IsoTime,
      }))
      return {
        ...contactFrom(c),
        ...opt("passwordHash", c.password_hash as string | null),
        ...(given.length === 0 ? {} : { consents: given }),
      }
    }),
    lists: lists.map(
      (l) =>
        ({
          id: l.list_id,
          name: l.name,
          contactIds: (members.get(l.list_id as string) ?? []).map((m) => m.contact_id),
        }) as WorkspaceDocument["lists"][number],
    ),
    pipelines: pipelinesFrom(pipelines, stages),
    inboxes: inboxes.map(inboxFrom),
    forms: forms.map(formFrom),
    tickets: tickets.map(ticketFrom),
    threads: await readThreads(tx, workspaceId),
    notes: notes.map(
      (n) =>
        ({
          id: n.note_id,
          ticketId: n.ticket_id,
          authorId: n.author_id,
          createdAt: n.created_at,
          text: n.text,
        }) as WorkspaceDocument["notes"][number],
    ),
    portal: ws.settings as PortalSettings,
  }
}

const readThreads = async (tx: Queryable, workspaceId: string): Promise<Array<Thread>> => {
  const threads = await tx.query(
    "SELECT thread_id, ticket_id, channel, inbox_id, created_at FROM threads WHERE workspace_id = $1 ORDER BY ord",
    [workspaceId],
  )
  const messages = groupBy(
    await tx.query(
      `SELECT message_id, thread_id, kind, author_type, author_id, text, created_at
       FROM messages WHERE workspace_id = $1 ORDER BY ord`,
      [workspaceId],
    ),
    "thread_id",
  )
  const attachments = groupBy(
    await tx.query(
      `SELECT a.attachment_id, a.message_id, a.name, a.content_type, translate(encode(b.bytes, 'base64'), E'\\n', '') AS data
       FROM attachments a JOIN blobs b ON b.workspace_id = a.workspace_id AND b.blob_key = a.blob_key
       WHERE a.workspace_id = $1 ORDER BY a.message_id, a.position`,
      [workspaceId],
    ),
    "message_id",
  )
  return threads.map(
    (th) =>
      ({
        id: th.thread_id,
        ticketId: th.ticket_id,
        channel: th.channel,
        inboxId: th.inbox_id ?? null,
        createdAt: th.created_at,
        messages: (messages.get(th.thread_id as string) ?? []).map((m): Message => {
          const files = (attachments.get(m.message_id as string) ?? []).map((a) => ({
            id: a.attachment_id,
            name: a.name,
            contentType: a.content_type,
            dataBase64: a.data,
          }))
          return {
            id: m.message_id,
            createdAt: m.created_at,
            kind: m.kind,
            author: { type: m.author_type, id: m.author_id },
            text: m.text,
            ...opt("attachments", files.length > 0 ? files : null),
          } as Message
        }),
      }) as Thread,
  )
}
