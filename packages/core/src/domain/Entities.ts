/**
 * The helpdesk entities of WORKSPACE_FORMAT.md, each defined once in Effect Schema.
 * Documents, storage adapters and the API all use these shapes.
 */
import { Schema } from "effect"
import {
  AgentId,
  AttachmentId,
  CompanyId,
  ContactId,
  FormId,
  InboxId,
  IsoTime,
  ListId,
  MessageId,
  NoteId,
  PipelineId,
  StageId,
  ThreadId,
  TicketId,
  WorkspaceId,
} from "./Ids.ts"
import { SCHEMA_CHECK_MESSAGES } from "./Issues.ts"

export const Language = Schema.Literals(["ja", "en"])
export type Language = typeof Language.Type

export const HexColor = Schema.String.check(
  Schema.isPattern(/^#[0-9a-fA-F]{6}$/, { message: SCHEMA_CHECK_MESSAGES.invalid_color }),
)

export const Branding = Schema.Struct({
  primaryColor: Schema.optionalKey(HexColor),
  accentColor: Schema.optionalKey(HexColor),
  faviconUrl: Schema.optionalKey(Schema.String),
  logoUrl: Schema.optionalKey(Schema.String),
})
export type Branding = typeof Branding.Type

export const Workspace = Schema.Struct({
  id: WorkspaceId,
  name: Schema.NonEmptyString,
  branding: Schema.optionalKey(Branding),
})
export type Workspace = typeof Workspace.Type

export const Domain = Schema.Struct({
  host: Schema.NonEmptyString,
  language: Language,
})
export type Domain = typeof Domain.Type

export const Permission = Schema.Literals(["portal.settings", "tickets.work"])
export type Permission = typeof Permission.Type

export const Agent = Schema.Struct({
  id: AgentId,
  name: Schema.NonEmptyString,
  email: Schema.NonEmptyString,
  permissions: Schema.optionalKey(Schema.Array(Permission)),
  /** Plain text in a document (demo and tests only); hashed on import, never exported. */
  password: Schema.optionalKey(Schema.String),
  /** The stored login as an argon2id PHC string (P-DATA-1): export writes it, import keeps it. */
  passwordHash: Schema.optionalKey(Schema.String),
})
export type Agent = typeof Agent.Type
/** An agent as the rules see it: no password, plain or hashed. */
export type AgentProfile = Omit<Agent, "password" | "passwordHash">

export const Company = Schema.Struct({ id: CompanyId, name: Schema.NonEmptyString })
export type Company = typeof Company.Type

/**
 * A consent record in a document (WORKSPACE_FORMAT.md, P-CON-2): `text` is the notice shown;
 * `checkboxLabel` and `legalUrl` (this project's additions, optional) keep the rest of what was
 * shown, so that export then import loses nothing.
 */
export const DocumentConsent = Schema.Struct({
  textVersion: Schema.NonEmptyString,
  text: Schema.String,
  checkboxLabel: Schema.optionalKey(Schema.String),
  legalUrl: Schema.optionalKey(Schema.String),
  givenAt: IsoTime,
})
export type DocumentConsent = typeof DocumentConsent.Type

export const Contact = Schema.Struct({
  id: ContactId,
  email: Schema.NonEmptyString,
  firstName: Schema.optionalKey(Schema.String),
  lastName: Schema.optionalKey(Schema.String),
  primaryCompanyId: Schema.optionalKey(CompanyId),
  password: Schema.optionalKey(Schema.String),
  passwordHash: Schema.optionalKey(Schema.String),
  /** The consents the contact gave (P-CON-2), oldest first. */
  consents: Schema.optionalKey(Schema.Array(DocumentConsent)),
  /** P-NOT-3: the contact used an email's unsubscribe link and gets no notification; absent: false. */
  unsubscribed: Schema.optionalKey(Schema.Boolean),
})
export type Contact = typeof Contact.Type
/** A contact without the document's login fields (password, passwordHash, consents). */
export type ContactProfile = Omit<Contact, "password" | "passwordHash" | "consents">

export const ContactList = Schema.Struct({
  id: ListId,
  name: Schema.NonEmptyString,
  contactIds: Schema.Array(ContactId),
})
export type ContactList = typeof ContactList.Type

export const StageState = Schema.Literals(["open", "closed"])
export type StageState = typeof StageState.Type

export const Stage = Schema.Struct({ id: StageId, label: Schema.NonEmptyString, state: StageState })
export type Stage = typeof Stage.Type

export const Pipeline = Schema.Struct({
  id: PipelineId,
  label: Schema.NonEmptyString,
  stages: Schema.Array(Stage),
})
export type Pipeline = typeof Pipeline.Type

export const InboxKind = Schema.Literals(["inbox", "helpdesk"])
export const Inbox = Schema.Struct({ id: InboxId, name: Schema.NonEmptyString, kind: InboxKind })
export type Inbox = typeof Inbox.Type

export const FieldType = Schema.Literals(["text", "textarea", "select", "email", "number", "checkbox"])
export type FieldType = typeof FieldType.Type

export const FormField = Schema.Struct({
  name: Schema.NonEmptyString,
  label: Schema.NonEmptyString,
  type: FieldType,
  required: Schema.Boolean,
  options: Schema.optionalKey(Schema.Array(Schema.String)),
  /** The ticket property the field fills; null for a plain form field. */
  ticketProperty: Schema.NullOr(Schema.NonEmptyString),
})
export type FormField = typeof FormField.Type

export const Form = Schema.Struct({
  id: FormId,
  name: Schema.NonEmptyString,
  /** null: the form is not connected to an inbox or help desk. */
  inboxId: Schema.NullOr(InboxId),
  fields: Schema.Array(FormField),
})
export type Form = typeof Form.Type

export const Ticket = Schema.Struct({
  id: TicketId,
  subject: Schema.String,
  content: Schema.String,
  pipelineId: PipelineId,
  stageId: StageId,
  ownerId: Schema.optionalKey(AgentId),
  requesterId: Schema.optionalKey(ContactId),
  createdAt: IsoTime,
  lastActivityAt: IsoTime,
  properties: Schema.Record(Schema.String, Schema.String),
  contactIds: Schema.Array(ContactId),
  companyIds: Schema.Array(CompanyId),
  /**
   * P-EXT-1 participants (CC): contacts the requester shared the ticket with; they see it and
   * may reply, whatever their company. Absent: none.
   */
  participantIds: Schema.optionalKey(Schema.Array(ContactId)),
})
export type Ticket = typeof Ticket.Type

/** P-EXT-2: a customer's rating of a closed ticket, given once. */
export const SatisfactionRating = Schema.Literals(["good", "bad"])
export type SatisfactionRating = typeof SatisfactionRating.Type
export const Satisfaction = Schema.Struct({
  rating: SatisfactionRating,
  comment: Schema.optionalKey(Schema.String),
  at: IsoTime,
})
export type Satisfaction = typeof Satisfaction.Type

export const Channel = Schema.Literals(["chat", "messenger", "form", "email"])
export type Channel = typeof Channel.Type

export const Author = Schema.Union([
  Schema.Struct({ type: Schema.Literal("contact"), id: ContactId }),
  Schema.Struct({ type: Schema.Literal("agent"), id: AgentId }),
])
export type Author = typeof Author.Type

/** An attachment as a document carries it: bytes inline, base64. */
export const DocumentAttachment = Schema.Struct({
  /** Export writes the stored id and import keeps it, so `/files/<id>` links survive (P-DATA-1). */
  id: Schema.optionalKey(AttachmentId),
  name: Schema.NonEmptyString,
  contentType: Schema.NonEmptyString,
  dataBase64: Schema.String.check(Schema.isBase64()),
})
export type DocumentAttachment = typeof DocumentAttachment.Type

export const MessageKind = Schema.Literals(["message", "comment"])
export type MessageKind = typeof MessageKind.Type

export const Message = Schema.Struct({
  id: MessageId,
  createdAt: IsoTime,
  kind: MessageKind,
  author: Author,
  text: Schema.String,
  attachments: Schema.optionalKey(Schema.Array(DocumentAttachment)),
})
export type Message = typeof Message.Type

export const Thread = Schema.Struct({
  id: ThreadId,
  ticketId: TicketId,
  channel: Channel,
  /** null: an email address not connected to any inbox (P-COM-2). */
  inboxId: Schema.NullOr(InboxId),
  createdAt: IsoTime,
  messages: Schema.Array(Message),
})
export type Thread = typeof Thread.Type

export const Note = Schema.Struct({
  id: NoteId,
  ticketId: TicketId,
  authorId: AgentId,
  createdAt: IsoTime,
  text: Schema.String,
})
export type Note = typeof Note.Type
