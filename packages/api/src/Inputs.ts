/**
 * The input shapes of the procedures, as Effect Schemas handed to tRPC through Standard Schema
 * (`Schema.toStandardSchemaV1`). Domain shapes come from @portal/core (ids, list query parts,
 * PortalSettings, Consent); only the envelopes are declared here, where core's use-cases take
 * plain TypeScript interfaces. Unknown keys are refused and every issue is reported.
 * Lengths are capped generously here (to refuse absurd payloads early); the real rules (password
 * length, reply size, …) are core's and come back as ValidationFailed with their paths.
 * P-SEC-2: every string is one of core's checked strings (domain/CheckedText.ts): `Line` (no
 * control character), `Text` (tab and line breaks allowed), ids (checked lines of at most 255),
 * and every input as a whole passes `CheckedStrings` (each string and key of the decoded value,
 * the document-shaped ones included), so NUL, lone surrogates and over-long values are a 400
 * with a code (`invalid_characters`, `invalid_unicode`, `too_long`) before any store is asked.
 */
import {
  AgentId,
  AgentOwnerFilter,
  AgentSort,
  AgentSortColumn,
  Author,
  Channel,
  CheckedStrings,
  Company,
  CompanyId,
  Consent,
  ContactId,
  ContactList,
  InboxId,
  Language,
  Line,
  ListDirection,
  ListView,
  MessageId,
  Note,
  PipelineId,
  PortalSettings,
  SortDirection,
  SortOrder,
  StageId,
  StageState,
  StatusDisplay,
  StatusFilter,
  Text,
  Thread,
  ThreadId,
  Ticket,
  TicketId,
  tooLongMessage,
} from "@portal/core/domain"
import { Schema } from "effect"

/** Each procedure's parser → the Effect Schema it checks (the fuzz suite derives its inputs from it). */
const schemas = new WeakMap<object, Schema.Top>()

/** The Effect Schema behind a procedure's input parser, if it was made by `input`/`optionalInput`. */
export const inputSchemaOf = (parser: unknown): Schema.Top | undefined =>
  (typeof parser === "object" && parser !== null) || typeof parser === "function" ? schemas.get(parser) : undefined

export const input = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) => {
  const parser = Schema.toStandardSchemaV1(schema.check(CheckedStrings as never) as unknown as S, {
    parseOptions: { onExcessProperty: "error", errors: "all" },
  })
  schemas.set(parser, schema)
  return parser
}

/** One line (names, emails, search terms, cursors, keys) and free text (messages), core's checked strings. */
const capped = Line
const Email = Line(320)
const Password = Line(1024)
const Token = Line(512)
const IdempotencyKey = Line(200).check(Schema.isMinLength(1))

export const SignInInput = Schema.Struct({ email: Email, password: Password })
export const RegisterInput = Schema.Struct({
  email: Email,
  password: Password,
  firstName: capped(200),
  lastName: capped(200),
  consent: Schema.Boolean,
})
export const TokenPasswordInput = Schema.Struct({ token: Token, password: Password })
export const EmailInput = Schema.Struct({ email: Email })
/** P-EXT-6: ask for a sign-in link; `next` is kept in the link only when it is a path of the portal (P-SEC-1). */
export const SignInLinkInput = Schema.Struct({ email: Email, next: Schema.optionalKey(Schema.NullOr(capped(2000))) })
/** P-AUTH-3: a registration link's token. */
export const TokenInput = Schema.Struct({ token: Token })

/** An input whose every field is optional may be left out entirely (`undefined`). */
export const optionalInput = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) =>
  input(Schema.UndefinedOr(schema))

export const TicketListInput = Schema.Struct({
  status: Schema.optionalKey(Schema.NullOr(StatusFilter)),
  q: Schema.optionalKey(Schema.NullOr(capped(200))),
  view: Schema.optionalKey(ListView),
  sort: Schema.optionalKey(SortOrder),
  /** P-EXT-4: absent, the sort's default (times newest first, texts A→Z). */
  direction: Schema.optionalKey(ListDirection),
  cursor: Schema.optionalKey(Schema.NullOr(capped(500))),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))),
  /** Agents only (P-AUTH-7 preview): see the list as this contact would, read-only. */
  asContactId: Schema.optionalKey(ContactId),
})
export type TicketListInput = typeof TicketListInput.Type

export const TicketIdInput = Schema.Struct({
  ticketId: TicketId,
  asContactId: Schema.optionalKey(ContactId),
})

/** 25 MiB of files is about 35 MB of base64; the per-file and total limits are core's (Reply.ts). */
export const AttachmentInput = Schema.Struct({
  name: capped(1000),
  contentType: capped(255),
  dataBase64: Schema.String.check(Schema.isMaxLength(36 * 1024 * 1024), Schema.isBase64()),
})

/** The files of a checked input (reply, note, form) as core's use-cases take them: the bytes decoded. */
export const filesOf = (files: ReadonlyArray<typeof AttachmentInput.Type> = []) =>
  files.map((a) => ({
    name: a.name,
    contentType: a.contentType,
    bytes: new Uint8Array(Buffer.from(a.dataBase64, "base64")),
  }))
export const ReplyInput = Schema.Struct({
  ticketId: TicketId,
  text: Text(100_000),
  attachments: Schema.optionalKey(Schema.Array(AttachmentInput).check(Schema.isMaxLength(50))),
  idempotencyKey: IdempotencyKey,
})
export const CloseInput = Schema.Struct({ ticketId: TicketId })
/** P-EXT-1: emails to share a ticket with (core allows 20 per ticket; more than 50 is refused here). */
const ParticipantEmails = Schema.Array(Email).check(Schema.isMaxLength(50))
export const ParticipantsAddInput = Schema.Struct({ ticketId: TicketId, emails: ParticipantEmails })
export const ParticipantRemoveInput = Schema.Struct({ ticketId: TicketId, contactId: ContactId })
/** P-EXT-2: the rating is checked by core (good or bad, comment length); the comment's characters here. */
export const RateInput = Schema.Struct({
  ticketId: TicketId,
  rating: Schema.String.check(Schema.isMaxLength(10, { message: tooLongMessage(10) })),
  comment: Schema.optionalKey(Text(10_000)),
})

export const FormSubmitInput = Schema.Struct({
  // The keys' characters are checked by CheckedStrings (a key as a line), with its path.
  values: Schema.Record(
    Schema.String.check(Schema.isMaxLength(200, { message: tooLongMessage(200) })),
    Schema.Union([Text(100_000), Schema.Finite, Schema.Boolean]),
  ),
  idempotencyKey: IdempotencyKey,
  /** P-EXT-1: colleagues to share the new ticket with (CC). */
  cc: Schema.optionalKey(ParticipantEmails),
  /** P-EXT-3: as a reply's (core checks count and sizes). */
  attachments: Schema.optionalKey(Schema.Array(AttachmentInput).check(Schema.isMaxLength(50))),
})

export const SettingsUpdateInput = Schema.Struct({ settings: PortalSettings, version: Schema.Int })
export const VersionInput = Schema.Struct({ version: Schema.Int })

/** P-NOT-3: the contact an admin subscribes to notification emails again. */
export const ResubscribeInput = Schema.Struct({ contactId: ContactId })
export const ConsentUpdateInput = Schema.Struct({ consent: Schema.NullOr(Consent), version: Schema.Int })
export const DomainsInput = Schema.Struct({
  domains: Schema.Array(Schema.Struct({ host: Line(253).check(Schema.isMinLength(1)), language: Language })).check(
    Schema.isMaxLength(20),
  ),
})
/**
 * P-BRAND-3: the Branding's keys as plain strings, so that a wrong colour or address is core's
 * issue (`invalid_color`, `invalid_url`, `too_long` at `branding.<key>`), not a schema error.
 */
export const BrandingInput = Schema.Struct({
  primaryColor: Schema.optionalKey(capped(100)),
  accentColor: Schema.optionalKey(capped(100)),
  faviconUrl: Schema.optionalKey(capped(10_000)),
  logoUrl: Schema.optionalKey(capped(10_000)),
})
export const InviteInput = Schema.Struct({ includeRegistered: Schema.optionalKey(Schema.Boolean) })

export const PreviewInput = Schema.Struct({
  page: Schema.Literals(["list", "detail", "form"]),
  /** "sample": made-up tickets; otherwise the real data a given contact would see. */
  source: Schema.Union([Schema.Literal("sample"), Schema.Struct({ contactId: ContactId })]),
  ticketId: Schema.optionalKey(TicketId),
  /** Sample data only: label the statuses as this display would (a draft not saved yet); default the saved one. */
  statusDisplay: Schema.optionalKey(StatusDisplay),
})

export const EventsInput = Schema.Struct({
  after: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 500 }))),
})

/**
 * Create a ticket (with its first thread and message, both or neither), or update the one with
 * this id (the thread and message are then ignored).
 */
export const IntegrationTicketInput = Schema.Struct({
  ticket: Ticket,
  thread: Schema.optionalKey(
    Schema.Struct({ id: ThreadId.check(Schema.isMaxLength(200)), inboxId: InboxId, channel: Channel }),
  ),
  message: Schema.optionalKey(
    Schema.Struct({
      id: MessageId.check(Schema.isMaxLength(200)),
      author: Author,
      text: Text(100_000),
    }),
  ),
  idempotencyKey: IdempotencyKey,
})

/** An agent's reply, shown to the customer in the ticket's visible thread (P-COM). */
export const IntegrationMessageInput = Schema.Struct({
  ticketId: TicketId,
  agentId: AgentId,
  text: Text(100_000),
  attachments: Schema.optionalKey(Schema.Array(AttachmentInput).check(Schema.isMaxLength(50))),
  idempotencyKey: IdempotencyKey,
})

/** Create or update a contact by email (CRM sync); the password, if any, is never touched. */
export const IntegrationContactInput = Schema.Struct({
  id: ContactId,
  email: Email,
  firstName: Schema.optionalKey(capped(200)),
  lastName: Schema.optionalKey(capped(200)),
  primaryCompanyId: Schema.optionalKey(CompanyId),
})

/** CRM data and conversations in the document's own shapes (WORKSPACE_FORMAT.md). */
export const IntegrationCompanyInput = Company
export const IntegrationListInput = ContactList
export const IntegrationNoteInput = Note
export const IntegrationThreadInput = Thread

export const IntegrationStageInput = Schema.Struct({
  ticketId: TicketId,
  pipelineId: Schema.optionalKey(PipelineId),
  stageId: StageId,
})

/** P-AGT-1: the agent's list; every filter optional (`owner` "any" by default, `ownerId` wins over it). */
export const AgentTicketListInput = Schema.Struct({
  state: Schema.optionalKey(Schema.NullOr(StageState)),
  pipelineId: Schema.optionalKey(Schema.NullOr(PipelineId)),
  stageId: Schema.optionalKey(Schema.NullOr(StageId)),
  owner: Schema.optionalKey(AgentOwnerFilter),
  ownerId: Schema.optionalKey(Schema.NullOr(AgentId)),
  companyId: Schema.optionalKey(Schema.NullOr(CompanyId)),
  requesterId: Schema.optionalKey(Schema.NullOr(ContactId)),
  search: Schema.optionalKey(Schema.NullOr(capped(200))),
  sort: Schema.optionalKey(AgentSort),
  cursor: Schema.optionalKey(Schema.NullOr(capped(4000))),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))),
})
export type AgentTicketListInput = typeof AgentTicketListInput.Type

export const AgentTicketIdInput = Schema.Struct({ ticketId: TicketId })

const TicketVersion = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** P-AGT-3: a reply or an internal note, against the ticket's version the agent saw. */
export const AgentMessageInput = Schema.Struct({
  ticketId: TicketId,
  version: TicketVersion,
  text: Text(100_000),
  attachments: Schema.optionalKey(Schema.Array(AttachmentInput).check(Schema.isMaxLength(50))),
  idempotencyKey: IdempotencyKey,
})

/** P-AGT-3: stage and/or owner (null: unassign); closing is moving to a closed stage. */
export const AgentUpdateInput = Schema.Struct({
  ticketId: TicketId,
  version: TicketVersion,
  stageId: Schema.optionalKey(StageId),
  ownerId: Schema.optionalKey(Schema.NullOr(AgentId)),
})

/**
 * P-HOOK-3: the integration's ticket list (`integration.tickets.list`, `GET /api/v1/tickets`): the
 * agent list's filters, flat (one value each, so a query string carries them), without "me".
 */
export const IntegrationTicketListInput = Schema.Struct({
  state: Schema.optionalKey(StageState),
  pipelineId: Schema.optionalKey(PipelineId),
  stageId: Schema.optionalKey(StageId),
  owner: Schema.optionalKey(Schema.Literals(["any", "unassigned"])),
  ownerId: Schema.optionalKey(AgentId),
  companyId: Schema.optionalKey(CompanyId),
  requesterId: Schema.optionalKey(ContactId),
  search: Schema.optionalKey(capped(200)),
  sort: Schema.optionalKey(AgentSortColumn),
  direction: Schema.optionalKey(SortDirection),
  cursor: Schema.optionalKey(capped(4000)),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))),
})
