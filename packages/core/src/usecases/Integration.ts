/**
 * What the helpdesk pushes into the portal through the integration API (an API token of the
 * workspace; no customer is involved, so no visibility rule applies). Each write is one store
 * command, all-or-nothing; a reference to something the workspace does not have comes back from
 * the store as MissingReference and leaves here as ValidationFailed naming the input's field, so
 * the caller gets a 400 that says what to fix. An agent's reply is `agentReply` (Reply.ts).
 */
import { Effect, Option } from "effect"
import type { Author, Channel, Company, ContactList, Note, Thread, Ticket } from "../domain/Entities.ts"
import type { InboxId, MessageId, PipelineId, StageId, ThreadId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import { fieldIssue } from "../domain/Issues.ts"
import type { BlobStore } from "../ports/BlobStore.ts"
import {
  type Conflict,
  MissingReference,
  type ReferenceKind,
  referenceIssue,
  TicketNotFound,
  ValidationFailed,
} from "../ports/Errors.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { TicketStore } from "../ports/TicketStore.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { idempotencyClaim } from "../rules/Idempotency.ts"
import { invalidateCatalog } from "./Callers.ts"
import { fileFromDocument, storeFiles } from "./Reply.ts"

/** The field of the input a missing reference came from. */
const invalid = (path: string, e: MissingReference) => new ValidationFailed({ issues: [referenceIssue(path, e)] })

const refuseMissing =
  (pathOf: (e: MissingReference) => string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, MissingReference> | ValidationFailed, R> =>
    Effect.mapError(effect, (e) => (e instanceof MissingReference ? invalid(pathOf(e), e) : e)) as never

export interface TicketSync {
  readonly ticket: Ticket
  /** The first conversation of a ticket the portal does not have yet; ignored for an existing one. */
  readonly first?: {
    readonly thread: { readonly id: ThreadId; readonly inboxId: InboxId; readonly channel: Channel }
    readonly message: { readonly id: MessageId; readonly author: Author; readonly text: string }
  }
  readonly idempotencyKey: string
}

const TICKET_PATHS: Partial<Record<ReferenceKind, string>> = {
  pipeline: "ticket.pipelineId",
  stage: "ticket.stageId",
  company: "ticket.companyIds",
  agent: "ticket.ownerId",
  inbox: "thread.inboxId",
}

const ticketPath = (input: TicketSync) => (e: MissingReference) => {
  const author = input.first?.message.author
  if (author !== undefined && author.type === e.kind && author.id === e.id) return "message.author"
  if (e.kind === "contact") return input.ticket.requesterId === e.id ? "ticket.requesterId" : "ticket.contactIds"
  return TICKET_PATHS[e.kind] ?? "ticket"
}

/**
 * Create the ticket (with its first thread and message when given, idempotent by key), or
 * update the one the portal has; an update that changes nothing writes nothing.
 * P-SEC-3: the key is the integration's (`integration/tickets.upsert`) with the fingerprint of
 * the ticket and its first conversation; the same key for another ticket is a Conflict.
 */
export const syncTicket = (
  workspaceId: WorkspaceId,
  input: TicketSync,
): Effect.Effect<
  { readonly ticketId: TicketId; readonly created: boolean },
  ValidationFailed | StoreError | Conflict,
  TicketStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const eventId = yield* (yield* IdGenerator).next("evt")
    const t = input.ticket
    const exists = Option.isSome(yield* tickets.getById(workspaceId, t.id))
    if (exists || input.first === undefined) {
      const at = yield* (yield* Clock).now()
      const result = yield* refuseMissing(ticketPath(input))(
        tickets.upsertTicket({ workspaceId, ticket: t, at, eventId }),
      )
      return { ticketId: t.id, created: result.created }
    }
    const { thread, message } = input.first
    const result = yield* refuseMissing(ticketPath(input))(
      tickets.createTicket({
        workspaceId,
        ticket: t,
        thread,
        message: { ...message, createdAt: t.createdAt, attachments: [] },
        idempotency: idempotencyClaim({ type: "integration" }, "tickets.upsert", input.idempotencyKey, {
          ticket: t,
          first: input.first,
        }),
        eventId,
      }),
    )
    return { ticketId: result.ticketId, created: !result.duplicate }
  })

/** Move a ticket to any stage of its pipeline, open or closed (the helpdesk owns the workflow). */
export const moveTicketToStage = (
  workspaceId: WorkspaceId,
  input: { readonly ticketId: TicketId; readonly stageId: StageId; readonly pipelineId?: PipelineId },
): Effect.Effect<
  { readonly ticketId: TicketId; readonly stageId: StageId },
  TicketNotFound | ValidationFailed | StoreError,
  TicketStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const found = yield* tickets.getById(workspaceId, input.ticketId)
    if (Option.isNone(found)) return yield* new TicketNotFound({ ticketId: input.ticketId })
    const pipelineId = found.value.pipelineId
    if (input.pipelineId !== undefined && input.pipelineId !== pipelineId)
      return yield* new ValidationFailed({
        issues: [
          fieldIssue(
            "pipelineId",
            "pipeline_mismatch",
            `The ticket is in pipeline "${pipelineId}"; use tickets.upsert to move it.`,
            { pipelineId },
          ),
        ],
      })
    yield* tickets
      .setStage({
        workspaceId,
        ticketId: input.ticketId,
        stageId: input.stageId,
        at: yield* (yield* Clock).now(),
        eventId: yield* (yield* IdGenerator).next("evt"),
      })
      .pipe(
        Effect.mapError((e): TicketNotFound | ValidationFailed | StoreError =>
          e._tag !== "MissingReference"
            ? e
            : e.kind === "ticket"
              ? new TicketNotFound({ ticketId: input.ticketId })
              : invalid("stageId", e),
        ),
      )
    return { ticketId: input.ticketId, stageId: input.stageId }
  })

export const syncCompany = (workspaceId: WorkspaceId, company: Company) =>
  Effect.map(
    WorkspaceStore.use((s) => s.upsertCompany(workspaceId, company)),
    (r) => ({ companyId: company.id, created: r.created }),
  )

/** An access group and its members (P-AUTH-2, P-VIS-5); every member must be a known contact. */
export const syncList = (
  workspaceId: WorkspaceId,
  list: ContactList,
): Effect.Effect<{ readonly created: boolean }, ValidationFailed | StoreError, WorkspaceStore> =>
  refuseMissing(() => "contactIds")(WorkspaceStore.use((s) => s.upsertList(workspaceId, list))).pipe(
    Effect.tap(() => invalidateCatalog(workspaceId)),
  )

/** An internal note on a ticket (never shown to customers, P-COM-3). */
export const addNote = (
  workspaceId: WorkspaceId,
  note: Note,
): Effect.Effect<{ readonly created: boolean }, ValidationFailed | Conflict | StoreError, TicketStore> =>
  refuseMissing((e) => (e.kind === "agent" ? "authorId" : "ticketId"))(
    TicketStore.use((s) => s.addNote(workspaceId, note)),
  )

/** A thread as the helpdesk has it (the document's shape): the head, and messages added by id. */
export const syncThread = (
  workspaceId: WorkspaceId,
  thread: Thread,
): Effect.Effect<
  { readonly created: boolean; readonly added: ReadonlyArray<MessageId> },
  ValidationFailed | Conflict | StoreError,
  TicketStore | BlobStore | IdGenerator
> =>
  Effect.gen(function* () {
    const { messages, ...head } = thread
    const synced = yield* Effect.forEach(messages, (m) =>
      Effect.map(storeFiles(workspaceId, (m.attachments ?? []).map(fileFromDocument)), (attachments) => ({
        id: m.id,
        createdAt: m.createdAt,
        kind: m.kind,
        author: m.author,
        text: m.text,
        attachments,
      })),
    )
    const authorPath = (e: MissingReference) => {
      const i = messages.findIndex((m) => m.author.type === e.kind && m.author.id === e.id)
      return i >= 0 ? `messages[${i}].author` : e.kind === "inbox" ? "inboxId" : "ticketId"
    }
    return yield* refuseMissing(authorPath)(
      TicketStore.use((s) => s.upsertThread({ workspaceId, thread: head, messages: synced })),
    )
  })
