/**
 * TicketStore writes: reply, close and createTicket are each one transaction that checks what
 * the memory reference checks (existing ticket, thread, stage, inbox, references; unique ids),
 * writes, bumps the ticket's last activity (and its copies in the association rows), and appends
 * a portal event numbered by the workspace's own sequence (P-ACT-5).
 * Idempotency: the key is claimed first with INSERT … ON CONFLICT DO NOTHING; a second call with
 * the same key (even a concurrent one, which waits for the first to commit) stores nothing and
 * returns the first result.
 */
import type { NewMessage, PortalEvent, PortalEventKind, ReplyResult, TicketId, TicketStoreShape } from "@portal/core"
import { msOf } from "../Bulk.ts"
import type { DatabaseShape } from "../Database.ts"
import { type Queryable, toNumber } from "../Driver.ts"

const fail = (reason: string): never => {
  throw new Error(reason)
}

/** Claims an idempotency key; returns the first use's record when the key was taken. */
const claimKey = async (
  tx: Queryable,
  ws: string,
  key: string,
  record: { command: "reply" | "createTicket"; ticketId: string; threadId: string; messageId: string },
) => {
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys (workspace_id, idempotency_key, command, ticket_id, thread_id, message_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING 1`,
    [ws, key, record.command, record.ticketId, record.threadId, record.messageId],
  )
  if (claimed.length > 0) return null
  const [prior] = await tx.query<{ command: string; ticket_id: string; thread_id: string; message_id: string }>(
    "SELECT command, ticket_id, thread_id, message_id FROM idempotency_keys WHERE workspace_id = $1 AND idempotency_key = $2",
    [ws, key],
  )
  return prior ?? fail(`idempotency key "${key}" vanished`)
}

const lockTicket = async (tx: Queryable, ws: string, ticketId: string) => {
  const [ticket] = await tx.query<{ pipeline_id: string }>(
    "SELECT pipeline_id FROM tickets WHERE workspace_id = $1 AND ticket_id = $2 FOR UPDATE",
    [ws, ticketId],
  )
  return ticket ?? fail(`ticket "${ticketId}" does not exist`)
}

const exists = async (tx: Queryable, sql: string, params: ReadonlyArray<unknown>) =>
  (await tx.query(sql, params)).length > 0

const checkInbox = async (tx: Queryable, ws: string, inboxId: string) => {
  if (!(await exists(tx, "SELECT 1 FROM inboxes WHERE workspace_id = $1 AND inbox_id = $2", [ws, inboxId])))
    fail(`inbox "${inboxId}" does not exist`)
}

const insertThread = (
  tx: Queryable,
  ws: string,
  t: { id: string; ticketId: string; channel: string; inboxId: string; at: string },
) =>
  tx.query(
    `INSERT INTO threads (workspace_id, thread_id, ticket_id, channel, inbox_id, created_at, created_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [ws, t.id, t.ticketId, t.channel, t.inboxId, t.at, msOf(t.at)],
  )

/** The customer's message and its attachments (already in the blob store). */
const insertMessage = async (tx: Queryable, ws: string, ticketId: string, threadId: string, m: NewMessage) => {
  await tx.query(
    `INSERT INTO messages (workspace_id, message_id, thread_id, kind, author_type, author_id, text, created_at, created_ms)
     VALUES ($1, $2, $3, 'message', $4, $5, $6, $7, $8)`,
    [ws, m.id, threadId, m.author.type, m.author.id, m.text, m.createdAt, msOf(m.createdAt)],
  )
  for (const [i, a] of m.attachments.entries())
    await tx.query(
      `INSERT INTO attachments (workspace_id, attachment_id, message_id, ticket_id, position, name, content_type, size, blob_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [ws, a.id, m.id, ticketId, i, a.name, a.contentType, a.size, a.blobKey],
    )
}

const touchTicket = async (tx: Queryable, ws: string, ticketId: string, at: string, stageId?: string) => {
  const ms = msOf(at)
  await tx.query(
    `UPDATE tickets SET last_activity_at = $3, last_activity_ms = $4, stage_id = coalesce($5, stage_id)
     WHERE workspace_id = $1 AND ticket_id = $2`,
    [ws, ticketId, at, ms, stageId ?? null],
  )
  for (const table of ["ticket_contacts", "ticket_companies"])
    await tx.query(`UPDATE ${table} SET last_activity_ms = $3 WHERE workspace_id = $1 AND ticket_id = $2`, [
      ws,
      ticketId,
      ms,
    ])
}

const appendEvent = async (
  tx: Queryable,
  ws: string,
  e: { id: string; kind: PortalEventKind; ticketId: string; messageId: string | null; at: string },
) => {
  const [row] = await tx.query(
    "UPDATE workspaces SET event_sequence = event_sequence + 1 WHERE workspace_id = $1 RETURNING event_sequence",
    [ws],
  )
  if (row === undefined) fail(`workspace "${ws}" does not exist`)
  await tx.query(
    `INSERT INTO events (workspace_id, sequence, event_id, kind, ticket_id, message_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [ws, row?.event_sequence, e.id, e.kind, e.ticketId, e.messageId, e.at],
  )
}

export const makeTicketWrites = (
  db: DatabaseShape,
): Pick<TicketStoreShape, "reply" | "close" | "createTicket" | "events"> => ({
  reply: (c) =>
    db.transaction("TicketStore.reply", async (tx) => {
      const ws = c.workspaceId
      const threadId = c.thread.threadId
      const prior = await claimKey(tx, ws, c.idempotencyKey, {
        command: "reply",
        ticketId: c.ticketId,
        threadId,
        messageId: c.message.id,
      })
      if (prior !== null) {
        if (prior.command !== "reply" || prior.ticket_id !== c.ticketId)
          fail("idempotency key used for another command")
        return { messageId: prior.message_id, threadId: prior.thread_id, duplicate: true } as ReplyResult
      }
      await lockTicket(tx, ws, c.ticketId)
      if (c.thread._tag === "Existing") {
        const sql = "SELECT 1 FROM threads WHERE workspace_id = $1 AND thread_id = $2 AND ticket_id = $3"
        if (!(await exists(tx, sql, [ws, threadId, c.ticketId])))
          fail(`thread "${threadId}" of ticket "${c.ticketId}" does not exist`)
      } else {
        await checkInbox(tx, ws, c.thread.inboxId)
        await insertThread(tx, ws, {
          id: threadId,
          ticketId: c.ticketId,
          channel: c.thread.channel,
          inboxId: c.thread.inboxId,
          at: c.message.createdAt,
        })
      }
      await insertMessage(tx, ws, c.ticketId, threadId, c.message)
      await touchTicket(tx, ws, c.ticketId, c.message.createdAt)
      await appendEvent(tx, ws, {
        id: c.eventId,
        kind: "reply",
        ticketId: c.ticketId,
        messageId: c.message.id,
        at: c.message.createdAt,
      })
      return { messageId: c.message.id, threadId, duplicate: false } as ReplyResult
    }),

  close: (c) =>
    db.transaction("TicketStore.close", async (tx) => {
      const ticket = await lockTicket(tx, c.workspaceId, c.ticketId)
      const sql = "SELECT 1 FROM stages WHERE workspace_id = $1 AND pipeline_id = $2 AND stage_id = $3"
      if (!(await exists(tx, sql, [c.workspaceId, ticket.pipeline_id, c.stageId])))
        fail(`stage "${c.stageId}" is not in pipeline "${ticket.pipeline_id}"`)
      await touchTicket(tx, c.workspaceId, c.ticketId, c.at, c.stageId)
      await appendEvent(tx, c.workspaceId, {
        id: c.eventId,
        kind: "close",
        ticketId: c.ticketId,
        messageId: null,
        at: c.at,
      })
    }),

  createTicket: (c) =>
    db.transaction("TicketStore.createTicket", async (tx) => {
      const ws = c.workspaceId
      const t = c.ticket
      const record = {
        command: "createTicket" as const,
        ticketId: t.id,
        threadId: c.thread.id,
        messageId: c.message.id,
      }
      const prior = await claimKey(tx, ws, c.idempotencyKey, record)
      if (prior !== null) {
        if (prior.command !== "createTicket") fail("idempotency key used for another command")
        return { ticketId: prior.ticket_id as TicketId, duplicate: true }
      }
      await checkReferences(tx, ws, c.ticket)
      await checkInbox(tx, ws, c.thread.inboxId)
      await tx.query(
        `INSERT INTO tickets (workspace_id, ticket_id, subject, content, pipeline_id, stage_id, owner_id, requester_id,
           created_at, created_ms, last_activity_at, last_activity_ms, properties, contact_ids, company_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::text[], $15::text[])`,
        [
          ws,
          t.id,
          t.subject,
          t.content,
          t.pipelineId,
          t.stageId,
          t.ownerId ?? null,
          t.requesterId ?? null,
          t.createdAt,
          msOf(t.createdAt),
          t.lastActivityAt,
          msOf(t.lastActivityAt),
          JSON.stringify(t.properties),
          [...t.contactIds],
          [...t.companyIds],
        ],
      )
      for (const [table, column, ids] of [
        ["ticket_contacts", "contact_id", t.contactIds],
        ["ticket_companies", "company_id", t.companyIds],
      ] as const)
        await tx.query(
          `INSERT INTO ${table} (workspace_id, ticket_id, ${column}, last_activity_ms, created_ms)
           SELECT DISTINCT $1, $2, x, $4::bigint, $5::bigint FROM unnest($3::text[]) AS x`,
          [ws, t.id, [...ids], msOf(t.lastActivityAt), msOf(t.createdAt)],
        )
      await insertThread(tx, ws, {
        id: c.thread.id,
        ticketId: t.id,
        channel: c.thread.channel,
        inboxId: c.thread.inboxId,
        at: c.message.createdAt,
      })
      await insertMessage(tx, ws, t.id, c.thread.id, c.message)
      await appendEvent(tx, ws, {
        id: c.eventId,
        kind: "ticketCreated",
        ticketId: t.id,
        messageId: c.message.id,
        at: c.message.createdAt,
      })
      return { ticketId: t.id, duplicate: false }
    }),

  events: (workspaceId, afterSequence, limit) =>
    db.run("TicketStore.events", async (q) =>
      (
        await q.query(
          `SELECT event_id, kind, ticket_id, message_id, at, sequence FROM events
           WHERE workspace_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
          [workspaceId, afterSequence, Math.max(0, Math.trunc(limit))],
        )
      ).map(
        (r) =>
          ({
            id: r.event_id,
            workspaceId,
            kind: r.kind,
            ticketId: r.ticket_id,
            messageId: r.message_id ?? null,
            at: r.at,
            sequence: toNumber(r.sequence),
          }) as PortalEvent,
      ),
    ),
})

/** A new ticket's pipeline/stage, contacts, companies and owner must exist (as foreign keys would). */
const checkReferences = async (
  tx: Queryable,
  ws: string,
  t: Parameters<TicketStoreShape["createTicket"]>[0]["ticket"],
) => {
  if (
    !(await exists(tx, "SELECT 1 FROM stages WHERE workspace_id = $1 AND pipeline_id = $2 AND stage_id = $3", [
      ws,
      t.pipelineId,
      t.stageId,
    ]))
  )
    fail(`stage "${t.stageId}" of pipeline "${t.pipelineId}" does not exist`)
  const missing = async (kind: string, table: string, column: string, ids: ReadonlyArray<string>) => {
    const rows = await tx.query<{ id: string }>(
      `SELECT x AS id FROM unnest($2::text[]) AS x WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE workspace_id = $1 AND ${column} = x)`,
      [ws, [...ids]],
    )
    if (rows[0] !== undefined) fail(`${kind} "${rows[0].id}" does not exist`)
  }
  await missing("contact", "contacts", "contact_id", [
    ...t.contactIds,
    ...(t.requesterId === undefined ? [] : [t.requesterId]),
  ])
  await missing("company", "companies", "company_id", t.companyIds)
  await missing("agent", "agents", "agent_id", t.ownerId === undefined ? [] : [t.ownerId])
}
