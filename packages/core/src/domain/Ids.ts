/**
 * Branded ids. Every id of WORKSPACE_FORMAT.md is a non-empty string, unique per kind
 * within its workspace; the brand keeps a ticket id from being passed where a contact id is meant.
 */
import { Schema } from "effect"
import { SCHEMA_CHECK_MESSAGES } from "./Issues.ts"

export const WorkspaceId = Schema.NonEmptyString.pipe(Schema.brand("WorkspaceId"))
export type WorkspaceId = typeof WorkspaceId.Type
export const AgentId = Schema.NonEmptyString.pipe(Schema.brand("AgentId"))
export type AgentId = typeof AgentId.Type
export const CompanyId = Schema.NonEmptyString.pipe(Schema.brand("CompanyId"))
export type CompanyId = typeof CompanyId.Type
export const ContactId = Schema.NonEmptyString.pipe(Schema.brand("ContactId"))
export type ContactId = typeof ContactId.Type
export const ListId = Schema.NonEmptyString.pipe(Schema.brand("ListId"))
export type ListId = typeof ListId.Type
export const PipelineId = Schema.NonEmptyString.pipe(Schema.brand("PipelineId"))
export type PipelineId = typeof PipelineId.Type
export const StageId = Schema.NonEmptyString.pipe(Schema.brand("StageId"))
export type StageId = typeof StageId.Type
export const InboxId = Schema.NonEmptyString.pipe(Schema.brand("InboxId"))
export type InboxId = typeof InboxId.Type
export const FormId = Schema.NonEmptyString.pipe(Schema.brand("FormId"))
export type FormId = typeof FormId.Type
export const TicketId = Schema.NonEmptyString.pipe(Schema.brand("TicketId"))
export type TicketId = typeof TicketId.Type
export const ThreadId = Schema.NonEmptyString.pipe(Schema.brand("ThreadId"))
export type ThreadId = typeof ThreadId.Type
export const MessageId = Schema.NonEmptyString.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type
export const NoteId = Schema.NonEmptyString.pipe(Schema.brand("NoteId"))
export type NoteId = typeof NoteId.Type
export const AttachmentId = Schema.NonEmptyString.pipe(Schema.brand("AttachmentId"))
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
