/**
 * Rows to domain values: the SELECT lists, the Schema of each row (decoded by Sql.ts's
 * findAll/findOne, never cast) and the mappers shared by the stores and the export. Columns
 * decode with core's own schemas (branded ids, IsoTime, PortalSettings' parts), so a value the
 * domain refuses fails as a StorageError at the adapter instead of reaching the rules.
 * Optional document keys are stored as NULL and left out again when read, so a document
 * round-trips without gaining or losing keys.
 */
import {
  AgentId,
  type AgentProfile,
  Branding,
  Channel,
  CompanyId,
  ContactId,
  type ContactProfile,
  type Domain,
  type Form,
  FormField,
  FormId,
  type Inbox,
  InboxId,
  InboxKind,
  IsoTime,
  Language,
  ListId,
  Permission,
  type Pipeline,
  PipelineId,
  type Satisfaction,
  SatisfactionRating,
  StageId,
  StageState,
  ThreadId,
  type Ticket,
  TicketId,
  type Workspace,
  WorkspaceId,
} from "@portal/core/domain"
import type { StoredContact } from "@portal/core/ports"
import { Schema } from "effect"

const NullableText = Schema.NullOr(Schema.String)

/** `{ key: value }` when value is not null, else `{}`: spreads into an object with optional keys. */
export const opt = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/** The form a host is stored and looked up in (a host serves one workspace). */
export const hostKey = (host: string): string => host.toLowerCase()

/** The form an email is compared in (one contact per email in a workspace). */
export const emailKey = (email: string): string => email.toLowerCase()

export const WorkspaceRow = Schema.Struct({
  workspace_id: WorkspaceId,
  name: Schema.NonEmptyString,
  branding: Schema.NullOr(Branding),
})
export const workspaceFrom = (r: typeof WorkspaceRow.Type): Workspace => ({
  id: r.workspace_id,
  name: r.name,
  ...opt("branding", r.branding),
})

export const DomainRow = Schema.Struct({ host: Schema.NonEmptyString, language: Language })
export const domainFrom = (r: typeof DomainRow.Type): Domain => ({ host: r.host, language: r.language })

export const AgentRow = Schema.Struct({
  agent_id: AgentId,
  name: Schema.NonEmptyString,
  email: Schema.NonEmptyString,
  permissions: Schema.NullOr(Schema.Array(Permission)),
})
export const agentFrom = (r: typeof AgentRow.Type): AgentProfile => ({
  id: r.agent_id,
  name: r.name,
  email: r.email,
  ...opt("permissions", r.permissions),
})

export const CONTACT_COLUMNS =
  "contact_id, email, first_name, last_name, primary_company_id, password_hash, unsubscribed"

/** A contact row of CONTACT_COLUMNS. */
export const ContactRow = Schema.Struct({
  contact_id: ContactId,
  email: Schema.NonEmptyString,
  first_name: NullableText,
  last_name: NullableText,
  primary_company_id: Schema.NullOr(CompanyId),
  password_hash: NullableText,
  /** P-NOT-3; absent where a query does not select it. */
  unsubscribed: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
})
export type ContactRow = typeof ContactRow.Type

export const contactFrom = (r: Omit<ContactRow, "password_hash">): ContactProfile => ({
  id: r.contact_id,
  email: r.email,
  ...opt("firstName", r.first_name),
  ...opt("lastName", r.last_name),
  ...opt("primaryCompanyId", r.primary_company_id),
  ...(r.unsubscribed === true ? { unsubscribed: true } : {}),
})

// Added to the fresh contact (every request's caller read): Node 20's `{ ...x, key }` costs 1–2 µs.
export const storedContactFrom = (r: ContactRow): StoredContact =>
  Object.assign(contactFrom(r), { passwordHash: r.password_hash })

export const InboxRow = Schema.Struct({ inbox_id: InboxId, name: Schema.NonEmptyString, kind: InboxKind })
export const inboxFrom = (r: typeof InboxRow.Type): Inbox => ({ id: r.inbox_id, name: r.name, kind: r.kind })

export const FormRow = Schema.Struct({
  form_id: FormId,
  name: Schema.NonEmptyString,
  inbox_id: Schema.NullOr(InboxId),
  fields: Schema.Array(FormField),
})
export const formFrom = (r: typeof FormRow.Type): Form => ({
  id: r.form_id,
  name: r.name,
  inboxId: r.inbox_id,
  fields: r.fields,
})

export const ListRow = Schema.Struct({ list_id: ListId, name: Schema.NonEmptyString })

export const PipelineRow = Schema.Struct({ pipeline_id: PipelineId, label: Schema.NonEmptyString })
export const StageRow = Schema.Struct({
  pipeline_id: PipelineId,
  stage_id: StageId,
  label: Schema.NonEmptyString,
  state: StageState,
})

/** Pipelines with their stages in display order, from two ordered result sets. */
export const pipelinesFrom = (
  pipelines: ReadonlyArray<typeof PipelineRow.Type>,
  stages: ReadonlyArray<typeof StageRow.Type>,
): Array<Pipeline> => {
  const byPipeline = new Map<string, Array<Pipeline["stages"][number]>>()
  for (const st of stages) {
    const list = byPipeline.get(st.pipeline_id) ?? []
    list.push({ id: st.stage_id, label: st.label, state: st.state })
    byPipeline.set(st.pipeline_id, list)
  }
  return pipelines.map((p) => ({ id: p.pipeline_id, label: p.label, stages: byPipeline.get(p.pipeline_id) ?? [] }))
}

export const TICKET_COLUMNS = [
  "ticket_id",
  "subject",
  "content",
  "pipeline_id",
  "stage_id",
  "owner_id",
  "requester_id",
  "created_at",
  "last_activity_at",
  "properties",
  "contact_ids",
  "company_ids",
  "participant_ids",
]

export const ticketColumns = (alias: string): string => TICKET_COLUMNS.map((c) => `${alias}.${c}`).join(", ")

/** A ticket row of TICKET_COLUMNS. */
export const TicketRow = Schema.Struct({
  ticket_id: TicketId,
  subject: Schema.String,
  content: Schema.String,
  pipeline_id: PipelineId,
  stage_id: StageId,
  owner_id: Schema.NullOr(AgentId),
  requester_id: Schema.NullOr(ContactId),
  created_at: IsoTime,
  last_activity_at: IsoTime,
  properties: Schema.Record(Schema.String, Schema.String),
  contact_ids: Schema.Array(ContactId),
  company_ids: Schema.Array(CompanyId),
  participant_ids: Schema.Array(ContactId),
})
export type TicketRow = typeof TicketRow.Type

export const ticketFrom = (r: TicketRow): Ticket => ({
  id: r.ticket_id,
  subject: r.subject,
  content: r.content,
  pipelineId: r.pipeline_id,
  stageId: r.stage_id,
  ...opt("ownerId", r.owner_id),
  ...opt("requesterId", r.requester_id),
  createdAt: r.created_at,
  lastActivityAt: r.last_activity_at,
  properties: r.properties,
  contactIds: r.contact_ids,
  companyIds: r.company_ids,
  // P-EXT-1: absent when nobody is (as documents write it).
  ...(r.participant_ids.length === 0 ? {} : { participantIds: r.participant_ids }),
})

/** A thread's head: `SELECT thread_id, ticket_id, channel, inbox_id, created_at FROM threads`. */
export const ThreadRow = Schema.Struct({
  thread_id: ThreadId,
  ticket_id: TicketId,
  channel: Channel,
  inbox_id: Schema.NullOr(InboxId),
  created_at: IsoTime,
})

/** P-EXT-2: a ticket's rating row. */
export const SatisfactionRow = Schema.Struct({
  ticket_id: TicketId,
  rating: SatisfactionRating,
  comment: Schema.NullOr(Schema.String),
  at: IsoTime,
})
export const satisfactionFrom = (r: typeof SatisfactionRow.Type): Satisfaction => ({
  rating: r.rating,
  ...opt("comment", r.comment),
  at: r.at,
})
