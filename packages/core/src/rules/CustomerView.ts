/**
 * What a customer may see of their tickets (P-SEC-6): a customer's responses carry only what the
 * portal shows them, and so does the data embedded in the pages built from them.
 * - Status: the state ("open"/"closed") and the StatusLabel of P-LIST-3. The stage's label only
 *   when the portal shows stages (`statusDisplay: "stages"`); never the stage's id or the
 *   pipeline's id, which the portal never shows.
 * - People: the requester as a contact ref (id, display name and its parts); the owner by display
 *   name only; a message's author as "contact" with its id (the page tells the viewer's own
 *   messages by it) or "agent" with no id. No agent id reaches a customer.
 * - The conversation's thread by id, channel and date; not the inbox it came through.
 * - Every name shown to people (subjects, requester and owner, authors, file names, stage labels)
 *   goes through `withoutBidiControls` (rules/Names.ts): no bidirectional control can reorder it.
 * The shapes are Schemas, so the API can state its output; the functions build each value key by
 * key from the use-cases' read models, so a field added there stays internal until added here.
 */
import { Schema } from "effect"
import { Channel, Satisfaction, StageState } from "../domain/Entities.ts"
import { AttachmentId, ContactId, IsoTime, MessageId, ThreadId, TicketId } from "../domain/Ids.ts"
import { ACTION_REFUSAL_CODES } from "../domain/Issues.ts"
import { StatusDisplay } from "../domain/PortalSettings.ts"
import {
  type AttachmentMeta,
  ParticipantRef,
  type PersonRef,
  type ThreadHead,
  type TicketSummary,
  type VisibleMessage,
} from "../domain/ReadModels.ts"
import { withoutBidiControls } from "./Names.ts"
import { type StatusLabel, statusLabel } from "./StatusDisplay.ts"

export const CustomerStatusLabel = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("state"), state: StageState }),
  Schema.Struct({ kind: Schema.Literal("stage"), label: Schema.String, state: StageState }),
])

/** A contact as a customer sees it named (the requester). */
export const CustomerContactRef = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  firstName: Schema.optionalKey(Schema.String),
  lastName: Schema.optionalKey(Schema.String),
})
export type CustomerContactRef = typeof CustomerContactRef.Type

/** The ticket's owner (an agent): the display name only. */
export const CustomerOwnerRef = Schema.Struct({ name: Schema.String })
export type CustomerOwnerRef = typeof CustomerOwnerRef.Type

/** One ticket as the list and the detail page show it. */
export const CustomerTicket = Schema.Struct({
  id: TicketId,
  subject: Schema.String,
  requester: Schema.NullOr(CustomerContactRef),
  owner: Schema.NullOr(CustomerOwnerRef),
  createdAt: IsoTime,
  lastActivityAt: IsoTime,
  status: Schema.Struct({ state: StageState }),
  statusLabel: CustomerStatusLabel,
})
export type CustomerTicket = typeof CustomerTicket.Type

export const CustomerTicketListing = Schema.Struct({
  items: Schema.Array(CustomerTicket),
  nextCursor: Schema.NullOr(Schema.String),
  organizationView: Schema.Boolean,
  /** P-EXT-1: the "Shared with me" view applies (the viewer is a participant of a ticket they see). */
  sharedView: Schema.optionalKey(Schema.Boolean),
  statusDisplay: StatusDisplay,
})
export type CustomerTicketListing = typeof CustomerTicketListing.Type

export const CustomerAttachment = Schema.Struct({
  id: AttachmentId,
  name: Schema.String,
  contentType: Schema.String,
  size: Schema.Int,
})
export type CustomerAttachment = typeof CustomerAttachment.Type

export const CustomerAuthor = Schema.Union([
  Schema.Struct({ type: Schema.Literal("contact"), id: ContactId }),
  Schema.Struct({ type: Schema.Literal("agent") }),
])
export type CustomerAuthor = typeof CustomerAuthor.Type

export const CustomerMessage = Schema.Struct({
  id: MessageId,
  createdAt: IsoTime,
  author: CustomerAuthor,
  authorName: Schema.String,
  authorFirstName: Schema.optionalKey(Schema.String),
  authorLastName: Schema.optionalKey(Schema.String),
  text: Schema.String,
  attachments: Schema.Array(CustomerAttachment),
})
export type CustomerMessage = typeof CustomerMessage.Type

export const CustomerThread = Schema.Struct({ id: ThreadId, channel: Channel, createdAt: IsoTime })
export type CustomerThread = typeof CustomerThread.Type

export const CustomerTicketDetail = Schema.Struct({
  ticket: CustomerTicket,
  content: Schema.String,
  properties: Schema.Record(Schema.String, Schema.String),
  thread: Schema.NullOr(CustomerThread),
  messages: Schema.Array(CustomerMessage),
  canReply: Schema.Boolean,
  canClose: Schema.Boolean,
  replyRefusal: Schema.NullOr(Schema.Literals(ACTION_REFUSAL_CODES)),
  closeRefusal: Schema.NullOr(Schema.Literals(ACTION_REFUSAL_CODES)),
  statusLabel: CustomerStatusLabel,
  /** P-EXT-1: who the ticket is shared with, and whether the viewer (its requester) may change that. */
  participants: Schema.optionalKey(Schema.Array(ParticipantRef)),
  canManageParticipants: Schema.optionalKey(Schema.Boolean),
  /** P-EXT-2: the customer's rating (their own words), and whether they may rate now. */
  satisfaction: Schema.NullOr(Satisfaction),
  canRate: Schema.Boolean,
})
export type CustomerTicketDetail = typeof CustomerTicketDetail.Type

/** P-LIST-3 as a customer may see it: the stage label only under "stages", shown safely. */
export const customerStatusLabel = (
  status: Pick<TicketSummary["status"], "state" | "stageLabel">,
  display: StatusDisplay,
): StatusLabel => {
  const label = statusLabel(status, display)
  return label.kind === "stage"
    ? { kind: "stage", label: withoutBidiControls(label.label), state: label.state }
    : { kind: "state", state: label.state }
}

export const customerContactRef = (ref: PersonRef): CustomerContactRef => ({
  id: ref.id,
  name: withoutBidiControls(ref.name),
  ...(ref.firstName === undefined ? {} : { firstName: withoutBidiControls(ref.firstName) }),
  ...(ref.lastName === undefined ? {} : { lastName: withoutBidiControls(ref.lastName) }),
})

export const customerTicket = (summary: TicketSummary, display: StatusDisplay): CustomerTicket => ({
  id: summary.id,
  subject: withoutBidiControls(summary.subject),
  requester: summary.requester === null ? null : customerContactRef(summary.requester),
  owner: summary.owner === null ? null : { name: withoutBidiControls(summary.owner.name) },
  createdAt: summary.createdAt,
  lastActivityAt: summary.lastActivityAt,
  status: { state: summary.status.state },
  statusLabel: customerStatusLabel(summary.status, display),
})

export const customerTicketListing = (listing: {
  readonly items: ReadonlyArray<TicketSummary>
  readonly nextCursor: string | null
  readonly organizationView: boolean
  readonly sharedView?: boolean
  readonly statusDisplay: StatusDisplay
}): CustomerTicketListing => ({
  items: listing.items.map((t) => customerTicket(t, listing.statusDisplay)),
  nextCursor: listing.nextCursor,
  organizationView: listing.organizationView,
  ...(listing.sharedView === undefined ? {} : { sharedView: listing.sharedView }),
  statusDisplay: listing.statusDisplay,
})

export const customerAttachment = (a: AttachmentMeta): CustomerAttachment => ({
  id: a.id,
  name: withoutBidiControls(a.name),
  contentType: a.contentType,
  size: a.size,
})

export const customerMessage = (m: VisibleMessage): CustomerMessage => ({
  id: m.id,
  createdAt: m.createdAt,
  author: m.author.type === "contact" ? { type: "contact", id: m.author.id } : { type: "agent" },
  authorName: withoutBidiControls(m.authorName),
  ...(m.authorFirstName === undefined ? {} : { authorFirstName: withoutBidiControls(m.authorFirstName) }),
  ...(m.authorLastName === undefined ? {} : { authorLastName: withoutBidiControls(m.authorLastName) }),
  text: m.text,
  attachments: m.attachments.map(customerAttachment),
})

export const customerThread = (thread: ThreadHead): CustomerThread => ({
  id: thread.id,
  channel: thread.channel,
  createdAt: thread.createdAt,
})

/** A ticket's detail (getTicket's TicketView) as the customer may see it. */
export const customerTicketDetail = (
  view: {
    readonly ticket: TicketSummary
    readonly content: string
    readonly properties: Readonly<Record<string, string>>
    readonly thread: ThreadHead | null
    readonly messages: ReadonlyArray<VisibleMessage>
    readonly canReply: boolean
    readonly canClose: boolean
    readonly replyRefusal: CustomerTicketDetail["replyRefusal"]
    readonly closeRefusal: CustomerTicketDetail["closeRefusal"]
    readonly participants?: ReadonlyArray<ParticipantRef>
    readonly canManageParticipants?: boolean
    readonly satisfaction?: CustomerTicketDetail["satisfaction"] | undefined
    readonly canRate?: boolean | undefined
  },
  display: StatusDisplay,
): CustomerTicketDetail => ({
  ticket: customerTicket(view.ticket, display),
  content: view.content,
  properties: { ...view.properties },
  thread: view.thread === null ? null : customerThread(view.thread),
  messages: view.messages.map(customerMessage),
  canReply: view.canReply,
  canClose: view.canClose,
  replyRefusal: view.replyRefusal,
  closeRefusal: view.closeRefusal,
  statusLabel: customerStatusLabel(view.ticket.status, display),
  ...(view.participants === undefined
    ? {}
    : {
        participants: view.participants.map((p) => ({
          id: p.id,
          email: p.email,
          name: withoutBidiControls(p.name),
          ...(p.firstName === undefined ? {} : { firstName: withoutBidiControls(p.firstName) }),
          ...(p.lastName === undefined ? {} : { lastName: withoutBidiControls(p.lastName) }),
        })),
      }),
  ...(view.canManageParticipants === undefined ? {} : { canManageParticipants: view.canManageParticipants }),
  satisfaction: view.satisfaction ?? null,
  canRate: view.canRate ?? false,
})

/**
 * The agents' preview of the customer pages (P-BRAND-1) keeps the stage label (it redraws with a
 * draft's status display), but the names it shows pass the same bidi rule (hole 12a).
 */
export const summaryWithShownNames = <T extends TicketSummary>(t: T): T => ({
  ...t,
  subject: withoutBidiControls(t.subject),
  requester: t.requester === null ? null : { ...t.requester, ...customerContactRef(t.requester) },
  owner: t.owner === null ? null : { ...t.owner, name: withoutBidiControls(t.owner.name) },
  status: { ...t.status, stageLabel: withoutBidiControls(t.status.stageLabel) },
})

export const messageWithShownNames = <M extends VisibleMessage>(m: M): M => ({
  ...m,
  authorName: withoutBidiControls(m.authorName),
  ...(m.authorFirstName === undefined ? {} : { authorFirstName: withoutBidiControls(m.authorFirstName) }),
  ...(m.authorLastName === undefined ? {} : { authorLastName: withoutBidiControls(m.authorLastName) }),
  attachments: m.attachments.map((a) => ({ ...a, name: withoutBidiControls(a.name) })),
})
