/**
 * Tickets and their conversations (threads, messages, internal notes). Reads take the viewer's
 * scope and must apply the visibility predicate in the query itself (index-backed, never "load
 * all then filter"); the storage contract proves each adapter agrees with rules/Visibility.
 * Each write is one transaction; a reference to something the workspace does not have is a
 * MissingReference and writes nothing.
 */
import { Context, type Effect, type Option } from "effect"
import type {
  AgentMessage,
  AgentNote,
  AgentTicketPage,
  AgentTicketQuery,
  AgentTicketRow,
  IdName,
  RequesterRef,
} from "../domain/AgentModels.ts"
import type { Author, Channel, MessageKind, Note, Satisfaction, Ticket } from "../domain/Entities.ts"
import type {
  AgentId,
  AttachmentId,
  ContactId,
  InboxId,
  IsoTime,
  MessageId,
  NoteId,
  StageId,
  ThreadId,
  TicketId,
  WorkspaceId,
} from "../domain/Ids.ts"
import type {
  AttachmentMeta,
  ThreadHead,
  TicketListQuery,
  TicketPage,
  TicketSummary,
  ViewerScope,
  VisibleMessage,
} from "../domain/ReadModels.ts"
import type { IdempotencyClaim } from "../rules/Idempotency.ts"
import type { Conflict, MissingReference, TicketVersionConflict } from "./Errors.ts"
import type { StoreError } from "./WorkspaceStore.ts"

/** An attachment already in the blob store, ready to be tied to a message. */
export interface NewAttachment extends AttachmentMeta {
  readonly blobKey: string
}

export interface NewMessage {
  readonly id: MessageId
  readonly createdAt: IsoTime
  readonly author: Author
  readonly text: string
  readonly attachments: ReadonlyArray<NewAttachment>
}

/**
 * A portal event for the team's inbox and the integration feed (P-ACT-5). "ticketUpdated" and
 * "stageChanged" come from the integration API's writes (upsertTicket, setStage);
 * "message.agent" / "message.customer" from a message (or internal comment) the integration adds
 * to a thread (upsertThread), named by its author's type: the notifications read it (P-NOT-1).
 */
export type PortalEventKind =
  | "reply"
  | "close"
  | "ticketCreated"
  | "ticketUpdated"
  | "stageChanged"
  /** An agent's internal note (events.md: agent-only changes). */
  | "note.added"
  /** An agent gave the ticket another owner, or none (events.md). */
  | "ticket.ownerChanged"
  | "message.agent"
  | "message.customer"
  /** P-EXT-1: the ticket's participants (CC) changed. */
  | "ticket.participantsChanged"
  /** P-EXT-2: a customer rated a closed ticket; the rating is the ticket's satisfaction (read it there). */
  | "ticket.rated"

/**
 * Every event kind, as a value: the integration feed's schema (`GET /api/v1/events`, P-HOOK-3)
 * and docs/api.md are checked against it. A kind added to PortalEventKind must be added here
 * (the compiler says so).
 */
export const PORTAL_EVENT_KINDS = [
  "reply",
  "close",
  "ticketCreated",
  "ticketUpdated",
  "stageChanged",
  "note.added",
  "ticket.ownerChanged",
  "message.agent",
  "message.customer",
  "ticket.participantsChanged",
  "ticket.rated",
] as const satisfies ReadonlyArray<PortalEventKind>
const everyEventKind: [Exclude<PortalEventKind, (typeof PORTAL_EVENT_KINDS)[number]>] extends [never] ? true : never =
  true
void everyEventKind

/** The id of the event of a message an integration added (upsertThread): one per message id. */
export const messageEventId = (messageId: string): string => `evt-msg-${messageId}`

export interface ReplyCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  /** Into the visible thread, or a new email thread in the default inbox (P-ACT-4). */
  readonly thread:
    | { readonly _tag: "Existing"; readonly threadId: ThreadId }
    | { readonly _tag: "New"; readonly threadId: ThreadId; readonly inboxId: InboxId; readonly channel: Channel }
  readonly message: NewMessage
  /**
   * P-SEC-3: the client's key in its (caller, operation) scope. The same scope, key and
   * fingerprint again returns the first result and stores nothing; the same scope and key with
   * another fingerprint (or for another command) is Conflict `idempotency_key_reused`.
   */
  readonly idempotency: IdempotencyClaim
  readonly eventId: string
  /**
   * P-EXT-5: a customer reply that reopens a closed ticket moves it to this stage (of its
   * pipeline) in the reply's transaction, with a "stageChanged" event; a duplicate moves nothing.
   */
  readonly reopen?: { readonly stageId: StageId; readonly eventId: string }
}

/** P-EXT-2: a customer's rating of a ticket; Conflict `already_rated` when it has one. */
export interface RateCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly satisfaction: Satisfaction
  readonly by: ContactId
  readonly eventId: string
}

/** Conflict's reason for a second rating of one ticket (P-EXT-2). */
export const ALREADY_RATED = "already_rated"

export interface ReplyResult {
  readonly messageId: MessageId
  readonly threadId: ThreadId
  readonly duplicate: boolean
}

/** An agent's reply from the agent workspace: a reply made against the version the agent saw (P-AGT-3). */
export interface AgentReplyCommand extends ReplyCommand {
  readonly expectedVersion: number
}

/** P-AGT-3: an internal note with files, written against the version the agent saw. */
export interface AgentNoteCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly expectedVersion: number
  readonly note: {
    readonly id: NoteId
    readonly authorId: AgentId
    readonly createdAt: IsoTime
    readonly text: string
    readonly attachments: ReadonlyArray<NewAttachment>
  }
  /** As ReplyCommand's (P-SEC-3), scope `agent:<id>/note`. */
  readonly idempotency: IdempotencyClaim
  readonly eventId: string
}

/**
 * P-AGT-3: move the ticket to a stage of its pipeline and/or give it an owner (null: nobody),
 * against the version the agent saw. What does not change writes nothing (no event, no version).
 */
export interface UpdateTicketCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly expectedVersion: number
  /** undefined: keep the stage. */
  readonly stageId?: StageId
  /** undefined: keep the owner; null: unassign. */
  readonly ownerId?: AgentId | null
  readonly at: IsoTime
  readonly eventIds: { readonly stage: string; readonly owner: string }
}

export interface VersionedResult {
  /** The ticket's version after the write. */
  readonly version: number
}

/** Every thread of a ticket with every message and comment, and its notes (P-AGT-2). */
export interface Conversation {
  readonly threads: ReadonlyArray<ThreadHead & { readonly messages: ReadonlyArray<AgentMessage> }>
  readonly notes: ReadonlyArray<AgentNote>
  /** The ticket's associated contacts (in the ticket's order) and companies. */
  readonly contacts: ReadonlyArray<RequesterRef>
  readonly companies: ReadonlyArray<IdName>
}

export interface CloseCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly stageId: StageId
  readonly at: IsoTime
  readonly by: ContactId
  readonly eventId: string
}

export interface CreateTicketCommand {
  readonly workspaceId: WorkspaceId
  readonly ticket: Ticket
  readonly thread: { readonly id: ThreadId; readonly inboxId: InboxId; readonly channel: Channel }
  readonly message: NewMessage
  /** As ReplyCommand's (P-SEC-3). */
  readonly idempotency: IdempotencyClaim
  readonly eventId: string
}

/**
 * Create the ticket (no thread needed, P-VIS-6), or update the one with this id: subject,
 * content, pipeline, stage, owner, requester, properties and associations are replaced; the
 * creation time is kept and the last activity only moves forward. An update that changes
 * nothing writes nothing (no event).
 */
export interface UpsertTicketCommand {
  readonly workspaceId: WorkspaceId
  readonly ticket: Ticket
  /** When the sync happened: the event's time. */
  readonly at: IsoTime
  readonly eventId: string
}

/** Move a ticket to any stage of its pipeline, open or closed (same stage: nothing written). */
export interface SetStageCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly stageId: StageId
  readonly at: IsoTime
  readonly eventId: string
}

/** A message synchronised from the helpdesk: a customer-visible message or an internal comment. */
export interface SyncedMessage extends NewMessage {
  readonly kind: MessageKind
}

/**
 * Create a thread of a ticket, or update its channel, inbox and time; messages are added by id
 * (an id already in this thread is kept as stored). The ticket's last activity moves forward to
 * its newest added message.
 */
export interface UpsertThreadCommand {
  readonly workspaceId: WorkspaceId
  readonly thread: ThreadHead
  readonly messages: ReadonlyArray<SyncedMessage>
}

/**
 * P-EXT-1: add and remove participants of a ticket in one transaction (the ticket locked), so two
 * changes at once never lose one. Added ids already there and removed ids not there change
 * nothing; the order is kept (new ones at the end). More than `max` afterwards: nothing is written
 * and the result says `overLimit`. A change writes one "ticket.participantsChanged" event and
 * bumps the ticket's version (its last activity stays).
 */
export interface ChangeParticipantsCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly add: ReadonlyArray<ContactId>
  readonly remove: ReadonlyArray<ContactId>
  readonly max: number
  readonly at: IsoTime
  readonly eventId: string
}

export interface ChangeParticipantsResult {
  readonly changed: boolean
  readonly overLimit: boolean
  /** The participants after the change (before it, when over the limit). */
  readonly participantIds: ReadonlyArray<ContactId>
}

export interface PortalEvent {
  readonly id: string
  readonly workspaceId: WorkspaceId
  readonly kind: PortalEventKind
  readonly ticketId: TicketId
  readonly messageId: MessageId | null
  readonly at: IsoTime
  /** Increasing per workspace; the integration feed pages by it. */
  readonly sequence: number
}

export interface StoredAttachment extends NewAttachment {
  readonly ticketId: TicketId
  readonly messageId: MessageId
}

/** A ticket as `TicketStore.get` reads it for a customer. */
export interface TicketRead {
  readonly summary: TicketSummary
  readonly ticket: Ticket
  /** Every thread of the ticket, oldest first (ties by id): the rules choose the one a customer sees. */
  readonly threads: ReadonlyArray<ThreadHead>
  /** P-EXT-2: its rating, if it has one. */
  readonly satisfaction: Satisfaction | null
}

/**
 * A ticket as `TicketStore.getWithMessages` reads it: `TicketRead`, each thread with its messages
 * of kind "message" as `messagesOf` lists them (never comments, P-COM-3). The rules still choose
 * which thread the customer sees (P-COM-1..4); the others' messages are read, never shown.
 */
export interface TicketConversationRead extends Omit<TicketRead, "threads"> {
  readonly threads: ReadonlyArray<ThreadHead & { readonly messages: ReadonlyArray<VisibleMessage> }>
}

export interface TicketStoreShape {
  readonly list: (scope: ViewerScope, query: TicketListQuery) => Effect.Effect<TicketPage, StoreError>
  /**
   * The ticket if the scope may see it, with what every customer read of it needs — its threads
   * (as `threadsOf` lists them) and its rating (as `satisfactionOf`) — in one read (issue 9);
   * none for a missing or invisible one alike (P-VIS-4).
   */
  readonly get: (scope: ViewerScope, ticketId: TicketId) => Effect.Effect<Option.Option<TicketRead>, StoreError>
  /**
   * `get` with every thread's customer-visible messages, in one read: what a customer's reading
   * of the ticket shows (issue 9: one statement instead of two, the thread chosen after).
   */
  readonly getWithMessages: (
    scope: ViewerScope,
    ticketId: TicketId,
  ) => Effect.Effect<Option.Option<TicketConversationRead>, StoreError>
  /** Unscoped read for agents and integrations. */
  readonly getById: (workspaceId: WorkspaceId, ticketId: TicketId) => Effect.Effect<Option.Option<Ticket>, StoreError>
  readonly threadsOf: (
    workspaceId: WorkspaceId,
    ticketId: TicketId,
  ) => Effect.Effect<ReadonlyArray<ThreadHead>, StoreError>
  /** Messages of kind "message" only (never comments, P-COM-3), oldest first, ties by id. */
  readonly messagesOf: (
    workspaceId: WorkspaceId,
    threadId: ThreadId,
  ) => Effect.Effect<ReadonlyArray<VisibleMessage>, StoreError>
  readonly attachment: (
    workspaceId: WorkspaceId,
    attachmentId: AttachmentId,
  ) => Effect.Effect<Option.Option<StoredAttachment>, StoreError>
  /** Conflict `idempotency_key_reused`: the claim's key was used in its scope for another request. */
  readonly reply: (command: ReplyCommand) => Effect.Effect<ReplyResult, StoreError | Conflict>
  readonly close: (command: CloseCommand) => Effect.Effect<void, StoreError>
  /** P-EXT-2: the ticket's rating, if it has one. */
  readonly satisfactionOf: (
    workspaceId: WorkspaceId,
    ticketId: TicketId,
  ) => Effect.Effect<Option.Option<Satisfaction>, StoreError>
  /** P-EXT-2: store the rating and its "ticket.rated" event in one transaction; once per ticket. */
  readonly rate: (command: RateCommand) => Effect.Effect<void, StoreError | Conflict>
  readonly createTicket: (
    command: CreateTicketCommand,
  ) => Effect.Effect<
    { readonly ticketId: TicketId; readonly duplicate: boolean },
    StoreError | MissingReference | Conflict
  >
  readonly upsertTicket: (
    command: UpsertTicketCommand,
  ) => Effect.Effect<{ readonly created: boolean; readonly changed: boolean }, StoreError | MissingReference>
  /** MissingReference "ticket" for a missing ticket, "stage" for a stage outside its pipeline. */
  readonly setStage: (
    command: SetStageCommand,
  ) => Effect.Effect<{ readonly changed: boolean }, StoreError | MissingReference>
  /**
   * Add an internal note (never shown to customers, P-COM-3). The same note again is
   * `created: false`; another note under a taken id is a Conflict.
   */
  readonly addNote: (
    workspaceId: WorkspaceId,
    note: Note,
  ) => Effect.Effect<{ readonly created: boolean }, StoreError | MissingReference | Conflict>
  /** A thread of another ticket under this id, or a message id of another thread, is a Conflict. */
  readonly upsertThread: (
    command: UpsertThreadCommand,
  ) => Effect.Effect<
    { readonly created: boolean; readonly added: ReadonlyArray<MessageId> },
    StoreError | MissingReference | Conflict
  >
  /** MissingReference "ticket" for a missing ticket, "contact" for an added id with no contact. */
  readonly changeParticipants: (
    command: ChangeParticipantsCommand,
  ) => Effect.Effect<ChangeParticipantsResult, StoreError | MissingReference>
  readonly events: (
    workspaceId: WorkspaceId,
    afterSequence: number,
    limit: number,
  ) => Effect.Effect<ReadonlyArray<PortalEvent>, StoreError>

  /** The workspace's latest event sequence (0 when none): where a live consumer starts. */
  readonly lastEventSequence: (workspaceId: WorkspaceId) => Effect.Effect<number, StoreError>

  // The agent workspace (P-AGT-1..3): the whole workspace, never a customer's scope.
  /** One page of the workspace's tickets, with counts per state (rules/AgentListing.ts says what). */
  readonly agentList: (workspaceId: WorkspaceId, query: AgentTicketQuery) => Effect.Effect<AgentTicketPage, StoreError>
  readonly agentRow: (
    workspaceId: WorkspaceId,
    ticketId: TicketId,
  ) => Effect.Effect<Option.Option<AgentTicketRow>, StoreError>
  /** Threads oldest first (ties by id), messages and comments oldest first, notes oldest first. */
  readonly conversation: (workspaceId: WorkspaceId, ticketId: TicketId) => Effect.Effect<Conversation, StoreError>
  /** A reply as `reply`, refused with TicketVersionConflict when the ticket's version moved on. */
  readonly agentReply: (
    command: AgentReplyCommand,
  ) => Effect.Effect<ReplyResult & VersionedResult, StoreError | Conflict | TicketVersionConflict>
  readonly agentNote: (
    command: AgentNoteCommand,
  ) => Effect.Effect<
    { readonly noteId: NoteId; readonly duplicate: boolean } & VersionedResult,
    StoreError | Conflict | TicketVersionConflict
  >
  /** MissingReference "ticket", "stage" (not in the ticket's pipeline) or "agent" (no such owner). */
  readonly updateTicket: (
    command: UpdateTicketCommand,
  ) => Effect.Effect<
    { readonly changed: boolean } & VersionedResult,
    StoreError | MissingReference | TicketVersionConflict
  >
  /**
   * Housekeeping (issue 12): delete up to `limit` idempotency keys (any workspace) first used at
   * or before `createdBeforeMs` (the store's clock stamps each key when it is claimed: the
   * database's, or the wall clock in memory). Returns how many.
   */
  readonly pruneIdempotencyKeys: (createdBeforeMs: number, limit: number) => Effect.Effect<number, StoreError>
}

export class TicketStore extends Context.Service<TicketStore, TicketStoreShape>()("@portal/core/TicketStore") {}

/**
 * The owner key a note's files are stored under in place of a message id (`note:<noteId>`): a
 * namespace no message of a customer's thread can share, so a note's file never lists as a
 * message's (P-COM-3).
 */
export const noteFilesKey = (noteId: string): string => `note:${noteId}`
