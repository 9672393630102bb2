/**
 * TicketStore on SQL, reads. The visibility predicate is part of every scoped query (the list
 * in TicketList.ts, `get` below); a ticket the viewer may not see reads exactly like a missing
 * one (P-VIS-4). Writes are in TicketWrites.ts.
 */
import {
  type AttachmentMeta,
  authorNames,
  contactRef,
  encodeCursor,
  namedContact,
  type PersonRef,
  parseCursor,
  StorageError,
  type StoredAttachment,
  type ThreadHead,
  TicketStore,
  type TicketStoreShape,
  type TicketSummary,
  type VisibleMessage,
} from "@portal/core"
import { Effect, Layer, Option } from "effect"
import { Database } from "../Database.ts"
import { toNumber } from "../Driver.ts"
import { makeAgentMethods } from "./AgentTickets.ts"
import { ticketColumns, ticketFrom } from "./Rows.ts"
import { filtersSql, listQuery, Params, SUMMARY_COLUMNS, SUMMARY_JOINS } from "./TicketList.ts"
import { makeTicketSyncs } from "./TicketSync.ts"
import { makeTicketWrites } from "./TicketWrites.ts"

type R = Record<string, unknown>

/** The contact a row joined as `<p>_id, <p>_email, <p>_first_name, <p>_last_name`; null when none matched. */
const contactRefFrom = (r: R, p: string): PersonRef | null =>
  r[`${p}_id`] === null || r[`${p}_id`] === undefined
    ? null
    : contactRef(
        namedContact(
          r[`${p}_id`] as string,
          r[`${p}_email`] as string,
          r[`${p}_first_name`] as string | null,
          r[`${p}_last_name`] as string | null,
        ),
      )

export const summaryFrom = (r: R): TicketSummary =>
  ({
    id: r.ticket_id,
    subject: r.subject,
    requester: contactRefFrom(r, "requester"),
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name },
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
    status: {
      pipelineId: r.pipeline_id,
      stageId: r.stage_id,
      stageLabel: r.stage_label ?? r.stage_id,
      state: r.stage_state ?? "open",
    },
  }) as TicketSummary

const headFrom = (r: R): ThreadHead =>
  ({
    id: r.thread_id,
    ticketId: r.ticket_id,
    channel: r.channel,
    inboxId: r.inbox_id ?? null,
    createdAt: r.created_at,
  }) as ThreadHead

export const makeTicketStore = Effect.gen(function* () {
  const db = yield* Database

  const list: TicketStoreShape["list"] = (scope, query) => {
    const cursor = query.cursor === null ? Option.none() : parseCursor(query.cursor)
    if (query.cursor !== null && Option.isNone(cursor))
      return Effect.fail(new StorageError({ method: "TicketStore.list", cause: "malformed cursor" }))
    return db.run("TicketStore.list", async (q) => {
      const built = listQuery(scope, query, Option.getOrNull(cursor))
      if (built === null) return { items: [], nextCursor: null }
      const rows = await q.query(built.sql, built.params)
      const page = rows.slice(0, query.limit)
      const last = page[page.length - 1]
      const more = rows.length > query.limit && last !== undefined
      return {
        items: page.map(summaryFrom),
        nextCursor: more ? encodeCursor({ sortMs: toNumber(last.sort_ms), id: last.ticket_id as string }) : null,
      }
    })
  }

  const get: TicketStoreShape["get"] = (scope, ticketId) =>
    db.run("TicketStore.get", async (q) => {
      const p = new Params()
      const ws = p.add(scope.workspaceId)
      const id = p.add(ticketId)
      const contact = p.add(scope.contactId)
      const visible = [
        `(EXISTS (SELECT 1 FROM ticket_contacts a WHERE a.workspace_id = ${ws} AND a.ticket_id = t.ticket_id AND a.contact_id = ${contact})` +
          (scope.companyId === null
            ? ")"
            : ` OR EXISTS (SELECT 1 FROM ticket_companies a WHERE a.workspace_id = ${ws} AND a.ticket_id = t.ticket_id AND a.company_id = ${p.add(scope.companyId)}))`),
        ...filtersSql(p, scope.filters),
      ]
      const [row] = await q.query(
        `SELECT ${SUMMARY_COLUMNS}, ${ticketColumns("t")} FROM tickets t ${SUMMARY_JOINS}
         WHERE t.workspace_id = ${ws} AND t.ticket_id = ${id} AND ${visible.join(" AND ")}`,
        p.values,
      )
      return row === undefined ? Option.none() : Option.some({ summary: summaryFrom(row), ticket: ticketFrom(row) })
    })

  const getById: TicketStoreShape["getById"] = (workspaceId, ticketId) =>
    db.run("TicketStore.getById", async (q) => {
      const [row] = await q.query(
        `SELECT ${ticketColumns("t")} FROM tickets t WHERE t.workspace_id = $1 AND t.ticket_id = $2`,
        [workspaceId, ticketId],
      )
      return row === undefined ? Option.none() : Option.some(ticketFrom(row))
    })

  const threadsOf: TicketStoreShape["threadsOf"] = (workspaceId, ticketId) =>
    db.run("TicketStore.threadsOf", async (q) =>
      (
        await q.query(
          `SELECT thread_id, ticket_id, channel, inbox_id, created_at FROM threads
           WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_ms, thread_id`,
          [workspaceId, ticketId],
        )
      ).map(headFrom),
    )

  const messagesOf: TicketStoreShape["messagesOf"] = (workspaceId, threadId) =>
    db.run("TicketStore.messagesOf", async (q) => {
      const rows = await q.query(
        `SELECT m.message_id, m.created_at, m.author_type, m.author_id, m.text, ag.name AS agent_name,
           c.contact_id AS author_contact_id, c.email AS author_contact_email,
           c.first_name AS author_contact_first_name, c.last_name AS author_contact_last_name,
           (SELECT coalesce(json_agg(json_build_object('id', a.attachment_id, 'name', a.name,
                     'contentType', a.content_type, 'size', a.size) ORDER BY a.position), '[]'::json)
            FROM attachments a WHERE a.workspace_id = m.workspace_id AND a.message_id = m.message_id) AS attachments
         FROM messages m
         LEFT JOIN agents ag ON m.author_type = 'agent' AND ag.workspace_id = m.workspace_id AND ag.agent_id = m.author_id
         LEFT JOIN contacts c ON m.author_type = 'contact' AND c.workspace_id = m.workspace_id AND c.contact_id = m.author_id
         WHERE m.workspace_id = $1 AND m.thread_id = $2 AND m.kind = 'message'
         ORDER BY m.created_ms, m.message_id`,
        [workspaceId, threadId],
      )
      return rows.map(
        (r) =>
          ({
            id: r.message_id,
            createdAt: r.created_at,
            author: { type: r.author_type, id: r.author_id },
            ...authorNames(
              r.author_type === "agent"
                ? { id: r.author_id as string, name: (r.agent_name as string | null) ?? "" }
                : contactRefFrom(r, "author_contact"),
            ),
            text: r.text,
            attachments: r.attachments as ReadonlyArray<AttachmentMeta>,
          }) as VisibleMessage,
      )
    })

  const attachment: TicketStoreShape["attachment"] = (workspaceId, attachmentId) =>
    db.run("TicketStore.attachment", async (q) => {
      const [r] = await q.query(
        `SELECT attachment_id, name, content_type, size, blob_key, ticket_id, message_id FROM attachments
         WHERE workspace_id = $1 AND attachment_id = $2`,
        [workspaceId, attachmentId],
      )
      return r === undefined
        ? Option.none()
        : Option.some({
            id: r.attachment_id,
            name: r.name,
            contentType: r.content_type,
            size: toNumber(r.size),
            blobKey: r.blob_key,
            ticketId: r.ticket_id,
            messageId: r.message_id,
          } as StoredAttachment)
    })

  return TicketStore.of({
    list,
    get,
    getById,
    threadsOf,
    messagesOf,
    attachment,
    ...makeTicketWrites(db),
    ...makeTicketSyncs(db),
    ...makeAgentMethods(db),
  })
})

export const layerTicketStore = Layer.effect(TicketStore, makeTicketStore)
