/**
 * TicketStore over the memory state. Reads apply the pure list rules (rules/Listing.ts), which
 * makes this adapter the reference the contract compares others with. Writes check what a
 * database's keys and constraints would (unique ids, existing references, idempotency keys)
 * before swapping the new state in, and append a portal event with the next sequence (P-ACT-5).
 */
import {
  type AttachmentMeta,
  type PersonRef,
  type ThreadHead,
  type TicketId,
  timeMs,
  type ViewerScope,
  type VisibleMessage,
} from "@portal/core/domain"
import {
  ALREADY_RATED,
  type Conflict,
  type MissingReference,
  type ReplyCommand,
  type ReplyResult,
  StorageError,
  type TicketStoreShape,
  TicketVersionConflict,
} from "@portal/core/ports"
import {
  authorNames,
  comparePositions,
  contactRef,
  cursorSortOf,
  getTicketPure,
  IDEMPOTENCY_KEY_REUSED,
  listTicketsPure,
  parseCursor,
} from "@portal/core/rules"
import { Effect, Option } from "effect"
import { agentMethods } from "./AgentMemory.ts"
import { pruneIdempotency } from "./Housekeeping.ts"
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
  read,
  type StoredMessage,
  setIn,
  versionOf,
  type WorkspaceData,
  workspaceOf,
  write,
  writeOr,
} from "./State.ts"
import {
  addMessage,
  checkAuthor,
  checkInbox,
  checkTicketReferences,
  ticketSyncs,
  withEvent,
} from "./TicketSyncMemory.ts"

const byTimeThenId = <T extends { readonly createdAt: string; readonly id: string }>(a: T, b: T) =>
  comparePositions({ key: timeMs(a.createdAt), id: a.id }, { key: timeMs(b.createdAt), id: b.id }, "asc")

const emptyWorkspace = { tickets: [], pipelines: [], contacts: [], agents: [] }

/** A reply; with `expectedVersion` (the agent workspace, P-AGT-3) refused when the version moved on. */
const replyWrite = (db: MemoryDb, command: ReplyCommand & { readonly expectedVersion?: number }) =>
  writeOr<Conflict | TicketVersionConflict>()(db, "reply", (s): readonly [ReplyResult, MemoryState] => {
    const ws = workspaceOf(s, command.workspaceId)
    const claim = command.idempotency
    const prior = ws.idempotency.get(idempotencyMapKey(claim))
    if (prior !== undefined) {
      // P-SEC-3: only the same request again gets the first result.
      if (prior.command !== "reply" || prior.fingerprint !== claim.fingerprint) conflict(IDEMPOTENCY_KEY_REUSED)
      return [{ messageId: prior.messageId, threadId: prior.threadId, duplicate: true }, s]
    }
    const ticket =
      ws.tickets.find((t) => t.id === command.ticketId) ?? abort(`ticket "${command.ticketId}" does not exist`)
    if (command.expectedVersion !== undefined && versionOf(ws, ticket.id) !== command.expectedVersion)
      throw new Abort(
        `ticket "${ticket.id}" is at version ${versionOf(ws, ticket.id)}`,
        new TicketVersionConflict({ ticketId: ticket.id, currentVersion: versionOf(ws, ticket.id) }),
      )
    const { stored, attachments } = addMessage(ws, ticket.id, command.message)
    const target = command.thread
    const threadId = target.threadId
    let threads: WorkspaceData["threads"]
    if (target._tag === "Existing") {
      const thread = ws.threads.find((t) => t.head.id === threadId && t.head.ticketId === ticket.id)
      check(thread !== undefined, `thread "${threadId}" of ticket "${ticket.id}" does not exist`)
      threads = ws.threads.map((t) => (t.head.id === threadId ? { ...t, messages: [...t.messages, stored] } : t))
    } else {
      check(!ws.threads.some((t) => t.head.id === threadId), `thread id "${threadId}" already exists`)
      checkInbox(ws, target.inboxId)
      const head = {
        id: threadId,
        ticketId: ticket.id,
        channel: target.channel,
        inboxId: target.inboxId,
        createdAt: stored.createdAt,
      }
      threads = [...ws.threads, { head, messages: [stored] }]
    }
    const record: IdempotencyRecord = {
      ...claim,
      createdMs: Date.now(),
      command: "reply",
      ticketId: ticket.id,
      threadId,
      messageId: stored.id,
    }
    // P-EXT-5: a reopening reply moves the ticket in the same write, with its stage-change event.
    const reopen = command.reopen
    if (reopen !== undefined)
      check(
        ws.pipelines.some((p) => p.id === ticket.pipelineId && p.stages.some((st) => st.id === reopen.stageId)),
        `stage "${reopen.stageId}" is not in pipeline "${ticket.pipelineId}"`,
      )
    const next: WorkspaceData = {
      ...bumpVersion(ws, ticket.id),
      tickets: ws.tickets.map((t) =>
        t.id === ticket.id
          ? { ...t, lastActivityAt: stored.createdAt, ...(reopen === undefined ? {} : { stageId: reopen.stageId }) }
          : t,
      ),
      threads,
      attachments,
      idempotency: setIn(ws.idempotency, idempotencyMapKey(claim), record),
    }
    const event = {
      id: command.eventId,
      kind: "reply" as const,
      ticketId: ticket.id,
      messageId: stored.id,
      at: stored.createdAt,
    }
    const replied = withEvent(s, next, event)
    const after =
      reopen === undefined
        ? replied
        : withEvent(replied, workspaceOf(replied, command.workspaceId), {
            id: reopen.eventId,
            kind: "stageChanged",
            ticketId: ticket.id,
            messageId: null,
            at: stored.createdAt,
          })
    return [{ messageId: stored.id, threadId, duplicate: false }, after]
  })

/** A ticket's thread heads, oldest first (ties by id): `threadsOf`, and `get` with the ticket. */
const threadHeadsOf = (ws: WorkspaceData, ticketId: TicketId): Array<ThreadHead> =>
  ws.threads
    .filter((t) => t.head.ticketId === ticketId)
    .map((t) => copy(t.head))
    .sort(byTimeThenId)

/** A thread's messages of kind "message" as a customer reads them (messagesOf, getWithMessages). */
const visibleMessagesOf = (ws: WorkspaceData, messages: ReadonlyArray<StoredMessage>): Array<VisibleMessage> => {
  const authorRef = (m: StoredMessage): PersonRef | null => {
    if (m.author.type === "agent")
      return { id: m.author.id, name: ws.agents.find((a) => a.id === m.author.id)?.name ?? "" }
    const contact = ws.contacts.find((c) => c.id === m.author.id)
    return contact === undefined ? null : contactRef(contact)
  }
  return messages
    .filter((m) => m.kind === "message")
    .map(
      (m): VisibleMessage => ({
        id: m.id,
        createdAt: m.createdAt,
        author: copy(m.author),
        ...authorNames(authorRef(m)),
        text: m.text,
        // Every id of a message has its record (written together, all-or-nothing).
        attachments: m.attachmentIds.flatMap((id): Array<AttachmentMeta> => {
          const found = ws.attachments.get(id)
          return found === undefined ? [] : [{ id, name: found.name, contentType: found.contentType, size: found.size }]
        }),
      }),
    )
    .sort(byTimeThenId)
}

/** `get` and `getWithMessages`: the ticket if the scope may see it, its threads as `threads` reads them. */
const readTicket = <H>(
  s: MemoryState,
  scope: ViewerScope,
  ticketId: TicketId,
  threads: (ws: WorkspaceData) => ReadonlyArray<H>,
) => {
  const ws = s.workspaces.get(scope.workspaceId)
  if (ws === undefined) return Option.none()
  const ticket = ws.tickets.find((t) => t.id === ticketId)
  if (ticket === undefined) return Option.none()
  return Option.map(getTicketPure(ws, scope, ticketId), (summary) => ({
    summary,
    ticket: copy(ticket),
    threads: threads(ws),
    satisfaction: copy(ws.satisfaction?.get(ticketId) ?? null),
  }))
}

export const ticketStore = (db: MemoryDb): TicketStoreShape => ({
  ...ticketSyncs(db),
  list: (scope, query) =>
    Effect.suspend(() => {
      if (query.cursor !== null && Option.isNone(parseCursor(query.cursor, cursorSortOf(query))))
        return Effect.fail(new StorageError({ method: "list", cause: "malformed cursor" }))
      const ws = db.state.workspaces.get(scope.workspaceId)
      return listTicketsPure(ws ?? emptyWorkspace, scope, query).pipe(
        Effect.mapError((cause) => new StorageError({ method: "list", cause })),
        Effect.map(copy),
      )
    }),
  get: (scope, ticketId) => read(db, (s) => readTicket(s, scope, ticketId, (ws) => threadHeadsOf(ws, ticketId))),
  getWithMessages: (scope, ticketId) =>
    read(db, (s) =>
      readTicket(s, scope, ticketId, (ws) =>
        ws.threads
          .filter((t) => t.head.ticketId === ticketId)
          .map((t) => ({ ...copy(t.head), messages: visibleMessagesOf(ws, t.messages) }))
          .sort(byTimeThenId),
      ),
    ),
  getById: (workspaceId, ticketId) =>
    read(db, (s) =>
      Option.fromUndefinedOr(s.workspaces.get(workspaceId)?.tickets.find((t) => t.id === ticketId)).pipe(
        Option.map(copy),
      ),
    ),
  threadsOf: (workspaceId, ticketId) =>
    read(db, (s) => {
      const ws = s.workspaces.get(workspaceId)
      return ws === undefined ? [] : threadHeadsOf(ws, ticketId)
    }),
  messagesOf: (workspaceId, threadId) =>
    read(db, (s) => {
      const ws = s.workspaces.get(workspaceId)
      const thread = ws?.threads.find((t) => t.head.id === threadId)
      return ws === undefined || thread === undefined ? [] : visibleMessagesOf(ws, thread.messages)
    }),
  attachment: (workspaceId, attachmentId) =>
    read(db, (s) =>
      Option.fromUndefinedOr(s.workspaces.get(workspaceId)?.attachments.get(attachmentId)).pipe(Option.map(copy)),
    ),
  // Without expectedVersion no TicketVersionConflict can arise.
  reply: (command) => replyWrite(db, command) as Effect.Effect<ReplyResult, StorageError | Conflict>,
  ...agentMethods(db, (command) => replyWrite(db, command)),
  pruneIdempotencyKeys: (createdBeforeMs, limit) =>
    write(db, "pruneIdempotencyKeys", pruneIdempotency(createdBeforeMs, limit)),
  close: (command) =>
    write(db, "close", (s) => {
      const ws = workspaceOf(s, command.workspaceId)
      const ticket =
        ws.tickets.find((t) => t.id === command.ticketId) ?? abort(`ticket "${command.ticketId}" does not exist`)
      const pipeline = ws.pipelines.find((p) => p.id === ticket.pipelineId)
      check(
        pipeline?.stages.some((st) => st.id === command.stageId) === true,
        `stage "${command.stageId}" is not in pipeline "${ticket.pipelineId}"`,
      )
      const tickets = ws.tickets.map((t) =>
        t.id === ticket.id ? { ...t, stageId: command.stageId, lastActivityAt: command.at } : t,
      )
      const event = {
        id: command.eventId,
        kind: "close" as const,
        ticketId: ticket.id,
        messageId: null,
        at: command.at,
      }
      return [undefined, withEvent(s, bumpVersion({ ...ws, tickets }, ticket.id), event)]
    }),
  satisfactionOf: (workspaceId, ticketId) =>
    read(db, (s) =>
      Option.fromNullishOr(s.workspaces.get(workspaceId)?.satisfaction?.get(ticketId)).pipe(Option.map(copy)),
    ),
  rate: (command) =>
    writeOr<Conflict>()(db, "rate", (s): readonly [undefined, MemoryState] => {
      const ws = workspaceOf(s, command.workspaceId)
      const ticket =
        ws.tickets.find((t) => t.id === command.ticketId) ?? abort(`ticket "${command.ticketId}" does not exist`)
      const rated = ws.satisfaction ?? new Map()
      if (rated.has(ticket.id)) conflict(ALREADY_RATED)
      const next: WorkspaceData = {
        ...bumpVersion(ws, ticket.id),
        satisfaction: setIn(rated, ticket.id as string, command.satisfaction),
      }
      const event = {
        id: command.eventId,
        kind: "ticket.rated" as const,
        ticketId: ticket.id,
        messageId: null,
        at: command.satisfaction.at,
      }
      return [undefined, withEvent(s, next, event)]
    }),
  createTicket: (command) =>
    writeOr<MissingReference | Conflict>()(
      db,
      "createTicket",
      (s): readonly [{ ticketId: TicketId; duplicate: boolean }, MemoryState] => {
        const ws = workspaceOf(s, command.workspaceId)
        const claim = command.idempotency
        const prior = ws.idempotency.get(idempotencyMapKey(claim))
        if (prior !== undefined) {
          // P-SEC-3: only the same request again gets the first result.
          if (prior.command !== "createTicket" || prior.fingerprint !== claim.fingerprint)
            conflict(IDEMPOTENCY_KEY_REUSED)
          return [{ ticketId: prior.ticketId, duplicate: true }, s]
        }
        const ticket = copy(command.ticket)
        check(!ws.tickets.some((t) => t.id === ticket.id), `ticket id "${ticket.id}" already exists`)
        checkTicketReferences(ws, ticket)
        const { id: threadId, inboxId, channel } = command.thread
        check(!ws.threads.some((t) => t.head.id === threadId), `thread id "${threadId}" already exists`)
        checkInbox(ws, inboxId)
        checkAuthor(ws, command.message.author)
        const { stored, attachments } = addMessage(ws, ticket.id, command.message)
        const head = { id: threadId, ticketId: ticket.id, channel, inboxId, createdAt: stored.createdAt }
        const record: IdempotencyRecord = {
          ...claim,
          createdMs: Date.now(),
          command: "createTicket",
          ticketId: ticket.id,
          threadId,
          messageId: stored.id,
        }
        const next: WorkspaceData = {
          ...ws,
          tickets: [...ws.tickets, ticket],
          threads: [...ws.threads, { head, messages: [stored] }],
          attachments,
          idempotency: setIn(ws.idempotency, idempotencyMapKey(claim), record),
        }
        const event = {
          id: command.eventId,
          kind: "ticketCreated" as const,
          ticketId: ticket.id,
          messageId: stored.id,
          at: stored.createdAt,
        }
        return [{ ticketId: ticket.id, duplicate: false }, withEvent(s, next, event)]
      },
    ),
  lastEventSequence: (workspaceId) => read(db, (s) => s.sequences.get(workspaceId) ?? 0),
  events: (workspaceId, afterSequence, limit) =>
    read(db, (s) =>
      (s.workspaces.get(workspaceId)?.events ?? [])
        .filter((e) => e.sequence > afterSequence)
        .slice(0, Math.max(0, limit))
        .map(copy),
    ),
})
