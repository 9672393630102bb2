/**
 * The agent workspace's TicketStore methods over the memory state (P-AGT-1..3). The list is
 * core's pure `agentListPure` (the reference the contract compares other adapters with); the
 * writes check the ticket's version first (after the idempotency key: the same request again
 * returns its first result whatever the version now), then write all-or-nothing with the event
 * and one version bump, as the PostgreSQL adapter does in one transaction.
 */
import {
  type AgentMessage,
  type AgentNote,
  type AgentTicketRow,
  type NoteId,
  type TicketId,
  timeMs,
} from "@portal/core/domain"
import {
  type AgentReplyCommand,
  type Conflict,
  type MissingReference,
  noteFilesKey,
  type ReplyResult,
  StorageError,
  type TicketStoreShape,
  TicketVersionConflict,
} from "@portal/core/ports"
import {
  agentListPure,
  agentRower,
  authorNames,
  compareCodePoints,
  contactRef,
  IDEMPOTENCY_KEY_REUSED,
} from "@portal/core/rules"
import { Effect, Option } from "effect"
import {
  Abort,
  abort,
  bumpVersion,
  check,
  conflict,
  copy,
  type IdempotencyRecord,
  idempotencyMapKey,
  type MemoryDb,
  type MemoryState,
  missing,
  read,
  setIn,
  versionOf,
  type WorkspaceData,
  withWorkspace,
  workspaceOf,
  writeOr,
} from "./State.ts"
import { withEvent } from "./TicketSyncMemory.ts"

type AgentMethods = Pick<
  TicketStoreShape,
  "agentList" | "agentRow" | "conversation" | "agentReply" | "agentNote" | "updateTicket"
>

const listingOf = (ws: WorkspaceData) => ({
  tickets: ws.tickets,
  pipelines: ws.pipelines,
  contacts: ws.contacts,
  agents: ws.agents,
  companies: ws.companies,
  versionOf: (id: string) => versionOf(ws, id),
  satisfactionOf: (id: string) => ws.satisfaction?.get(id),
})

const emptyListing = {
  tickets: [],
  pipelines: [],
  contacts: [],
  agents: [],
  companies: [],
  versionOf: () => 1,
}

const rowOf = (ws: WorkspaceData, ticketId: string): AgentTicketRow | undefined => {
  const ticket = ws.tickets.find((t) => t.id === ticketId)
  return ticket === undefined ? undefined : agentRower(listingOf(ws))(ticket)
}

/** Refuse a change against an old version (P-AGT-3). */
const checkVersion = (ws: WorkspaceData, ticketId: TicketId, expected: number) => {
  const current = versionOf(ws, ticketId)
  if (current !== expected)
    throw new Abort(
      `ticket "${ticketId}" is at version ${current}`,
      new TicketVersionConflict({ ticketId, currentVersion: current }),
    )
}

const byTimeThenId = <T extends { readonly createdAt: string; readonly id: string }>(a: T, b: T) =>
  timeMs(a.createdAt) - timeMs(b.createdAt) || compareCodePoints(a.id, b.id)

export const agentMethods = (
  db: MemoryDb,
  reply: (command: AgentReplyCommand) => Effect.Effect<ReplyResult, StorageError | Conflict | TicketVersionConflict>,
): AgentMethods => ({
  agentList: (workspaceId, query) =>
    Effect.suspend(() => {
      const ws = db.state.workspaces.get(workspaceId)
      const page = agentListPure(ws === undefined ? emptyListing : listingOf(ws), query)
      return Option.isNone(page)
        ? Effect.fail(new StorageError({ method: "agentList", cause: "malformed cursor" }))
        : Effect.succeed(copy(page.value))
    }),

  agentRow: (workspaceId, ticketId) =>
    read(db, (s) => {
      const ws = s.workspaces.get(workspaceId)
      return Option.fromUndefinedOr(ws === undefined ? undefined : rowOf(ws, ticketId)).pipe(Option.map(copy))
    }),

  conversation: (workspaceId, ticketId) =>
    read(db, (s) => {
      const ws = s.workspaces.get(workspaceId)
      const ticket = ws?.tickets.find((t) => t.id === ticketId)
      if (ws === undefined || ticket === undefined) return { threads: [], notes: [], contacts: [], companies: [] }
      const agentName = (id: string) => ws.agents.find((a) => a.id === id)?.name ?? ""
      const filesOf = (ids: ReadonlyArray<string>) =>
        ids.flatMap((id) => {
          const a = ws.attachments.get(id)
          return a === undefined ? [] : [{ id: a.id, name: a.name, contentType: a.contentType, size: a.size }]
        })
      const threads = ws.threads
        .filter((t) => t.head.ticketId === ticketId)
        .map((t) => ({
          ...t.head,
          messages: t.messages
            .map(
              (m): AgentMessage => ({
                id: m.id,
                kind: m.kind,
                createdAt: m.createdAt,
                author: m.author,
                ...(m.author.type === "agent"
                  ? { authorName: agentName(m.author.id) }
                  : (() => {
                      const c = ws.contacts.find((x) => x.id === m.author.id)
                      return authorNames(c === undefined ? null : contactRef(c))
                    })()),
                text: m.text,
                attachments: filesOf(m.attachmentIds),
              }),
            )
            .sort(byTimeThenId),
        }))
        .sort(byTimeThenId)
      const notes = ws.notes
        .filter((n) => n.ticketId === ticketId)
        .map(
          (n): AgentNote => ({
            id: n.id,
            authorId: n.authorId,
            authorName: agentName(n.authorId),
            createdAt: n.createdAt,
            text: n.text,
            attachments: [...ws.attachments.values()]
              // Inserted in the note's order (the map keeps insertion order), as PostgreSQL's position.
              .filter((a) => a.messageId === noteFilesKey(n.id))
              .map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size })),
          }),
        )
        .sort(byTimeThenId)
      const contacts = ticket.contactIds.flatMap((id) => {
        const c = ws.contacts.find((x) => x.id === id)
        return c === undefined ? [] : [{ ...contactRef(c), id: c.id, email: c.email }]
      })
      const companies = ticket.companyIds.flatMap((id) => {
        const c = ws.companies.find((x) => x.id === id)
        return c === undefined ? [] : [{ id: c.id as string, name: c.name }]
      })
      return copy({ threads, notes, contacts, companies })
    }),

  agentReply: (command) =>
    Effect.map(reply(command), (result) => {
      const ws = db.state.workspaces.get(command.workspaceId)
      return { ...result, version: ws === undefined ? 1 : versionOf(ws, command.ticketId) }
    }),

  agentNote: (command) =>
    writeOr<Conflict | TicketVersionConflict>()(db, "agentNote", (s) => {
      const ws = workspaceOf(s, command.workspaceId)
      const claim = command.idempotency
      const prior = ws.idempotency.get(idempotencyMapKey(claim))
      if (prior !== undefined) {
        if (prior.command !== "note" || prior.fingerprint !== claim.fingerprint) conflict(IDEMPOTENCY_KEY_REUSED)
        const result = {
          noteId: prior.messageId as unknown as NoteId,
          duplicate: true,
          version: versionOf(ws, prior.ticketId),
        }
        return [result, s] as const
      }
      const ticket =
        ws.tickets.find((t) => t.id === command.ticketId) ?? abort(`ticket "${command.ticketId}" does not exist`)
      checkVersion(ws, ticket.id, command.expectedVersion)
      const note = command.note
      if (!ws.agents.some((a) => a.id === note.authorId)) missing("agent", note.authorId)
      check(!ws.notes.some((n) => n.id === note.id), `note id "${note.id}" already exists`)
      const attachments = new Map(ws.attachments)
      for (const { blobKey, id, name, contentType, size } of note.attachments) {
        check(!attachments.has(id), `attachment id "${id}" already exists`)
        attachments.set(id, {
          id,
          name,
          contentType,
          size,
          blobKey,
          ticketId: ticket.id,
          messageId: noteFilesKey(note.id) as never,
        })
      }
      const record: IdempotencyRecord = {
        ...claim,
        createdMs: Date.now(),
        command: "note",
        ticketId: ticket.id,
        threadId: "" as never,
        messageId: note.id as never,
      }
      const next = bumpVersion(
        {
          ...ws,
          notes: [
            ...ws.notes,
            { id: note.id, ticketId: ticket.id, authorId: note.authorId, createdAt: note.createdAt, text: note.text },
          ],
          attachments,
          idempotency: setIn(ws.idempotency, idempotencyMapKey(claim), record),
        },
        ticket.id,
      )
      const event = {
        id: command.eventId,
        kind: "note.added" as const,
        ticketId: ticket.id,
        messageId: null,
        at: note.createdAt,
      }
      return [
        { noteId: note.id, duplicate: false, version: versionOf(next, ticket.id) },
        withEvent(s, next, event),
      ] as const
    }),

  updateTicket: (command) =>
    writeOr<MissingReference | TicketVersionConflict>()(db, "updateTicket", (s) => {
      const ws = workspaceOf(s, command.workspaceId)
      const ticket = ws.tickets.find((t) => t.id === command.ticketId) ?? missing("ticket", command.ticketId)
      checkVersion(ws, ticket.id, command.expectedVersion)
      const pipeline = ws.pipelines.find((p) => p.id === ticket.pipelineId)
      if (command.stageId !== undefined && pipeline?.stages.some((st) => st.id === command.stageId) !== true)
        missing("stage", command.stageId)
      if (command.ownerId !== undefined && command.ownerId !== null && !ws.agents.some((a) => a.id === command.ownerId))
        missing("agent", command.ownerId)
      const stageChanged = command.stageId !== undefined && command.stageId !== ticket.stageId
      const ownerChanged = command.ownerId !== undefined && (command.ownerId ?? undefined) !== ticket.ownerId
      if (!stageChanged && !ownerChanged)
        return [{ changed: false as boolean, version: versionOf(ws, ticket.id) }, s] as const
      const { ownerId: _, ...rest } = ticket
      const owner = ownerChanged ? (command.ownerId ?? undefined) : ticket.ownerId
      const updated = {
        ...rest,
        ...(owner === undefined ? {} : { ownerId: owner }),
        stageId: stageChanged && command.stageId !== undefined ? command.stageId : ticket.stageId,
        // A stage change is activity (as setStage); an owner change is internal and leaves it.
        lastActivityAt: stageChanged ? command.at : ticket.lastActivityAt,
      }
      const next = bumpVersion({ ...ws, tickets: ws.tickets.map((t) => (t.id === ticket.id ? updated : t)) }, ticket.id)
      let state: MemoryState = withWorkspace(s, next)
      const base = { ticketId: ticket.id, messageId: null, at: command.at }
      if (stageChanged)
        state = withEvent(state, workspaceOf(state, ws.workspace.id), {
          ...base,
          id: command.eventIds.stage,
          kind: "stageChanged",
        })
      if (ownerChanged)
        state = withEvent(state, workspaceOf(state, ws.workspace.id), {
          ...base,
          id: command.eventIds.owner,
          kind: "ticket.ownerChanged",
        })
      return [{ changed: true, version: versionOf(next, ticket.id) }, state] as const
    }),
})
