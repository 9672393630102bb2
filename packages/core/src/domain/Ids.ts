/**
 * Branded ids. Every id of WORKSPACE_FORMAT.md is a non-empty string, unique per kind
 * within its workspace; the brand keeps a ticket id from being passed where a contact id is meant.
 * P-SEC-2: an id is one line of at most ID_MAX_LENGTH characters, without control characters or
 * lone surrogates (CheckedText.ts), so no id that reaches a store can break its index or encoding.
 */
import { Schema } from "effect"
import { IdString } from "./CheckedText.ts"
import { SCHEMA_CHECK_MESSAGES } from "./Issues.ts"

export const WorkspaceId = IdString.pipe(Schema.brand("WorkspaceId"))
export type WorkspaceId = typeof WorkspaceId.Type
export const AgentId = IdString.pipe(Schema.brand("AgentId"))
export type AgentId = typeof AgentId.Type
export const CompanyId = IdString.pipe(Schema.brand("CompanyId"))
export type CompanyId = typeof CompanyId.Type
export const ContactId = IdString.pipe(Schema.brand("ContactId"))
export type ContactId = typeof ContactId.Type
export const ListId = IdString.pipe(Schema.brand("ListId"))
export type ListId = typeof ListId.Type
export const PipelineId = IdString.pipe(Schema.brand("PipelineId"))
export type PipelineId = typeof PipelineId.Type
export const StageId = IdString.pipe(Schema.brand("StageId"))
export type StageId = typeof StageId.Type
export const InboxId = IdString.pipe(Schema.brand("InboxId"))
export type InboxId = typeof InboxId.Type
export const FormId = IdString.pipe(Schema.brand("FormId"))
export type FormId = typeof FormId.Type
export const TicketId = IdString.pipe(Schema.brand("TicketId"))
export type TicketId = typeof TicketId.Type
export const ThreadId = IdString.pipe(Schema.brand("ThreadId"))
export type ThreadId = typeof ThreadId.Type
export const MessageId = IdString.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type
export const NoteId = IdString.pipe(Schema.brand("NoteId"))
export type NoteId = typeof NoteId.Type
export const AttachmentId = IdString.pipe(Schema.brand("AttachmentId"))
export type AttachmentId = typeof AttachmentId.Type

/** ISO 8601 time with a zone ("Z" or ±hh:mm), kept as the string the document carries. */
export const IsoTime = Schema.String.check(
  Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: SCHEMA_CHECK_MESSAGES.invalid_time,
  }),
)
export type IsoTime = typeof IsoTime.Type

/** Comparable milliseconds of an IsoTime (the string itself is not comparable across zones). */
export const timeMs = (t: IsoTime): number => Date.parse(t)
