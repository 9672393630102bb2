/**
 * Shapes the use-cases return and the storage ports exchange: ticket list rows, ticket detail,
 * the viewer's scope, list queries and cursors. Defined once here; the API reuses them.
 */
import { Schema } from "effect"
import { Author, Channel, Satisfaction, StageState } from "./Entities.ts"
import {
  AttachmentId,
  CompanyId,
  ContactId,
  InboxId,
  IsoTime,
  MessageId,
  PipelineId,
  StageId,
  ThreadId,
  TicketId,
  WorkspaceId,
} from "./Ids.ts"
import { ACTION_REFUSAL_CODES } from "./Issues.ts"
import { StatusDisplay, TicketFilter } from "./PortalSettings.ts"

/**
 * Who is looking and what they may see, computed by rules/Visibility from the settings:
 * `companyId` is set only where the company scope applies to this contact (P-VIS-2, P-VIS-5).
 */
export const ViewerScope = Schema.Struct({
  workspaceId: WorkspaceId,
  contactId: ContactId,
  companyId: Schema.NullOr(CompanyId),
  filters: Schema.Array(TicketFilter),
})
export type ViewerScope = typeof ViewerScope.Type

/**
 * all: mine ∪ organization ∪ shared; organization: the company's tickets; mine: the contact's
 * (P-VIS-2); shared: the tickets the viewer is a participant of (P-EXT-1, "Shared with me").
 */
export const ListView = Schema.Literals(["all", "organization", "mine", "shared"])
export type ListView = typeof ListView.Type
export const StatusFilter = Schema.Literals(["open", "closed"])
export type StatusFilter = typeof StatusFilter.Type
/** P-EXT-4: the list's sortable columns (rules/Listing.ts says what each one compares). */
export const SortOrder = Schema.Literals(["lastActivity", "created", "subject", "owner", "status"])
export type SortOrder = typeof SortOrder.Type
export const ListDirection = Schema.Literals(["asc", "desc"])
export type ListDirection = typeof ListDirection.Type

export const TicketListQuery = Schema.Struct({
  view: ListView,
  status: Schema.NullOr(StatusFilter),
  /** Case-insensitive substring of subject or content; null or blank: no search. */
  search: Schema.NullOr(Schema.String),
  sort: SortOrder,
  /** Absent: the sort's default (rules/Listing.ts `defaultDirection`: newest first, A→Z). */
  direction: Schema.optionalKey(ListDirection),
  /** What the status column sorts by (the portal's setting; the use-case sets it). Absent: openClosed. */
  statusDisplay: Schema.optionalKey(StatusDisplay),
  cursor: Schema.NullOr(Schema.String),
  limit: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 })),
})
export type TicketListQuery = typeof TicketListQuery.Type

/**
 * A person the portal names: `name` is the display name ("Ken Ito"; a contact without a name
 * shows the email). Contacts also carry the parts they have, so a page can order them for its
 * language (rules/Names.ts `personName`: "伊藤 健" in ja); agents have only `name`.
 */
export const PersonRef = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  firstName: Schema.optionalKey(Schema.String),
  lastName: Schema.optionalKey(Schema.String),
})
export type PersonRef = typeof PersonRef.Type

export const TicketStatus = Schema.Struct({
  pipelineId: PipelineId,
  stageId: StageId,
  stageLabel: Schema.String,
  state: StageState,
})
export type TicketStatus = typeof TicketStatus.Type

/** One row of the ticket list (P-LIST-2's columns). */
export const TicketSummary = Schema.Struct({
  id: TicketId,
  subject: Schema.String,
  requester: Schema.NullOr(PersonRef),
  owner: Schema.NullOr(PersonRef),
  createdAt: IsoTime,
  lastActivityAt: IsoTime,
  status: TicketStatus,
})
export type TicketSummary = typeof TicketSummary.Type

export const TicketPage = Schema.Struct({
  items: Schema.Array(TicketSummary),
  nextCursor: Schema.NullOr(Schema.String),
})
export type TicketPage = typeof TicketPage.Type

export const AttachmentMeta = Schema.Struct({
  id: AttachmentId,
  name: Schema.String,
  contentType: Schema.String,
  size: Schema.Int,
})
export type AttachmentMeta = typeof AttachmentMeta.Type

/** A thread without its messages: what P-COM's thread choice looks at. */
export const ThreadHead = Schema.Struct({
  id: ThreadId,
  ticketId: TicketId,
  channel: Channel,
  inboxId: Schema.NullOr(InboxId),
  createdAt: IsoTime,
})
export type ThreadHead = typeof ThreadHead.Type

export const VisibleMessage = Schema.Struct({
  id: MessageId,
  createdAt: IsoTime,
  author: Author,
  /** The author's display name ("" when the author is gone); contacts also give its parts (PersonRef). */
  authorName: Schema.String,
  authorFirstName: Schema.optionalKey(Schema.String),
  authorLastName: Schema.optionalKey(Schema.String),
  text: Schema.String,
  attachments: Schema.Array(AttachmentMeta),
})
export type VisibleMessage = typeof VisibleMessage.Type

/** P-EXT-1: a participant as the ticket page lists them. */
export const ParticipantRef = Schema.Struct({
  id: ContactId,
  email: Schema.String,
  /** The display name (as PersonRef's: the email when the contact has no name), and its parts. */
  name: Schema.String,
  firstName: Schema.optionalKey(Schema.String),
  lastName: Schema.optionalKey(Schema.String),
})
export type ParticipantRef = typeof ParticipantRef.Type

export const TicketDetail = Schema.Struct({
  ticket: TicketSummary,
  content: Schema.String,
  properties: Schema.Record(Schema.String, Schema.String),
  /** The one thread P-COM lets the customer see, or null (P-VIS-6). */
  thread: Schema.NullOr(ThreadHead),
  messages: Schema.Array(VisibleMessage),
  canReply: Schema.Boolean,
  canClose: Schema.Boolean,
  /** Why the customer may not reply (P-ACT-2, P-ACT-4), or null when they may: a code of ACTION_REFUSAL_CODES. */
  replyRefusal: Schema.NullOr(Schema.Literals(ACTION_REFUSAL_CODES)),
  /** Why the customer may not close (P-ACT-3), or null when they may. */
  closeRefusal: Schema.NullOr(Schema.Literals(ACTION_REFUSAL_CODES)),
  /** P-EXT-1: who the ticket is shared with (absent: nobody, or a preview). */
  participants: Schema.optionalKey(Schema.Array(ParticipantRef)),
  /** P-EXT-1: the viewer is the requester and may add or remove participants. */
  canManageParticipants: Schema.optionalKey(Schema.Boolean),
  /** P-EXT-2: the ticket's rating, once given; and whether the customer may rate it now. */
  satisfaction: Schema.optionalKey(Schema.NullOr(Satisfaction)),
  canRate: Schema.optionalKey(Schema.Boolean),
})
export type TicketDetail = typeof TicketDetail.Type
