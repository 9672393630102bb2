/**
 * The integration writes of TicketStore over the memory state (upsertTicket, setStage, addNote,
 * upsertThread) and the checks and helpers every ticket write shares. Each write checks what the
 * database's keys and references would, then swaps the new state in: a refused write (a
 * MissingReference, a Conflict) changes nothing. Tickets merge with core's `mergeTicket`.
 */
import {
  type Author,
  laterTime,
  type MessageId,
  type MessageKind,
  mergeTicket,
  sameNote,
  sameTicket,
  type Ticket,
  type TicketId,
} from "@portal/core/domain"
import {
  type ChangeParticipantsResult,
  type Conflict,
  type MissingReference,
  messageEventId,
  type NewMessage,
  type PortalEvent,
  type PortalEventKind,
  type TicketStoreShape,
} from "@portal/core/ports"
import { applyParticipantChange } from "@portal/core/rules"
import {
  bumpVersion,
  check,
  conflict,
  copy,
  type MemoryDb,
  type MemoryState,
  missing,
  type StoredMessage,
  setIn,
  type WorkspaceData,
  withWorkspace,
  workspaceOf,
  writeOr,
} from "./State.ts"

export const checkInbox = (ws: WorkspaceData, inboxId: string) => {
  if (!ws.inboxes.some((i) => i.id === inboxId)) missing("inbox", inboxId)
}

export const checkAuthor = (ws: WorkspaceData, author: Author) => {
  const known =
    author.type === "agent" ? ws.agents.some((a) => a.id === author.id) : ws.contacts.some((c) => c.id === author.id)
  if (!known) missing(author.type, author.id)
}

/** A ticket's pipeline and stage, contacts, companies and owner must exist (as foreign keys would). */
export const checkTicketReferences = (ws: WorkspaceData, ticket: Ticket) => {
  const pipeline = ws.pipelines.find((p) => p.id === ticket.pipelineId) ?? missing("pipeline", ticket.pipelineId)
  if (!pipeline.stages.some((st) => st.id === ticket.stageId)) missing("stage", ticket.stageId)
  for (const id of [
    ...(ticket.requesterId === undefined ? [] : [ticket.requesterId]),
    ...ticket.contactIds,
    ...(ticket.participantIds ?? []),
  ])
    if (!ws.contacts.some((c) => c.id === id)) missing("contact", id)
  for (const id of ticket.companyIds) if (!ws.companies.some((c) => c.id === id)) missing("company", id)
  if (ticket.ownerId !== undefined && !ws.agents.some((a) => a.id === ticket.ownerId)) missing("agent", ticket.ownerId)
}

/** The new message as stored, with its attachments checked and registered. */
export const addMessage = (
  ws: WorkspaceData,
  ticketId: TicketId,
  message: NewMessage,
  kind: MessageKind = "message",
) => {
  const taken = ws.threads.some((t) => t.messages.some((m) => m.id === message.id))
  check(!taken, `message id "${message.id}" already exists`)
  const attachments = new Map(ws.attachments)
  for (const { blobKey, id, name, contentType, size } of message.attachments) {
    check(!attachments.has(id), `attachment id "${id}" already exists`)
    attachments.set(id, { id, name, contentType, size, blobKey, ticketId, messageId: message.id })
  }
  const stored: StoredMessage = {
    id: message.id,
    createdAt: message.createdAt,
    kind,
    author: message.author,
    text: message.text,
    attachmentIds: message.attachments.map((a) => a.id),
  }
  return { stored, attachments }
}

export const withEvent = (
  s: MemoryState,
  ws: WorkspaceData,
  event: {
    readonly id: string
    readonly kind: PortalEventKind
    readonly ticketId: TicketId
    readonly messageId: MessageId | null
    readonly at: string
  },
): MemoryState => {
  check(!ws.events.some((e) => e.id === event.id), `event id "${event.id}" already exists`)
  const sequence = (s.sequences.get(ws.workspace.id) ?? 0) + 1
  const full = { ...event, workspaceId: ws.workspace.id, sequence } as PortalEvent
  return withWorkspace(
    s,
    { ...ws, events: [...ws.events, full] },
    {
      sequences: setIn(s.sequences, ws.workspace.id as string, sequence),
    },
  )
}

const replaceTicket = (ws: WorkspaceData, ticket: Ticket): WorkspaceData => ({
  ...ws,
  tickets: ws.tickets.map((t) => (t.id === ticket.id ? ticket : t)),
})

type Syncs = Pick<TicketStoreShape, "upsertTicket" | "setStage" | "addNote" | "upsertThread" | "changeParticipants">

export const ticketSyncs = (db: MemoryDb): Syncs => ({
  upsertTicket: (c) =>
    writeOr<MissingReference>()(
      db,
      "upsertTicket",
      (s): readonly [{ created: boolean; changed: boolean }, MemoryState] => {
        const ws = workspaceOf(s, c.workspaceId)
        const given = copy(c.ticket)
        checkTicketReferences(ws, given)
        const before = ws.tickets.find((t) => t.id === given.id)
        const event = { id: c.eventId, ticketId: given.id, messageId: null, at: c.at }
        if (before === undefined) {
          const next = withEvent(s, { ...ws, tickets: [...ws.tickets, given] }, { ...event, kind: "ticketCreated" })
          return [{ created: true, changed: true }, next]
        }
        const merged = mergeTicket(before, given)
        if (sameTicket(before, merged)) return [{ created: false, changed: false }, s]
        const next = withEvent(s, bumpVersion(replaceTicket(ws, merged), merged.id), {
          ...event,
          kind: "ticketUpdated",
        })
        return [{ created: false, changed: true }, next]
      },
    ),
  setStage: (c) =>
    writeOr<MissingReference>()(db, "setStage", (s): readonly [{ changed: boolean }, MemoryState] => {
      const ws = workspaceOf(s, c.workspaceId)
      const ticket = ws.tickets.find((t) => t.id === c.ticketId) ?? missing("ticket", c.ticketId)
      const pipeline = ws.pipelines.find((p) => p.id === ticket.pipelineId)
      if (pipeline?.stages.some((st) => st.id === c.stageId) !== true) missing("stage", c.stageId)
      if (ticket.stageId === c.stageId) return [{ changed: false }, s]
      const moved = bumpVersion(replaceTicket(ws, { ...ticket, stageId: c.stageId, lastActivityAt: c.at }), ticket.id)
      const event = { id: c.eventId, kind: "stageChanged" as const, ticketId: ticket.id, messageId: null, at: c.at }
      return [{ changed: true }, withEvent(s, moved, event)]
    }),
  // P-EXT-1: the same change rule as every adapter (rules/Participants.ts), one event, one version.
  changeParticipants: (c) =>
    writeOr<MissingReference>()(db, "changeParticipants", (s): readonly [ChangeParticipantsResult, MemoryState] => {
      const ws = workspaceOf(s, c.workspaceId)
      const ticket = ws.tickets.find((t) => t.id === c.ticketId) ?? missing("ticket", c.ticketId)
      for (const id of c.add) if (!ws.contacts.some((x) => x.id === id)) missing("contact", id)
      const result = applyParticipantChange(ticket.participantIds ?? [], c)
      if (!result.changed) return [result, s]
      const { participantIds: _, ...rest } = ticket
      const next = result.participantIds.length === 0 ? rest : { ...rest, participantIds: [...result.participantIds] }
      const event = {
        id: c.eventId,
        kind: "ticket.participantsChanged" as const,
        ticketId: ticket.id,
        messageId: null,
        at: c.at,
      }
      return [result, withEvent(s, bumpVersion(replaceTicket(ws, next), ticket.id), event)]
    }),
  addNote: (workspaceId, note) =>
    writeOr<MissingReference | Conflict>()(db, "addNote", (s): readonly [{ created: boolean }, MemoryState] => {
      const ws = workspaceOf(s, workspaceId)
      if (!ws.tickets.some((t) => t.id === note.ticketId)) missing("ticket", note.ticketId)
      if (!ws.agents.some((a) => a.id === note.authorId)) missing("agent", note.authorId)
      const prior = ws.notes.find((n) => n.id === note.id)
      if (prior !== undefined)
        return sameNote(prior, note) ? [{ created: false }, s] : conflict(`note id "${note.id}" is taken`)
      return [
        { created: true },
        withWorkspace(s, bumpVersion({ ...ws, notes: [...ws.notes, copy(note)] }, note.ticketId)),
      ]
    }),
  upsertThread: (c) =>
    writeOr<MissingReference | Conflict>()(db, "upsertThread", (s) => {
      const ws = workspaceOf(s, c.workspaceId)
      const head = copy(c.thread)
      const ticket = ws.tickets.find((t) => t.id === head.ticketId) ?? missing("ticket", head.ticketId)
      if (head.inboxId !== null) checkInbox(ws, head.inboxId)
      const existing = ws.threads.find((t) => t.head.id === head.id)
      if (existing !== undefined && existing.head.ticketId !== head.ticketId)
        conflict(`thread "${head.id}" belongs to ticket "${existing.head.ticketId}"`)
      const kept = existing?.messages ?? []
      const added: Array<StoredMessage> = []
      let attachments = ws.attachments
      for (const m of c.messages) {
        if (kept.some((k) => k.id === m.id) || added.some((a) => a.id === m.id)) continue
        checkAuthor(ws, m.author)
        if (ws.threads.some((t) => t.messages.some((x) => x.id === m.id)))
          conflict(`message id "${m.id}" belongs to another thread`)
        const stored = addMessage({ ...ws, attachments }, ticket.id, m, m.kind)
        attachments = stored.attachments
        added.push(stored.stored)
      }
      const thread = { head, messages: [...kept, ...added] }
      const threads =
        existing === undefined ? [...ws.threads, thread] : ws.threads.map((t) => (t === existing ? thread : t))
      const activity = added.reduce((at, m) => laterTime(at, m.createdAt), ticket.lastActivityAt)
      const next = bumpVersion(
        replaceTicket({ ...ws, threads, attachments }, { ...ticket, lastActivityAt: activity }),
        ticket.id,
      )
      // The event stream names each added message (or comment) by its author (P-NOT-1), as on SQL.
      let state = withWorkspace(s, next)
      for (const m of added)
        state = withEvent(state, workspaceOf(state, c.workspaceId), {
          id: messageEventId(m.id),
          kind: m.author.type === "agent" ? "message.agent" : "message.customer",
          ticketId: ticket.id,
          messageId: m.id,
          at: m.createdAt,
        })
      return [{ created: existing === undefined, added: added.map((m) => m.id) }, state]
    }),
})
