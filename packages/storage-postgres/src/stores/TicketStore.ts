/**
 * TicketStore on SQL, reads. The visibility predicate is part of every scoped query (the list
 * in TicketList.ts, `get` below); a ticket the viewer may not see reads exactly like a missing
 * one (P-VIS-4). Writes are in TicketWrites.ts.
 */
import {
  AgentId,
  AttachmentId,
  AttachmentMeta,
  Author,
  ContactId,
  IsoTime,
  MessageId,
  type PersonRef,
  PipelineId,
  StageId,
  StageState,
  type ThreadHead,
  TicketId,
  type TicketSummary,
  type ViewerScope,
  type VisibleMessage,
} from "@portal/core/domain"
import { StorageError, type StoredAttachment, TicketStore, type TicketStoreShape } from "@portal/core/ports"
import { authorNames, contactRef, cursorSortOf, encodeCursor, namedContact, parseCursor } from "@portal/core/rules"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"
import { toNumber } from "../Driver.ts"
import { Column, findAll, findOne, namedText, type RowSchema } from "../Sql.ts"
import { makeAgentMethods } from "./AgentTickets.ts"
import { SatisfactionRow, satisfactionFrom, ThreadRow, TicketRow, ticketColumns, ticketFrom } from "./Rows.ts"
import { filtersSql, listQuery, Params, SUMMARY_COLUMNS, SUMMARY_JOINS } from "./TicketList.ts"
import { makeTicketSyncs } from "./TicketSync.ts"
import { makeTicketWrites } from "./TicketWrites.ts"

const NullableText = Schema.NullOr(Schema.String)

/** A contact joined as `<p>_id, <p>_email, <p>_first_name, <p>_last_name` (all null when none matched). */
const joinedContact = <P extends string>(p: P) =>
  ({
    [`${p}_id`]: Schema.NullOr(ContactId),
    [`${p}_email`]: NullableText,
    [`${p}_first_name`]: NullableText,
    [`${p}_last_name`]: NullableText,
  }) as {
    [K in `${P}_id`]: Schema.NullOr<typeof ContactId>
  } & { [K in `${P}_email` | `${P}_first_name` | `${P}_last_name`]: typeof NullableText }

const contactRefFrom = (
  id: ContactId | null,
  email: string | null,
  firstName: string | null,
  lastName: string | null,
): PersonRef | null => (id === null ? null : contactRef(namedContact(id, email ?? "", firstName, lastName)))

/** A row of SUMMARY_COLUMNS (and of the list's outer SELECT). */
export const SummaryRow = Schema.Struct({
  ticket_id: TicketId,
  subject: Schema.String,
  created_at: IsoTime,
  last_activity_at: IsoTime,
  pipeline_id: PipelineId,
  stage_id: StageId,
  stage_label: NullableText,
  stage_state: Schema.NullOr(StageState),
  ...joinedContact("requester"),
  owner_id: Schema.NullOr(AgentId),
  owner_name: NullableText,
})
export type SummaryRow = typeof SummaryRow.Type

export const summaryFrom = (r: SummaryRow): TicketSummary => ({
  id: r.ticket_id,
  subject: r.subject,
  requester: contactRefFrom(r.requester_id, r.requester_email, r.requester_first_name, r.requester_last_name),
  owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? "" },
  createdAt: r.created_at,
  lastActivityAt: r.last_activity_at,
  status: {
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    stageLabel: r.stage_label ?? r.stage_id,
    state: r.stage_state ?? "open",
  },
})

/** `sort_key`: a bigint (times, which one driver hands back as text) or a text key (P-EXT-4). */
export const ListRow = Schema.Struct({ ...SummaryRow.fields, sort_key: Schema.Union([Schema.Finite, Schema.String]) })

/**
 * `get`: the summary's joined columns plus the ticket's own (aliased where the names meet: the
 * summary's owner and requester are the joined rows, the ticket's are its columns).
 */
/** A message of kind "message" as a customer reads it, from `messages m` (messagesOf, getWithMessages). */
const MESSAGE_FROM = `FROM messages m
         LEFT JOIN agents ag ON m.author_type = 'agent' AND ag.workspace_id = m.workspace_id AND ag.agent_id = m.author_id
         LEFT JOIN contacts c ON m.author_type = 'contact' AND c.workspace_id = m.workspace_id AND c.contact_id = m.author_id`
const MESSAGE_ATTACHMENTS = `(SELECT coalesce(json_agg(json_build_object('id', a.attachment_id, 'name', a.name,
                     'contentType', a.content_type, 'size', a.size) ORDER BY a.position), '[]'::json)
            FROM attachments a WHERE a.workspace_id = m.workspace_id AND a.message_id = m.message_id)`

/** The ticket's threads as JSON, oldest first; with each one's visible messages for getWithMessages. */
const threadsJson = (
  withMessages: boolean,
) => `(SELECT coalesce(json_agg(json_build_object('thread_id', h.thread_id, 'ticket_id', h.ticket_id,
       'channel', h.channel, 'inbox_id', h.inbox_id, 'created_at', h.created_at${
         withMessages
           ? `, 'messages', (SELECT coalesce(json_agg(json_build_object('message_id', m.message_id,
               'created_at', m.created_at, 'author', json_build_object('type', m.author_type, 'id', m.author_id),
               'text', m.text, 'agent_name', ag.name, 'author_contact_id', c.contact_id,
               'author_contact_email', c.email, 'author_contact_first_name', c.first_name,
               'author_contact_last_name', c.last_name, 'attachments', ${MESSAGE_ATTACHMENTS})
               ORDER BY m.created_ms, m.message_id), '[]'::json)
             ${MESSAGE_FROM}
             WHERE m.workspace_id = h.workspace_id AND m.thread_id = h.thread_id AND m.kind = 'message')`
           : ""
       })
       ORDER BY h.created_ms, h.thread_id), '[]'::json)
     FROM threads h WHERE h.workspace_id = t.workspace_id AND h.ticket_id = t.ticket_id) AS threads`

const getColumns = (
  withMessages: boolean,
) => `${SUMMARY_COLUMNS}, t.content, t.properties, t.contact_ids, t.company_ids, t.participant_ids,
  t.owner_id AS ticket_owner_id, t.requester_id AS ticket_requester_id,
  ${threadsJson(withMessages)},
  (SELECT json_build_object('ticket_id', r.ticket_id, 'rating', r.rating, 'comment', r.comment, 'at', r.at)
     FROM ticket_satisfaction r WHERE r.workspace_id = t.workspace_id AND r.ticket_id = t.ticket_id) AS satisfaction`
export const GetRow = Schema.Struct({
  ...SummaryRow.fields,
  content: TicketRow.fields.content,
  properties: TicketRow.fields.properties,
  contact_ids: TicketRow.fields.contact_ids,
  company_ids: TicketRow.fields.company_ids,
  participant_ids: TicketRow.fields.participant_ids,
  ticket_owner_id: TicketRow.fields.owner_id,
  ticket_requester_id: TicketRow.fields.requester_id,
  // Read with the ticket (issue 9: one statement instead of three, as threadsOf and satisfactionOf read them).
  threads: Schema.Array(ThreadRow),
  satisfaction: Schema.NullOr(SatisfactionRow),
})

const GET_BY_ID = {
  name: "portal_ticket_by_id",
  text: `SELECT ${ticketColumns("t")} FROM tickets t WHERE t.workspace_id = $1 AND t.ticket_id = $2`,
}

const THREADS_OF = {
  name: "portal_threads_of",
  text: `SELECT thread_id, ticket_id, channel, inbox_id, created_at FROM threads
         WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_ms, thread_id`,
}

const MESSAGES_OF = {
  name: "portal_messages_of",
  text: `SELECT m.message_id, m.created_at, json_build_object('type', m.author_type, 'id', m.author_id) AS author,
           m.text, ag.name AS agent_name,
           c.contact_id AS author_contact_id, c.email AS author_contact_email,
           c.first_name AS author_contact_first_name, c.last_name AS author_contact_last_name,
           ${MESSAGE_ATTACHMENTS} AS attachments
         ${MESSAGE_FROM}
         WHERE m.workspace_id = $1 AND m.thread_id = $2 AND m.kind = 'message'
         ORDER BY m.created_ms, m.message_id`,
}
const MessageRow = Schema.Struct({
  message_id: MessageId,
  created_at: IsoTime,
  author: Author,
  text: Schema.String,
  agent_name: NullableText,
  ...joinedContact("author_contact"),
  attachments: Schema.Array(AttachmentMeta),
})
const messageFrom = (r: typeof MessageRow.Type): VisibleMessage => ({
  id: r.message_id,
  createdAt: r.created_at,
  author: r.author,
  ...authorNames(
    r.author.type === "agent"
      ? { id: r.author.id, name: r.agent_name ?? "" }
      : contactRefFrom(
          r.author_contact_id,
          r.author_contact_email,
          r.author_contact_first_name,
          r.author_contact_last_name,
        ),
  ),
  text: r.text,
  attachments: r.attachments,
})

/** `getWithMessages`: GetRow, each thread with its visible messages (decoded as messagesOf's rows). */
const GetWithMessagesRow = Schema.Struct({
  ...GetRow.fields,
  threads: Schema.Array(Schema.Struct({ ...ThreadRow.fields, messages: Schema.Array(MessageRow) })),
})

const AttachmentRow = Schema.Struct({
  attachment_id: AttachmentId,
  name: Schema.String,
  content_type: Schema.String,
  size: Column.Int8,
  blob_key: Schema.String,
  ticket_id: TicketId,
  message_id: MessageId,
})
const attachmentFrom = (r: typeof AttachmentRow.Type): StoredAttachment => ({
  id: r.attachment_id,
  name: r.name,
  contentType: r.content_type,
  size: r.size,
  blobKey: r.blob_key,
  ticketId: r.ticket_id,
  messageId: r.message_id,
})

const threadFrom = (r: typeof ThreadRow.Type): ThreadHead => ({
  id: r.thread_id,
  ticketId: r.ticket_id,
  channel: r.channel,
  inboxId: r.inbox_id,
  createdAt: r.created_at,
})

export const makeTicketStore = Effect.gen(function* () {
  const db = yield* Database

  const list: TicketStoreShape["list"] = (scope, query) => {
    const sort = cursorSortOf(query)
    const cursor = query.cursor === null ? Option.none() : parseCursor(query.cursor, sort)
    if (query.cursor !== null && Option.isNone(cursor))
      return Effect.fail(new StorageError({ method: "TicketStore.list", cause: "malformed cursor" }))
    return db.run("TicketStore.list", async (q) => {
      const built = listQuery(scope, query, Option.getOrNull(cursor))
      if (built === null) return { items: [], nextCursor: null }
      // Named (prepared once per connection) unless it searches: a search's best plan depends on
      // the term (a trigram index or the visibility ranges), which a generic plan cannot see.
      const sql = built.sql.includes(" ILIKE ") ? built.sql : namedText("portal_ticket_list", built.sql)
      const rows = await findAll(q, ListRow, sql, built.params)
      const page = rows.slice(0, query.limit)
      const last = page[page.length - 1]
      const more = rows.length > query.limit && last !== undefined
      return {
        items: page.map(summaryFrom),
        nextCursor: more
          ? encodeCursor(sort, {
              key:
                sort.key === "created" || sort.key === "lastActivity" ? Number(last.sort_key) : String(last.sort_key),
              id: last.ticket_id,
            })
          : null,
      }
    })
  }

  /** `get` and `getWithMessages`: the scoped read of one ticket, decoded by `row` and mapped by `threads`. */
  const readTicket =
    <R extends typeof GetRow.Type, H>(
      method: string,
      name: string,
      row: RowSchema<R>,
      withMessages: boolean,
      threads: (row: R) => ReadonlyArray<H>,
    ) =>
    (scope: ViewerScope, ticketId: TicketId) =>
      db.run(method, async (q) => {
        const p = new Params()
        const ws = p.add(scope.workspaceId)
        const id = p.add(ticketId)
        const contact = p.add(scope.contactId)
        const visible = [
          `(EXISTS (SELECT 1 FROM ticket_contacts a WHERE a.workspace_id = ${ws} AND a.ticket_id = t.ticket_id AND a.contact_id = ${contact})` +
            // P-EXT-1: a participant sees it too (the key of ticket_participants).
            ` OR EXISTS (SELECT 1 FROM ticket_participants a WHERE a.workspace_id = ${ws} AND a.ticket_id = t.ticket_id AND a.contact_id = ${contact})` +
            (scope.companyId === null
              ? ")"
              : ` OR EXISTS (SELECT 1 FROM ticket_companies a WHERE a.workspace_id = ${ws} AND a.ticket_id = t.ticket_id AND a.company_id = ${p.add(scope.companyId)}))`),
          ...filtersSql(p, scope.filters),
        ]
        const sql = `SELECT ${getColumns(withMessages)} FROM tickets t ${SUMMARY_JOINS}
         WHERE t.workspace_id = ${ws} AND t.ticket_id = ${id} AND ${visible.join(" AND ")}`
        const found = await findOne(q, row, namedText(name, sql), p.values)
        return found === undefined
          ? Option.none()
          : Option.some({
              summary: summaryFrom(found),
              ticket: ticketFrom({
                ...found,
                owner_id: found.ticket_owner_id,
                requester_id: found.ticket_requester_id,
              }),
              threads: threads(found),
              satisfaction: found.satisfaction === null ? null : satisfactionFrom(found.satisfaction),
            })
      })

  const get: TicketStoreShape["get"] = readTicket("TicketStore.get", "portal_ticket_get", GetRow, false, (r) =>
    r.threads.map(threadFrom),
  )
  const getWithMessages: TicketStoreShape["getWithMessages"] = readTicket(
    "TicketStore.getWithMessages",
    "portal_ticket_get_with_messages",
    GetWithMessagesRow,
    true,
    (r) => r.threads.map((h) => Object.assign(threadFrom(h), { messages: h.messages.map(messageFrom) })),
  )

  const getById: TicketStoreShape["getById"] = (workspaceId, ticketId) =>
    db
      .findOne("TicketStore.getById", TicketRow, GET_BY_ID, [workspaceId, ticketId])
      .pipe(Effect.map(Option.map(ticketFrom)))

  const threadsOf: TicketStoreShape["threadsOf"] = (workspaceId, ticketId) =>
    db
      .findAll("TicketStore.threadsOf", ThreadRow, THREADS_OF, [workspaceId, ticketId])
      .pipe(Effect.map((rows) => rows.map(threadFrom)))

  const messagesOf: TicketStoreShape["messagesOf"] = (workspaceId, threadId) =>
    db
      .findAll("TicketStore.messagesOf", MessageRow, MESSAGES_OF, [workspaceId, threadId])
      .pipe(Effect.map((rows) => rows.map(messageFrom)))

  const attachment: TicketStoreShape["attachment"] = (workspaceId, attachmentId) =>
    db
      .findOne(
        "TicketStore.attachment",
        AttachmentRow,
        `SELECT attachment_id, name, content_type, size, blob_key, ticket_id, message_id FROM attachments
         WHERE workspace_id = $1 AND attachment_id = $2`,
        [workspaceId, attachmentId],
      )
      .pipe(Effect.map(Option.map(attachmentFrom)))

  return TicketStore.of({
    list,
    get,
    getWithMessages,
    getById,
    threadsOf,
    messagesOf,
    attachment,
    ...makeTicketWrites(db),
    ...makeTicketSyncs(db),
    ...makeAgentMethods(db),
    // Housekeeping: batches by the created_ms index (migration 18); checked again on the row.
    pruneIdempotencyKeys: (createdBeforeMs, limit) =>
      db.run("TicketStore.pruneIdempotencyKeys", async (q) => {
        const [row] = await q.query(
          `WITH gone AS (
             DELETE FROM idempotency_keys WHERE created_ms <= $1 AND (workspace_id, scope, idempotency_key) IN (
               SELECT workspace_id, scope, idempotency_key FROM idempotency_keys WHERE created_ms <= $1 LIMIT $2)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [createdBeforeMs, limit],
        )
        return toNumber(row?.n)
      }),
  })
})

export const layerTicketStore = Layer.effect(TicketStore, makeTicketStore)
