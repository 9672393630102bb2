/**
 * The statements every TicketStore write shares (TicketWrites.ts, TicketSync.ts): locking a
 * ticket, reference checks (a missing one aborts the transaction with MissingReference), ticket,
 * thread and message rows, the last-activity copies in the association rows, and the workspace's
 * event sequence (P-ACT-5).
 */
import type { Author, Ticket } from "@portal/core/domain"
import {
  MissingReference,
  type NewMessage,
  type PortalEventKind,
  type ReferenceKind,
  TicketVersionConflict,
} from "@portal/core/ports"
import { msOf } from "../Bulk.ts"
import { type Queryable, toNumber } from "../Driver.ts"
import { Abort } from "../Errors.ts"
import { findOne } from "../Sql.ts"
import { TicketRow, ticketColumns, ticketFrom } from "./Rows.ts"

export const fail = (reason: string): never => {
  throw new Error(reason)
}

/** Roll back: the write named something the workspace does not have. */
export const missing = (kind: ReferenceKind, id: string): never => {
  throw new Abort(new MissingReference({ kind, id }))
}

export const exists = async (tx: Queryable, sql: string, params: ReadonlyArray<unknown>) =>
  (await tx.query(sql, params)).length > 0

/** The ticket, locked for the rest of the transaction; undefined when there is none. */
export const lockTicket = async (tx: Queryable, ws: string, ticketId: string): Promise<Ticket | undefined> => {
  const row = await findOne(
    tx,
    TicketRow,
    `SELECT ${ticketColumns("t")} FROM tickets t WHERE t.workspace_id = $1 AND t.ticket_id = $2 FOR UPDATE`,
    [ws, ticketId],
  )
  return row === undefined ? undefined : ticketFrom(row)
}

export const inboxExists = (tx: Queryable, ws: string, inboxId: string) =>
  exists(tx, "SELECT 1 FROM inboxes WHERE workspace_id = $1 AND inbox_id = $2", [ws, inboxId])

export const stageExists = (tx: Queryable, ws: string, pipelineId: string, stageId: string) =>
  exists(tx, "SELECT 1 FROM stages WHERE workspace_id = $1 AND pipeline_id = $2 AND stage_id = $3", [
    ws,
    pipelineId,
    stageId,
  ])

/** The first of `ids` with no row in `table`, if any. */
const firstMissing = async (tx: Queryable, ws: string, table: string, column: string, ids: ReadonlyArray<string>) => {
  if (ids.length === 0) return undefined
  const rows = await tx.query<{ id: string }>(
    `SELECT x AS id FROM unnest($2::text[]) WITH ORDINALITY AS u(x, n)
     WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE workspace_id = $1 AND ${column} = x) ORDER BY n LIMIT 1`,
    [ws, [...ids]],
  )
  return rows[0]?.id
}

const REFERENCES = {
  contact: ["contacts", "contact_id"],
  company: ["companies", "company_id"],
  agent: ["agents", "agent_id"],
} as const

/** Every id must name a row of its kind (as a foreign key would). */
export const checkExist = async (
  tx: Queryable,
  ws: string,
  kind: keyof typeof REFERENCES,
  ids: ReadonlyArray<string>,
) => {
  const [table, column] = REFERENCES[kind]
  const id = await firstMissing(tx, ws, table, column, ids)
  if (id !== undefined) missing(kind, id)
}

/** A ticket's pipeline and stage, contacts, companies and owner must exist. */
export const checkTicketReferences = async (tx: Queryable, ws: string, t: Ticket) => {
  if (!(await exists(tx, "SELECT 1 FROM pipelines WHERE workspace_id = $1 AND pipeline_id = $2", [ws, t.pipelineId])))
    missing("pipeline", t.pipelineId)
  if (!(await stageExists(tx, ws, t.pipelineId, t.stageId))) missing("stage", t.stageId)
  await checkExist(tx, ws, "contact", [
    ...(t.requesterId === undefined ? [] : [t.requesterId]),
    ...t.contactIds,
    ...(t.participantIds ?? []),
  ])
  await checkExist(tx, ws, "company", t.companyIds)
  await checkExist(tx, ws, "agent", t.ownerId === undefined ? [] : [t.ownerId])
}

export const checkAuthor = (tx: Queryable, ws: string, author: Author) => checkExist(tx, ws, author.type, [author.id])

/** Insert a new ticket, or replace the row of an existing one; the association rows follow. */
export const writeTicket = async (tx: Queryable, ws: string, t: Ticket, mode: "insert" | "update") => {
  const values = [
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
    [...(t.participantIds ?? [])],
  ]
  if (mode === "insert")
    await tx.query(
      `INSERT INTO tickets (workspace_id, ticket_id, subject, content, pipeline_id, stage_id, owner_id, requester_id,
         created_at, created_ms, last_activity_at, last_activity_ms, properties, contact_ids, company_ids, participant_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::text[], $15::text[], $16::text[])`,
      values,
    )
  else {
    await tx.query(
      `UPDATE tickets SET subject = $3, content = $4, pipeline_id = $5, stage_id = $6, owner_id = $7, requester_id = $8,
         created_at = $9, created_ms = $10, last_activity_at = $11, last_activity_ms = $12, properties = $13::jsonb,
         contact_ids = $14::text[], company_ids = $15::text[], participant_ids = $16::text[], version = version + 1
       WHERE workspace_id = $1 AND ticket_id = $2`,
      values,
    )
    for (const table of ["ticket_contacts", "ticket_companies", "ticket_participants"])
      await tx.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND ticket_id = $2`, [ws, t.id])
  }
  for (const [table, column, ids] of [
    ["ticket_contacts", "contact_id", t.contactIds],
    ["ticket_companies", "company_id", t.companyIds],
    ["ticket_participants", "contact_id", t.participantIds ?? []],
  ] as const)
    await tx.query(
      `INSERT INTO ${table} (workspace_id, ticket_id, ${column}, last_activity_ms, created_ms)
       SELECT DISTINCT $1, $2, x, $4::bigint, $5::bigint FROM unnest($3::text[]) AS x`,
      [ws, t.id, [...ids], msOf(t.lastActivityAt), msOf(t.createdAt)],
    )
}

export const insertThread = (
  tx: Queryable,
  ws: string,
  t: { id: string; ticketId: string; channel: string; inboxId: string | null; at: string },
) =>
  tx.query(
    `INSERT INTO threads (workspace_id, thread_id, ticket_id, channel, inbox_id, created_at, created_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [ws, t.id, t.ticketId, t.channel, t.inboxId, t.at, msOf(t.at)],
  )

/** A message and its attachments (already in the blob store). */
export const insertMessage = async (
  tx: Queryable,
  ws: string,
  ticketId: string,
  threadId: string,
  m: NewMessage,
  kind: "message" | "comment" = "message",
) => {
  await tx.query(
    `INSERT INTO messages (workspace_id, message_id, thread_id, kind, author_type, author_id, text, created_at, created_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [ws, m.id, threadId, kind, m.author.type, m.author.id, m.text, m.createdAt, msOf(m.createdAt)],
  )
  for (const [i, a] of m.attachments.entries())
    await tx.query(
      `INSERT INTO attachments (workspace_id, attachment_id, message_id, ticket_id, position, name, content_type, size, blob_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [ws, a.id, m.id, ticketId, i, a.name, a.contentType, a.size, a.blobKey],
    )
}

/**
 * Set the ticket's last activity (and its copies in the association rows), and its stage if
 * given; one version bump (P-AGT-3). Returns the new version.
 */
export const touchTicket = async (
  tx: Queryable,
  ws: string,
  ticketId: string,
  at: string,
  stageId?: string,
): Promise<number> => {
  const ms = msOf(at)
  const [row] = await tx.query(
    `UPDATE tickets SET last_activity_at = $3, last_activity_ms = $4, stage_id = coalesce($5, stage_id),
       version = version + 1
     WHERE workspace_id = $1 AND ticket_id = $2 RETURNING version`,
    [ws, ticketId, at, ms, stageId ?? null],
  )
  for (const table of ["ticket_contacts", "ticket_companies", "ticket_participants"])
    await tx.query(`UPDATE ${table} SET last_activity_ms = $3 WHERE workspace_id = $1 AND ticket_id = $2`, [
      ws,
      ticketId,
      ms,
    ])
  return toNumber(row?.version ?? 0)
}

/** One version bump of a change that leaves the last activity as it is (notes, thread heads, owner). */
export const bumpVersion = async (tx: Queryable, ws: string, ticketId: string): Promise<number> => {
  const [row] = await tx.query(
    "UPDATE tickets SET version = version + 1 WHERE workspace_id = $1 AND ticket_id = $2 RETURNING version",
    [ws, ticketId],
  )
  return toNumber(row?.version ?? 0)
}

/** The ticket's version, locked with it by `lockTicket` earlier in the transaction. */
export const versionOf = async (tx: Queryable, ws: string, ticketId: string): Promise<number> => {
  const [row] = await tx.query("SELECT version FROM tickets WHERE workspace_id = $1 AND ticket_id = $2", [ws, ticketId])
  return toNumber(row?.version ?? 0)
}

/** P-AGT-3: roll back with TicketVersionConflict unless the (locked) ticket is at `expected`. */
export const checkVersion = async (tx: Queryable, ws: string, ticketId: string, expected: number) => {
  const current = await versionOf(tx, ws, ticketId)
  if (current !== expected) throw new Abort(new TicketVersionConflict({ ticketId, currentVersion: current }))
}

export const appendEvent = async (
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
  // Live wake-up (events.md): delivered to every LISTENer when this transaction commits.
  await tx.query("SELECT pg_notify('portal_events', $1)", [`${ws}:${String(row?.event_sequence)}`])
}
