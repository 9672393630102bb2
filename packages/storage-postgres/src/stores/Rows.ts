/**
 * Rows to domain values: the SELECT lists and mappers shared by the stores and the export.
 * Optional document keys are stored as NULL and left out again when read, so a document
 * round-trips without gaining or losing keys.
 */
import type {
  Agent,
  AgentProfile,
  Branding,
  ContactProfile,
  Domain,
  Form,
  Inbox,
  Pipeline,
  StoredContact,
  Ticket,
  Workspace,
} from "@portal/core"

type R = Record<string, unknown>
const s = (v: unknown): string => v as string

/** `{ key: value }` when value is not null, else `{}`: spreads into an object with optional keys. */
export const opt = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

export const workspaceFrom = (r: R): Workspace =>
  ({ id: s(r.workspace_id), name: s(r.name), ...opt("branding", r.branding as Branding | null) }) as Workspace

/** The form a host is stored and looked up in (a host serves one workspace). */
export const hostKey = (host: string): string => host.toLowerCase()

/** The form an email is compared in (one contact per email in a workspace). */
export const emailKey = (email: string): string => email.toLowerCase()

export const domainFrom = (r: R): Domain => ({ host: s(r.host), language: r.language as Domain["language"] })

export const agentFrom = (r: R): AgentProfile =>
  ({
    id: s(r.agent_id),
    name: s(r.name),
    email: s(r.email),
    ...opt("permissions", r.permissions as Agent["permissions"] | null),
  }) as AgentProfile

export const CONTACT_COLUMNS =
  "contact_id, email, first_name, last_name, primary_company_id, password_hash, unsubscribed"

export const contactFrom = (r: R): ContactProfile =>
  ({
    id: s(r.contact_id),
    email: s(r.email),
    ...opt("firstName", r.first_name as string | null),
    ...opt("lastName", r.last_name as string | null),
    ...opt("primaryCompanyId", r.primary_company_id as string | null),
    ...(r.unsubscribed === true ? { unsubscribed: true } : {}),
  }) as ContactProfile

export const storedContactFrom = (r: R): StoredContact => ({
  ...contactFrom(r),
  passwordHash: (r.password_hash as string | null) ?? null,
})

export const inboxFrom = (r: R): Inbox =>
  ({ id: s(r.inbox_id), name: s(r.name), kind: r.kind as Inbox["kind"] }) as Inbox

export const formFrom = (r: R): Form =>
  ({ id: s(r.form_id), name: s(r.name), inboxId: r.inbox_id ?? null, fields: r.fields as Form["fields"] }) as Form

/** Pipelines with their stages in display order, from two ordered result sets. */
export const pipelinesFrom = (pipelines: ReadonlyArray<R>, stages: ReadonlyArray<R>): Array<Pipeline> => {
  const byPipeline = new Map<string, Array<Pipeline["stages"][number]>>()
  for (const st of stages) {
    const list = byPipeline.get(s(st.pipeline_id)) ?? []
    list.push({ id: s(st.stage_id), label: s(st.label), state: st.state } as Pipeline["stages"][number])
    byPipeline.set(s(st.pipeline_id), list)
  }
  return pipelines.map(
    (p) =>
      ({
        id: s(p.pipeline_id),
        label: s(p.label),
        stages: byPipeline.get(s(p.pipeline_id)) ?? [],
      }) as unknown as Pipeline,
  )
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
]

export const ticketColumns = (alias: string): string => TICKET_COLUMNS.map((c) => `${alias}.${c}`).join(", ")

export const ticketFrom = (r: R): Ticket =>
  ({
    id: s(r.ticket_id),
    subject: s(r.subject),
    content: s(r.content),
    pipelineId: s(r.pipeline_id),
    stageId: s(r.stage_id),
    ...opt("ownerId", r.owner_id as string | null),
    ...opt("requesterId", r.requester_id as string | null),
    createdAt: s(r.created_at),
    lastActivityAt: s(r.last_activity_at),
    properties: r.properties as Record<string, string>,
    contactIds: r.contact_ids as ReadonlyArray<string>,
    companyIds: r.company_ids as ReadonlyArray<string>,
  }) as Ticket
