/**
 * The TicketStore stub of the use-case tests (World.ts): plain Maps, the pure visibility rule for
 * scoped reads, and the reference checks the ports promise (MissingReference, nothing written).
 */
import { Effect, Option } from "effect"
import {
  type Ticket,
  type TicketId,
  type TicketSummary,
  timeMs,
  type ViewerScope,
  type WorkspaceDocument,
} from "../../src/domain/index.ts"
import { Conflict, MissingReference, type TicketStoreShape } from "../../src/ports/index.ts"
import { applyParticipantChange, canSee, inView } from "../../src/rules/index.ts"
import type { WorldState } from "./World.ts"

export const ticketStoreStub = (doc: WorkspaceDocument, state: WorldState): TicketStoreShape => {
  const person = (id: string | undefined) => {
    const c = id === undefined ? undefined : state.contacts.get(id)
    return c === undefined
      ? null
      : { id: c.id as string, name: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email }
  }
  const summary = (t: Ticket): TicketSummary => {
    const stage = doc.pipelines.find((p) => p.id === t.pipelineId)?.stages.find((s) => s.id === t.stageId)
    const owner = doc.agents.find((a) => a.id === t.ownerId)
    return {
      id: t.id,
      subject: t.subject,
      requester: person(t.requesterId),
      owner: owner === undefined ? null : { id: owner.id, name: owner.name },
      createdAt: t.createdAt,
      lastActivityAt: t.lastActivityAt,
      status: {
        pipelineId: t.pipelineId,
        stageId: t.stageId,
        stageLabel: stage?.label ?? "?",
        state: stage?.state ?? "open",
      },
    }
  }
  const once = <A>(key: string, make: () => A): { value: A; duplicate: boolean } => {
    if (state.idempotency.has(key)) return { value: state.idempotency.get(key) as A, duplicate: true }
    const value = make()
    state.idempotency.set(key, value)
    return { value, duplicate: false }
  }

  const visibleMessages = (threadId: string) =>
    (state.threads.find((t) => t.id === threadId)?.messages ?? [])
      .filter((m) => m.kind === "message")
      .sort((a, b) => timeMs(a.createdAt) - timeMs(b.createdAt))
      .map((m) => ({
        id: m.id,
        createdAt: m.createdAt,
        author: m.author,
        authorName: "",
        text: m.text,
        attachments: [...state.attachments.values()]
          .filter((a) => a.messageId === m.id)
          .map(({ id, name, contentType, size }) => ({ id, name, contentType, size })),
      }))

  type Head = Omit<(typeof state.threads)[number], "messages">
  const readTicket = <H>(call: string, scope: ViewerScope, id: TicketId, thread: (head: Head) => H) =>
    Effect.sync(() => {
      state.calls.push(call)
      const t = state.tickets.get(id)
      return t !== undefined && canSee(t, scope)
        ? Option.some({
            summary: summary(t),
            ticket: t,
            threads: state.threads.filter((h) => h.ticketId === id).map(({ messages: _, ...head }) => thread(head)),
            satisfaction: state.ratings.get(id) ?? null,
          })
        : Option.none()
    })

  const store: Omit<
    TicketStoreShape,
    | "upsertTicket"
    | "setStage"
    | "addNote"
    | "upsertThread"
    | "agentList"
    | "agentRow"
    | "conversation"
    | "agentReply"
    | "agentNote"
    | "updateTicket"
    | "lastEventSequence"
    | "pruneIdempotencyKeys"
  > = {
    list: (scope, query) =>
      Effect.sync(() => {
        state.calls.push("tickets.list")
        const items = [...state.tickets.values()]
          .filter((t) => inView(t, scope, query.view) && canSee({ ...t, contactIds: [...t.contactIds] }, scope))
          .map(summary)
          .filter((s) => query.status === null || s.status.state === query.status)
        return { items, nextCursor: null }
      }),
    get: (scope, id) =>
      // Read with the ticket, as threadsOf and satisfactionOf answer.
      readTicket("tickets.get", scope, id, (head) => head),
    getWithMessages: (scope, id) =>
      readTicket("tickets.getWithMessages", scope, id, (head) => ({ ...head, messages: visibleMessages(head.id) })),
    changeParticipants: (c) =>
      Effect.sync(() => {
        state.calls.push("tickets.changeParticipants")
        const t = state.tickets.get(c.ticketId)
        if (t === undefined) return { changed: false, overLimit: false, participantIds: [] }
        const result = applyParticipantChange(t.participantIds ?? [], c)
        if (result.changed) {
          state.tickets.set(t.id, { ...t, participantIds: result.participantIds })
          state.events.push({ kind: "ticket.participantsChanged", ticketId: t.id })
        }
        return result
      }),
    getById: (_w, id) => Effect.sync(() => Option.fromNullishOr(state.tickets.get(id))),
    threadsOf: (_w, ticketId) =>
      Effect.sync(() => {
        state.calls.push("tickets.threadsOf")
        return state.threads.filter((t) => t.ticketId === ticketId).map(({ messages: _, ...head }) => head)
      }),
    messagesOf: (_w, threadId) =>
      Effect.sync(() => {
        state.calls.push("tickets.messagesOf")
        return visibleMessages(threadId)
      }),
    attachment: (_w, id) => Effect.sync(() => Option.fromNullishOr(state.attachments.get(id))),
    reply: (command) =>
      Effect.sync(() => {
        state.calls.push("tickets.reply")
        const { value, duplicate } = once(`reply:${command.idempotency.scope}:${command.idempotency.key}`, () => {
          state.replies.push(command)
          const { thread, message } = command
          for (const a of message.attachments)
            state.attachments.set(a.id, { ...a, ticketId: command.ticketId, messageId: message.id })
          if (thread._tag === "New")
            state.threads.push({
              id: thread.threadId,
              ticketId: command.ticketId,
              channel: thread.channel,
              inboxId: thread.inboxId,
              createdAt: message.createdAt,
              messages: [],
            })
          state.threads
            .find((t) => t.id === thread.threadId)
            ?.messages.push({
              id: message.id,
              createdAt: message.createdAt,
              kind: "message",
              author: message.author,
              text: message.text,
            })
          const reopen = command.reopen
          const t = state.tickets.get(command.ticketId)
          if (reopen !== undefined && t !== undefined) {
            state.tickets.set(t.id, { ...t, stageId: reopen.stageId })
            state.events.push({ kind: "stageChanged", ticketId: t.id })
          }
          return { messageId: message.id, threadId: thread.threadId }
        })
        return { ...value, duplicate }
      }),
    close: (command) =>
      Effect.sync(() => {
        state.calls.push("tickets.close")
        state.closes.push({ ticketId: command.ticketId, stageId: command.stageId, by: command.by })
        const t = state.tickets.get(command.ticketId)
        if (t !== undefined) state.tickets.set(t.id, { ...t, stageId: command.stageId })
      }),
    satisfactionOf: (_w, ticketId) => Effect.sync(() => Option.fromNullishOr(state.ratings.get(ticketId))),
    rate: (command) =>
      Effect.suspend(() => {
        state.calls.push("tickets.rate")
        if (state.ratings.has(command.ticketId)) return Effect.fail(new Conflict({ reason: "already_rated" }))
        state.ratings.set(command.ticketId, command.satisfaction)
        state.events.push({ kind: "ticket.rated", ticketId: command.ticketId })
        return Effect.void
      }),
    createTicket: (command) =>
      Effect.sync(() => {
        state.calls.push("tickets.createTicket")
        const { value, duplicate } = once(`create:${command.idempotency.scope}:${command.idempotency.key}`, () => {
          state.created.push(command)
          state.tickets.set(command.ticket.id, command.ticket)
          const { message } = command
          state.threads.push({
            ...command.thread,
            ticketId: command.ticket.id,
            createdAt: message.createdAt,
            messages: [{ ...message, kind: "message" }],
          } as never)
          return command.ticket.id
        })
        return { ticketId: value, duplicate }
      }),
    events: () => Effect.succeed([]),
  }

  const missing = (kind: MissingReference["kind"], id: string) => Effect.fail(new MissingReference({ kind, id }))
  const stageOf = (pipelineId: string, stageId: string) =>
    doc.pipelines.find((p) => p.id === pipelineId)?.stages.find((s) => s.id === stageId)
  const syncs: Pick<TicketStoreShape, "upsertTicket" | "setStage" | "addNote" | "upsertThread"> = {
    upsertTicket: ({ ticket, eventId: _ }) =>
      Effect.suspend(() => {
        state.calls.push("tickets.upsertTicket")
        if (stageOf(ticket.pipelineId, ticket.stageId) === undefined) return missing("stage", ticket.stageId)
        const stranger = [...ticket.contactIds, ...(ticket.requesterId ? [ticket.requesterId] : [])].find(
          (id) => !state.contacts.has(id),
        )
        if (stranger !== undefined) return missing("contact", stranger)
        const before = state.tickets.get(ticket.id)
        const next = before === undefined ? ticket : { ...ticket, createdAt: before.createdAt }
        const changed = JSON.stringify(before) !== JSON.stringify(next)
        if (changed) {
          state.tickets.set(ticket.id, next)
          state.events.push({ kind: before === undefined ? "ticketCreated" : "ticketUpdated", ticketId: ticket.id })
        }
        return Effect.succeed({ created: before === undefined, changed })
      }),
    setStage: (c) =>
      Effect.suspend((): Effect.Effect<{ readonly changed: boolean }, MissingReference> => {
        state.calls.push("tickets.setStage")
        const t = state.tickets.get(c.ticketId)
        if (t === undefined) return missing("ticket", c.ticketId)
        if (stageOf(t.pipelineId, c.stageId) === undefined) return missing("stage", c.stageId)
        if (t.stageId === c.stageId) return Effect.succeed({ changed: false })
        state.tickets.set(t.id, { ...t, stageId: c.stageId, lastActivityAt: c.at })
        state.events.push({ kind: "stageChanged", ticketId: t.id })
        return Effect.succeed({ changed: true })
      }),
    addNote: (_w, note) =>
      Effect.suspend((): Effect.Effect<{ readonly created: boolean }, MissingReference | Conflict> => {
        if (!state.tickets.has(note.ticketId)) return missing("ticket", note.ticketId)
        if (!doc.agents.some((a) => a.id === note.authorId)) return missing("agent", note.authorId)
        const prior = state.notes.get(note.id)
        if (prior !== undefined && JSON.stringify(prior) !== JSON.stringify(note))
          return Effect.fail(new Conflict({ reason: "note id taken" }))
        state.notes.set(note.id, note)
        return Effect.succeed({ created: prior === undefined })
      }),
    upsertThread: ({ thread, messages }) =>
      Effect.suspend(() => {
        if (!state.tickets.has(thread.ticketId)) return missing("ticket", thread.ticketId)
        const existing = state.threads.find((t) => t.id === thread.id)
        const target = existing ?? { ...thread, messages: [] }
        if (existing === undefined) state.threads.push(target)
        const added = messages.filter((m) => !target.messages.some((o) => o.id === m.id))
        for (const m of added) {
          const { attachments, ...rest } = m
          target.messages.push(rest)
          for (const a of attachments) state.attachments.set(a.id, { ...a, ticketId: thread.ticketId, messageId: m.id })
        }
        return Effect.succeed({ created: existing === undefined, added: added.map((m) => m.id) })
      }),
  }
  // The agent workspace is tested on the real adapters (storage-contract, apps/server).
  const notStubbed = () => Effect.die("not stubbed: use a storage adapter")
  const agent: Pick<
    TicketStoreShape,
    | "agentList"
    | "agentRow"
    | "conversation"
    | "agentReply"
    | "agentNote"
    | "updateTicket"
    | "lastEventSequence"
    | "pruneIdempotencyKeys"
  > = {
    agentList: notStubbed,
    agentRow: notStubbed,
    conversation: notStubbed,
    agentReply: notStubbed,
    agentNote: notStubbed,
    updateTicket: notStubbed,
    lastEventSequence: notStubbed,
    pruneIdempotencyKeys: notStubbed,
  }
  return { ...store, ...syncs, ...agent }
}
