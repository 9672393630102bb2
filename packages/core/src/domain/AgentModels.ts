/**
 * What the agent workspace reads and writes (P-AGT-1..5): the workspace-wide ticket query, its
 * rows and page (with counts per state), the full ticket as an agent sees it, and the versioned
 * changes. Defined once here; the API and the agent pages reuse them. This is the agent's side of
 * a ticket: nothing here goes through the customer's visibility rule (rules/Visibility.ts).
 */
import { Schema } from "effect"
import { Author, Channel, MessageKind, Satisfaction, StageState } from "./Entities.ts"
import {
  AgentId,
  type CompanyId,
  ContactId,
  InboxId,
  IsoTime,
  MessageId,
  NoteId,
  PipelineId,
  StageId,
  ThreadId,
  TicketId,
} from "./Ids.ts"
import { AttachmentMeta } from "./ReadModels.ts"

/** The owner filter of the list: anyone, nobody, the calling agent ("me") or a given agent. */
export const AgentOwnerFilter = Schema.Literals(["me", "unassigned", "any"])
export type AgentOwnerFilter = typeof AgentOwnerFilter.Type

export const AgentSortColumn = Schema.Literals(["subject", "created", "lastActivity", "status", "owner", "requester"])
export type AgentSortColumn = typeof AgentSortColumn.Type
export const SortDirection = Schema.Literals(["asc", "desc"])
export type SortDirection = typeof SortDirection.Type
export const AgentSort = Schema.Struct({ column: AgentSortColumn, direction: SortDirection })
export type AgentSort = typeof AgentSort.Type

/** The owner condition as the store gets it: "me" is already the calling agent's id. */
export type OwnerCondition =
  | { readonly _tag: "Any" }
  | { readonly _tag: "Unassigned" }
  | { readonly _tag: "Agent"; readonly agentId: AgentId }

/**
 * The workspace-wide list query (P-AGT-1), as the store runs it. Every condition is optional
 * (null: no condition); `state` is the state of the ticket's stage. Counts per state apply every
 * condition but `state` and the cursor.
 */
export interface AgentTicketQuery {
  readonly state: StageState | null
  readonly pipelineId: PipelineId | null
  readonly stageId: StageId | null
  readonly owner: OwnerCondition
  readonly companyId: CompanyId | null
  readonly requesterId: ContactId | null
  /** Case-insensitive substring of subject or content (as the customer list's search). */
  readonly search: string | null
  readonly sort: AgentSort
  readonly cursor: string | null
  readonly limit: number
}

export const IdName = Schema.Struct({ id: Schema.String, name: Schema.String })
export type IdName = typeof IdName.Type
export const IdLabel = Schema.Struct({ id: Schema.String, label: Schema.String })
export type IdLabel = typeof IdLabel.Type

/**
 * A contact as the agent pages show it: `name` in the portal's language (core's `personName`,
 * family name first in Japanese, P-DOM-4) once the use-case has named it; the parts as stored.
 */
export const RequesterRef = Schema.Struct({
  id: ContactId,
  name: Schema.String,
  email: Schema.String,
  firstName: Schema.optionalKey(Schema.String),
  lastName: Schema.optionalKey(Schema.String),
})
export type RequesterRef = typeof RequesterRef.Type

/** One row of the agent's list. `company`: the first company the ticket is associated with. */
export const AgentTicketRow = Schema.Struct({
  id: TicketId,
  subject: Schema.String,
  requester: Schema.NullOr(RequesterRef),
  company: Schema.NullOr(IdName),
  owner: Schema.NullOr(IdName),
  pipeline: IdLabel,
  stage: IdLabel,
  state: StageState,
  createdAt: IsoTime,
  lastActivityAt: IsoTime,
  /** P-AGT-3: bumped by every change of the ticket (agents, customers, integrations). */
  version: Schema.Int,
  /** P-EXT-2: the customer's rating, once given. */
  satisfaction: Schema.optionalKey(Satisfaction),
})
export type AgentTicketRow = typeof AgentTicketRow.Type

export const StateCounts = Schema.Struct({ open: Schema.Int, closed: Schema.Int })
export type StateCounts = typeof StateCounts.Type

export const AgentTicketPage = Schema.Struct({
  items: Schema.Array(AgentTicketRow),
  nextCursor: Schema.NullOr(Schema.String),
  counts: StateCounts,
})
export type AgentTicketPage = typeof AgentTicketPage.Type

/** A message or internal comment of any thread, as an agent reads it (P-AGT-2). */
export const AgentMessage = Schema.Struct({
  id: MessageId,
  kind: MessageKind,
  createdAt: IsoTime,
  author: Author,
  authorName: Schema.String,
  /** A contact author's name parts (the use-case orders them for the portal's language). */
  authorFirstName: Schema.optionalKey(Schema.String),
  authorLastName: Schema.optionalKey(Schema.String),
  text: Schema.String,
  attachments: Schema.Array(AttachmentMeta),
})
export type AgentMessage = typeof AgentMessage.Type

export const AgentThread = Schema.Struct({
  id: ThreadId,
  channel: Channel,
  inboxId: Schema.NullOr(InboxId),
  createdAt: IsoTime,
  /** P-COM-4: the one thread the portal shows (at most one thread of a ticket has it). */
  shownOnPortal: Schema.Boolean,
  messages: Schema.Array(AgentMessage),
})
export type AgentThread = typeof AgentThread.Type

export const AgentNote = Schema.Struct({
  id: NoteId,
  authorId: AgentId,
  authorName: Schema.String,
  createdAt: IsoTime,
  text: Schema.String,
  attachments: Schema.Array(AttachmentMeta),
})
export type AgentNote = typeof AgentNote.Type

/**
 * Who sees the ticket on the portal (P-VIS): its associated contacts, and where the company scope
 * applies, the members of its companies (those the scope covers). `portalEnabled` false: nobody
 * right now, whatever the rules would give.
 */
export const PortalAudience = Schema.Struct({
  portalEnabled: Schema.Boolean,
  /** Whether the ticket passes the portal's ticket filters (P-VIS-3); false: no customer sees it. */
  passesFilters: Schema.Boolean,
  contacts: Schema.Array(RequesterRef),
  /** Companies whose members see it through the company scope (P-VIS-2, P-VIS-5). */
  companies: Schema.Array(IdName),
  /** P-EXT-1: the participants (CC) the requester shared it with; absent: none. */
  participants: Schema.optionalKey(Schema.Array(RequesterRef)),
  /** "contact" or "company" (P-VIS-1/2), "lists" when the company scope is limited (P-VIS-5). */
  scope: Schema.Literals(["contact", "company", "lists"]),
})
export type PortalAudience = typeof PortalAudience.Type

export const PipelineChoice = Schema.Struct({
  id: PipelineId,
  label: Schema.String,
  stages: Schema.Array(Schema.Struct({ id: StageId, label: Schema.String, state: StageState })),
})

/** The full ticket for the agent's ticket page (P-AGT-2), with the choices of its controls. */
export const AgentTicketDetail = Schema.Struct({
  ticket: AgentTicketRow,
  content: Schema.String,
  properties: Schema.Record(Schema.String, Schema.String),
  contacts: Schema.Array(RequesterRef),
  companies: Schema.Array(IdName),
  threads: Schema.Array(AgentThread),
  notes: Schema.Array(AgentNote),
  /** The thread a reply goes into (P-ACT-4): the portal's, else null (a new thread in the default inbox). */
  replyThreadId: Schema.NullOr(ThreadId),
  /** Why an agent's reply cannot be sent (no visible thread and no default inbox), or null. */
  replyRefusal: Schema.NullOr(Schema.Literal("no_default_inbox")),
  audience: PortalAudience,
  choices: Schema.Struct({
    /** Only the ticket's pipeline: the stage control moves within it. */
    pipelines: Schema.Array(PipelineChoice),
    agents: Schema.Array(IdName),
  }),
})
export type AgentTicketDetail = typeof AgentTicketDetail.Type

/** The stable code of a change made against an old version (P-AGT-3), also the API's `reason`. */
export const TICKET_VERSION_CONFLICT = "ticket_version_conflict"
