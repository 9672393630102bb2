/**
 * TicketStore's integration writes on SQL (upsertTicket, setStage, addNote, upsertThread), each
 * one transaction with the same checks as the memory reference: a missing reference rolls back
 * with MissingReference, a taken id of something else with Conflict. Tickets merge with core's
 * `mergeTicket`, so both adapters agree on what an update changes.
 */
import {
  AgentId,
  IsoTime,
  laterTime,
  type MessageId,
  mergeTicket,
  type Note,
  NoteId,
  sameNote,
  sameTicket,
  ThreadId,
  TicketId,
} from "@portal/core/domain"
import {
  type ChangeParticipantsResult,
  Conflict,
  type MissingReference,
  messageEventId,
  type TicketStoreShape,
} from "@portal/core/ports"
import { applyParticipantChange } from "@portal/core/rules"
import { Schema } from "effect"
import { msOf } from "../Bulk.ts"
import type { DatabaseShape } from "../Database.ts"
import type { Queryable } from "../Driver.ts"
import { Abort } from "../Errors.ts"
import { findOne } from "../Sql.ts"
import {
  appendEvent,
  bumpVersion,
  checkAuthor,
  checkExist,
  checkTicketReferences,
  inboxExists,
  insertMessage,
  insertThread,
  lockTicket,
  missing,
  stageExists,
  touchTicket,
  writeTicket,
} from "./TicketSql.ts"

const conflict = (reason: string): never => {
  throw new Abort(new Conflict({ reason }))
}

const NoteRow = Schema.Struct({
  note_id: NoteId,
  ticket_id: TicketId,
  author_id: AgentId,
  created_at: IsoTime,
  text: Schema.String,
})

const noteOf = async (tx: Queryable, ws: string, noteId: string): Promise<Note | undefined> => {
  const r = await findOne(
    tx,
    NoteRow,
    "SELECT note_id, ticket_id, author_id, created_at, text FROM notes WHERE workspace_id = $1 AND note_id = $2",
    [ws, noteId],
  )
  return r === undefined
    ? undefined
    : { id: r.note_id, ticketId: r.ticket_id, authorId: r.author_id, createdAt: r.created_at, text: r.text }
}

type Syncs = Pick<TicketStoreShape, "upsertTicket" | "setStage" | "addNote" | "upsertThread" | "changeParticipants">

export const makeTicketSyncs = (db: DatabaseShape): Syncs => ({
  upsertTicket: (c) =>
    db.transaction<{ created: boolean; changed: boolean }, MissingReference>("TicketStore.upsertTicket", async (tx) => {
      const ws = c.workspaceId
      await checkTicketReferences(tx, ws, c.ticket)
      const before = await lockTicket(tx, ws, c.ticket.id)
      const event = { id: c.eventId, ticketId: c.ticket.id, messageId: null, at: c.at }
      if (before === undefined) {
        await writeTicket(tx, ws, c.ticket, "insert")
        await appendEvent(tx, ws, { ...event, kind: "ticketCreated" })
        return { created: true, changed: true }
      }
      const merged = mergeTicket(before, c.ticket)
      if (sameTicket(before, merged)) return { created: false, changed: false }
      await writeTicket(tx, ws, merged, "update")
      await appendEvent(tx, ws, { ...event, kind: "ticketUpdated" })
      return { created: false, changed: true }
    }),

  setStage: (c) =>
    db.transaction<{ changed: boolean }, MissingReference>("TicketStore.setStage", async (tx) => {
      const ticket = (await lockTicket(tx, c.workspaceId, c.ticketId)) ?? missing("ticket", c.ticketId)
      if (!(await stageExists(tx, c.workspaceId, ticket.pipelineId, c.stageId))) missing("stage", c.stageId)
      if (ticket.stageId === c.stageId) return { changed: false }
      await touchTicket(tx, c.workspaceId, c.ticketId, c.at, c.stageId)
      await appendEvent(tx, c.workspaceId, {
        id: c.eventId,
        kind: "stageChanged",
        ticketId: c.ticketId,
        messageId: null,
        at: c.at,
      })
      return { changed: true }
    }),

  // P-EXT-1: under the ticket's lock, with the rule every adapter shares (rules/Participants.ts).
  changeParticipants: (c) =>
    db.transaction<ChangeParticipantsResult, MissingReference>("TicketStore.changeParticipants", async (tx) => {
      const ws = c.workspaceId
      const ticket = (await lockTicket(tx, ws, c.ticketId)) ?? missing("ticket", c.ticketId)
      await checkExist(tx, ws, "contact", c.add)
      const result = applyParticipantChange(ticket.participantIds ?? [], c)
      if (!result.changed) return result
      const ids = [...result.participantIds]
      await tx.query(
        "UPDATE tickets SET participant_ids = $3::text[], version = version + 1 WHERE workspace_id = $1 AND ticket_id = $2",
        [ws, c.ticketId, ids],
      )
      await tx.query(
        "DELETE FROM ticket_participants WHERE workspace_id = $1 AND ticket_id = $2 AND NOT (contact_id = ANY($3::text[]))",
        [ws, c.ticketId, ids],
      )
      await tx.query(
        `INSERT INTO ticket_participants (workspace_id, ticket_id, contact_id, last_activity_ms, created_ms)
         SELECT $1, $2, x, $4::bigint, $5::bigint FROM unnest($3::text[]) AS x
         ON CONFLICT (workspace_id, ticket_id, contact_id) DO NOTHING`,
        [ws, c.ticketId, ids, msOf(ticket.lastActivityAt), msOf(ticket.createdAt)],
      )
      await appendEvent(tx, ws, {
        id: c.eventId,
        kind: "ticket.participantsChanged",
        ticketId: c.ticketId,
        messageId: null,
        at: c.at,
      })
      return result
    }),

  addNote: (workspaceId, note) =>
    db.transaction<{ created: boolean }, MissingReference | Conflict>("TicketStore.addNote", async (tx) => {
      ;(await lockTicket(tx, workspaceId, note.ticketId)) ?? missing("ticket", note.ticketId)
      await checkExist(tx, workspaceId, "agent", [note.authorId])
      const prior = await noteOf(tx, workspaceId, note.id)
      if (prior !== undefined)
        return sameNote(prior, note) ? { created: false } : conflict(`note id "${note.id}" is taken`)
      await tx.query(
        "INSERT INTO notes (workspace_id, note_id, ticket_id, author_id, created_at, text) VALUES ($1, $2, $3, $4, $5, $6)",
        [workspaceId, note.id, note.ticketId, note.authorId, note.createdAt, note.text],
      )
      await bumpVersion(tx, workspaceId, note.ticketId)
      return { created: true }
    }),

  upsertThread: (c) =>
    db.transaction<{ created: boolean; added: ReadonlyArray<MessageId> }, MissingReference | Conflict>(
      "TicketStore.upsertThread",
      async (tx) => {
        const ws = c.workspaceId
        const head = c.thread
        const ticket = (await lockTicket(tx, ws, head.ticketId)) ?? missing("ticket", head.ticketId)
        if (head.inboxId !== null && !(await inboxExists(tx, ws, head.inboxId))) missing("inbox", head.inboxId)
        const existing = await findOne(
          tx,
          Schema.Struct({ ticket_id: TicketId }),
          "SELECT ticket_id FROM threads WHERE workspace_id = $1 AND thread_id = $2 FOR UPDATE",
          [ws, head.id],
        )
        if (existing !== undefined && existing.ticket_id !== head.ticketId)
          conflict(`thread "${head.id}" belongs to ticket "${existing.ticket_id}"`)
        if (existing === undefined) await insertThread(tx, ws, { ...head, at: head.createdAt })
        else
          await tx.query(
            "UPDATE threads SET channel = $3, inbox_id = $4, created_at = $5, created_ms = $6 WHERE workspace_id = $1 AND thread_id = $2",
            [ws, head.id, head.channel, head.inboxId, head.createdAt, msOf(head.createdAt)],
          )
        const added: Array<MessageId> = []
        let activity = ticket.lastActivityAt
        for (const m of c.messages) {
          if (added.includes(m.id)) continue
          const taken = await findOne(
            tx,
            Schema.Struct({ thread_id: ThreadId }),
            "SELECT thread_id FROM messages WHERE workspace_id = $1 AND message_id = $2",
            [ws, m.id],
          )
          if (taken !== undefined) {
            if (taken.thread_id === head.id) continue
            conflict(`message id "${m.id}" belongs to another thread`)
          }
          await checkAuthor(tx, ws, m.author)
          await insertMessage(tx, ws, head.ticketId, head.id, m, m.kind)
          // The event stream names each added message (or comment) by its author; the notifications read it (P-NOT-1).
          await appendEvent(tx, ws, {
            id: messageEventId(m.id),
            kind: m.author.type === "agent" ? "message.agent" : "message.customer",
            ticketId: head.ticketId,
            messageId: m.id,
            at: m.createdAt,
          })
          added.push(m.id)
          activity = laterTime(activity, m.createdAt)
        }
        // One version bump either way (P-AGT-3): touchTicket's, or its own.
        if (activity !== ticket.lastActivityAt) await touchTicket(tx, ws, head.ticketId, activity)
        else await bumpVersion(tx, ws, head.ticketId)
        return { created: existing === undefined, added }
      },
    ),
})
