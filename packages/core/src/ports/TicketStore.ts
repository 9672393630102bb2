/**
 * Tickets and their conversations. Reads take the viewer's scope and must apply the visibility
 * predicate in the query itself (index-backed, never "load all then filter"); the storage
 * contract proves each adapter agrees with rules/Visibility. Each write is one transaction.
 */
import { Context, type Effect, type Option } from "effect"
import type { Author, Channel, Ticket } from "../domain/Entities.ts"
import type {
  AttachmentId,
  ContactId,
  InboxId,
  IsoTime,
  MessageId,
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

/** A portal event for the team's inbox and the integration feed (P-ACT-5). */
export type PortalEventKind = "reply" | "close" | "ticketCreated"

export interface ReplyCommand {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  /** Into the visible thread, or a new email thread in the default inbox (P-ACT-4). */
  readonly thread:
    | { readonly _tag: "Existing"; readonly threadId: ThreadId }
    | { readonly _tag: "New"; readonly threadId: ThreadId; readonly inboxId: InboxId; readonly channel: Channel }
  readonly message: NewMessage
  /** A client-supplied key: the same key again returns the first result and stores nothing. */
  readonly idempotencyKey: string
  readonly eventId: string
}

export interface ReplyResult {
  readonly messageId: MessageId
  readonly threadId: ThreadId
  readonly duplicate: boolean
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
  readonly idempotencyKey: string
  readonly eventId: string
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

export interface TicketStoreShape {
  readonly list: (scope: ViewerScope, query: TicketListQuery) => Effect.Effect<TicketPage, StoreError>
  /** The ticket if the scope may see it; none for a missing or invisible one alike (P-VIS-4). */
  readonly get: (
    scope: ViewerScope,
    ticketId: TicketId,
  ) => Effect.Effect<
    Option.Option<{ readonly summary: TicketSummary; readonly ticket: Ticket }>,
    StoreError
  >
  /** Unscoped read for agents and integrations. */
  readonly getById: (workspaceId: WorkspaceId, ticketId: TicketId) => Effect.Effect<Option.Option<Ticket>, StoreError>
  readonly threadsOf: (workspaceId: WorkspaceId, ticketId: TicketId) => Effect.Effect<ReadonlyArray<ThreadHead>, StoreError>
  /** Messages of kind "message" only (never comments, P-COM-3), oldest first, ties by id. */
  readonly messagesOf: (
    workspaceId: WorkspaceId,
    threadId: ThreadId,
  ) => Effect.Effect<ReadonlyArray<VisibleMessage>, StoreError>
  readonly attachment: (
    workspaceId: WorkspaceId,
    attachmentId: AttachmentId,
  ) => Effect.Effect<Option.Option<StoredAttachment>, StoreError>
  readonly reply: (command: ReplyCommand) => Effect.Effect<ReplyResult, StoreError>
  readonly close: (command: CloseCommand) => Effect.Effect<void, StoreError>
  readonly createTicket: (
    command: CreateTicketCommand,
  ) => Effect.Effect<{ readonly ticketId: TicketId; readonly duplicate: boolean }, StoreError>
  readonly events: (
    workspaceId: WorkspaceId,
    afterSequence: number,
    limit: number,
  ) => Effect.Effect<ReadonlyArray<PortalEvent>, StoreError>
}

export class TicketStore extends Context.Service<TicketStore, TicketStoreShape>()("@portal/core/TicketStore") {}
