/**
 * TicketStore writes: reply, close and createTicket are each one transaction that checks what
 * the memory reference checks (existing ticket, thread, stage, inbox, references; unique ids),
 * writes, bumps the ticket's last activity (and its copies in the association rows), and appends
 * a portal event numbered by the workspace's own sequence (P-ACT-5). createTicket refuses a
 * missing reference with MissingReference; the integration writes are in TicketSync.ts.
 * Idempotency (P-SEC-3): the (scope, key) is claimed first with INSERT … ON CONFLICT DO NOTHING;
 * a second call with the same scope, key and fingerprint (even a concurrent one, which waits for
 * the first to commit) stores nothing and returns the first result; with another fingerprint or
 * for another command it is Conflict `idempotency_key_reused` (the transaction rolls back).
 */
import { IsoTime, MessageId, type ThreadId, TicketId } from "@portal/core/domain"
import {
  ALREADY_RATED,
  Conflict,
  type MissingReference,
  PORTAL_EVENT_KINDS,
  type PortalEvent,
  type ReplyCommand,
  type ReplyResult,
  type StoreError,
  type TicketStoreShape,
  type TicketVersionConflict,
} from "@portal/core/ports"
import { IDEMPOTENCY_KEY_REUSED, type IdempotencyClaim } from "@portal/core/rules"
import { Effect, Option, Schema } from "effect"
import type { DatabaseShape } from "../Database.ts"
import { type Queryable, toNumber } from "../Driver.ts"
import { Abort } from "../Errors.ts"
import { Column, findOne } from "../Sql.ts"
import { SatisfactionRow, satisfactionFrom } from "./Rows.ts"
import {
  appendEvent,
  checkAuthor,
  checkTicketReferences,
  checkVersion,
  exists,
  fail,
  inboxExists,
  insertMessage,
  insertThread,
  lockTicket,
  missing,
  stageExists,
  touchTicket,
  versionOf,
  writeTicket,
} from "./TicketSql.ts"

const PriorRow = Schema.Struct({
  command: Schema.String,
  fingerprint: Schema.String,
  ticket_id: TicketId,
  /** Empty for a note's claim (notes have no thread); the message or note id. */
  thread_id: Schema.String,
  message_id: Schema.String,
})

const EventRow = Schema.Struct({
  event_id: Schema.String,
  // Every kind core knows (a kind added there is decoded here without a second list).
  kind: Schema.Literals(PORTAL_EVENT_KINDS),
  ticket_id: TicketId,
  message_id: Schema.NullOr(MessageId),
  at: IsoTime,
  sequence: Column.Int8,
})

/** Claims an idempotency key in its scope; returns the first use's record when it was taken. */
export const claimKey = async (
  tx: Queryable,
  ws: string,
  claim: IdempotencyClaim,
  record: { command: "reply" | "createTicket" | "note"; ticketId: string; threadId: string; messageId: string },
) => {
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys
       (workspace_id, scope, idempotency_key, fingerprint, command, ticket_id, thread_id, message_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (workspace_id, scope, idempotency_key) DO NOTHING RETURNING 1`,
    [ws, claim.scope, claim.key, claim.fingerprint, record.command, record.ticketId, record.threadId, record.messageId],
  )
  if (claimed.length > 0) return null
  const prior = await findOne(
    tx,
    PriorRow,
    `SELECT command, fingerprint, ticket_id, thread_id, message_id FROM idempotency_keys
     WHERE workspace_id = $1 AND scope = $2 AND idempotency_key = $3`,
    [ws, claim.scope, claim.key],
  )
  if (prior === undefined) return fail(`idempotency key "${claim.key}" vanished`)
  // P-SEC-3: only the same request again gets the first result.
  if (prior.command !== record.command || prior.fingerprint !== claim.fingerprint)
    throw new Abort(new Conflict({ reason: IDEMPOTENCY_KEY_REUSED }))
  return prior
}

/**
 * A reply in one transaction; with `expectedVersion` (the agent workspace, P-AGT-3) refused with
 * TicketVersionConflict when the ticket's version moved on. The idempotency claim comes first: the
 * same request again returns its first result whatever the version now.
 */
export const replyTx = (db: DatabaseShape, c: ReplyCommand & { readonly expectedVersion?: number }) =>
  db.transaction<ReplyResult & { version: number }, Conflict | TicketVersionConflict>(
    "TicketStore.reply",
    async (tx) => {
      const ws = c.workspaceId
      const threadId = c.thread.threadId
      const prior = await claimKey(tx, ws, c.idempotency, {
        command: "reply",
        ticketId: c.ticketId,
        threadId,
        messageId: c.message.id,
      })
      if (prior !== null)
        return {
          messageId: prior.message_id as MessageId,
          threadId: prior.thread_id as ThreadId,
          duplicate: true,
          version: await versionOf(tx, ws, c.ticketId),
        } as ReplyResult & { version: number }
      const locked = (await lockTicket(tx, ws, c.ticketId)) ?? fail(`ticket "${c.ticketId}" does not exist`)
      if (c.expectedVersion !== undefined) await checkVersion(tx, ws, c.ticketId, c.expectedVersion)
      if (c.thread._tag === "Existing") {
        const sql = "SELECT 1 FROM threads WHERE workspace_id = $1 AND thread_id = $2 AND ticket_id = $3"
        if (!(await exists(tx, sql, [ws, threadId, c.ticketId])))
          fail(`thread "${threadId}" of ticket "${c.ticketId}" does not exist`)
      } else {
        if (!(await inboxExists(tx, ws, c.thread.inboxId))) fail(`inbox "${c.thread.inboxId}" does not exist`)
        await insertThread(tx, ws, {
          id: threadId,
          ticketId: c.ticketId,
          channel: c.thread.channel,
          inboxId: c.thread.inboxId,
          at: c.message.createdAt,
        })
      }
      await insertMessage(tx, ws, c.ticketId, threadId, c.message)
      // P-EXT-5: a reopening reply moves the ticket in this transaction, with its stage-change event.
      const reopen = c.reopen
      if (reopen !== undefined && !(await stageExists(tx, ws, locked.pipelineId, reopen.stageId)))
        fail(`stage "${reopen.stageId}" is not in pipeline "${locked.pipelineId}"`)
      const version = await touchTicket(tx, ws, c.ticketId, c.message.createdAt, reopen?.stageId)
      await appendEvent(tx, ws, {
        id: c.eventId,
        kind: "reply",
        ticketId: c.ticketId,
        messageId: c.message.id,
        at: c.message.createdAt,
      })
      if (reopen !== undefined)
        await appendEvent(tx, ws, {
          id: reopen.eventId,
          kind: "stageChanged",
          ticketId: c.ticketId,
          messageId: null,
          at: c.message.createdAt,
        })
      return { messageId: c.message.id, threadId, duplicate: false, version } as ReplyResult & { version: number }
    },
  )

export const makeTicketWrites = (
  db: DatabaseShape,
): Pick<
  TicketStoreShape,
  "reply" | "close" | "createTicket" | "events" | "lastEventSequence" | "satisfactionOf" | "rate"
> => ({
  lastEventSequence: (workspaceId) =>
    db.run("TicketStore.lastEventSequence", async (q) => {
      const [row] = await q.query("SELECT event_sequence FROM workspaces WHERE workspace_id = $1", [workspaceId])
      return row === undefined ? 0 : toNumber(row.event_sequence)
    }),
  // The port's result: the version is the agent workspace's (agentReply), not the port's.
  reply: (c) =>
    replyTx(db, c).pipe(Effect.map(({ version: _, ...result }): ReplyResult => result)) as Effect.Effect<
      ReplyResult,
      StoreError | Conflict
    >,

  close: (c) =>
    db.transaction("TicketStore.close", async (tx) => {
      const ticket = (await lockTicket(tx, c.workspaceId, c.ticketId)) ?? fail(`ticket "${c.ticketId}" does not exist`)
      if (!(await stageExists(tx, c.workspaceId, ticket.pipelineId, c.stageId)))
        fail(`stage "${c.stageId}" is not in pipeline "${ticket.pipelineId}"`)
      await touchTicket(tx, c.workspaceId, c.ticketId, c.at, c.stageId)
      await appendEvent(tx, c.workspaceId, {
        id: c.eventId,
        kind: "close",
        ticketId: c.ticketId,
        messageId: null,
        at: c.at,
      })
    }),

  satisfactionOf: (workspaceId, ticketId) =>
    db
      .findAll(
        "TicketStore.satisfactionOf",
        SatisfactionRow,
        "SELECT ticket_id, rating, comment, at FROM ticket_satisfaction WHERE workspace_id = $1 AND ticket_id = $2",
        [workspaceId, ticketId],
      )
      .pipe(Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), satisfactionFrom))),

  rate: (c) =>
    db.transaction<void, Conflict>("TicketStore.rate", async (tx) => {
      const ws = c.workspaceId
      ;(await lockTicket(tx, ws, c.ticketId)) ?? fail(`ticket "${c.ticketId}" does not exist`)
      const s = c.satisfaction
      // P-EXT-2: once per ticket; the primary key settles a race, the loser gets already_rated.
      const inserted = await tx.query(
        `INSERT INTO ticket_satisfaction (workspace_id, ticket_id, rating, comment, at, rated_by)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, ticket_id) DO NOTHING RETURNING 1`,
        [ws, c.ticketId, s.rating, s.comment ?? null, s.at, c.by],
      )
      if (inserted.length === 0) throw new Abort(new Conflict({ reason: ALREADY_RATED }))
      await tx.query("UPDATE tickets SET version = version + 1 WHERE workspace_id = $1 AND ticket_id = $2", [
        ws,
        c.ticketId,
      ])
      await appendEvent(tx, ws, {
        id: c.eventId,
        kind: "ticket.rated",
        ticketId: c.ticketId,
        messageId: null,
        at: s.at,
      })
    }),

  createTicket: (c) =>
    db.transaction<{ ticketId: TicketId; duplicate: boolean }, MissingReference | Conflict>(
      "TicketStore.createTicket",
      async (tx) => {
        const ws = c.workspaceId
        const t = c.ticket
        const record = {
          command: "createTicket" as const,
          ticketId: t.id,
          threadId: c.thread.id,
          messageId: c.message.id,
        }
        const prior = await claimKey(tx, ws, c.idempotency, record)
        if (prior !== null) return { ticketId: prior.ticket_id, duplicate: true }
        await checkTicketReferences(tx, ws, t)
        if (!(await inboxExists(tx, ws, c.thread.inboxId))) missing("inbox", c.thread.inboxId)
        await checkAuthor(tx, ws, c.message.author)
        await writeTicket(tx, ws, t, "insert")
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
      },
    ),

  events: (workspaceId, afterSequence, limit) =>
    db
      .findAll(
        "TicketStore.events",
        EventRow,
        `SELECT event_id, kind, ticket_id, message_id, at, sequence FROM events
         WHERE workspace_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
        [workspaceId, afterSequence, Math.max(0, Math.trunc(limit))],
      )
      .pipe(
        Effect.map((rows) =>
          rows.map(
            (r): PortalEvent => ({
              id: r.event_id,
              workspaceId,
              kind: r.kind,
              ticketId: r.ticket_id,
              messageId: r.message_id,
              at: r.at,
              sequence: r.sequence,
            }),
          ),
        ),
      ),
})
