/**
 * `portal-workspace/v1` documents: decoding, reference checks and encoding (WORKSPACE_FORMAT.md).
 * Unknown fields are errors naming the JSON path; a dangling reference is an error naming both ids.
 */
import { Data, Effect, Schema, SchemaIssue } from "effect"
import { WEBHOOK_EVENTS, WEBHOOK_SECRET_PATTERN } from "../rules/Webhooks.ts"
import {
  Agent,
  Company,
  Contact,
  ContactList,
  Domain,
  Form,
  Inbox,
  Note,
  Pipeline,
  Satisfaction,
  Thread,
  Ticket,
  Workspace,
} from "./Entities.ts"
import { PortalSettings } from "./PortalSettings.ts"

export const FORMAT = "portal-workspace/v1" as const

/** P-HOOK-1: an endpoint as the document keeps it (its delivery log and failing state are not kept). */
export const WebhookDocument = Schema.Struct({
  id: Schema.String.check(Schema.isMinLength(1)),
  url: Schema.String.check(Schema.isMinLength(1)),
  events: Schema.Array(Schema.Literals(WEBHOOK_EVENTS)),
  secret: Schema.String.check(Schema.isPattern(WEBHOOK_SECRET_PATTERN, { message: "Expected whsec_<base64>" })),
})
export type WebhookDocument = typeof WebhookDocument.Type
/** A ticket as a document carries it: with the customer's rating, once given (P-EXT-2). */
export const DocumentTicket = Schema.Struct({ ...Ticket.fields, satisfaction: Schema.optionalKey(Satisfaction) })
export type DocumentTicket = typeof DocumentTicket.Type

export const WorkspaceDocument = Schema.Struct({
  format: Schema.Literal(FORMAT),
  workspace: Workspace,
  domains: Schema.Array(Domain),
  agents: Schema.Array(Agent),
  companies: Schema.Array(Company),
  contacts: Schema.Array(Contact),
  lists: Schema.Array(ContactList),
  pipelines: Schema.Array(Pipeline),
  inboxes: Schema.Array(Inbox),
  forms: Schema.Array(Form),
  tickets: Schema.Array(DocumentTicket),
  threads: Schema.Array(Thread),
  notes: Schema.Array(Note),
  portal: PortalSettings,
  webhooks: Schema.optionalKey(Schema.Array(WebhookDocument)),
})
export type WorkspaceDocument = typeof WorkspaceDocument.Type

/** Why a document was refused; `issues` lists every problem with its JSON path or ids. */
export class InvalidDocument extends Data.TaggedError("InvalidDocument")<{
  readonly issues: ReadonlyArray<string>
}> {
  override get message() {
    return `Invalid ${FORMAT} document:\n- ${this.issues.join("\n- ")}`
  }
}

const decodeShape = Schema.decodeUnknownEffect(WorkspaceDocument)

/** Every reference check of the format; returns the problems found (empty: consistent). */
export const referenceProblems = (doc: WorkspaceDocument): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const index = <T extends { readonly id: string }>(kind: string, items: ReadonlyArray<T>) => {
    const ids = new Set<string>()
    for (const item of items) {
      if (ids.has(item.id)) problems.push(`duplicate ${kind} id "${item.id}"`)
      ids.add(item.id)
    }
    return ids
  }
  const agents = index("agent", doc.agents)
  const companies = index("company", doc.companies)
  const contacts = index("contact", doc.contacts)
  const lists = index("list", doc.lists)
  index("pipeline", doc.pipelines)
  const inboxes = index("inbox", doc.inboxes)
  const forms = index("form", doc.forms)
  const tickets = index("ticket", doc.tickets)
  index("thread", doc.threads)
  index("note", doc.notes)
  index("webhook", doc.webhooks ?? [])
  index(
    "message",
    doc.threads.flatMap((t) => t.messages),
  )
  const hosts = new Set<string>()
  for (const d of doc.domains) {
    const host = d.host.toLowerCase()
    if (hosts.has(host)) problems.push(`duplicate domain host "${d.host}"`)
    hosts.add(host)
  }
  const emails = new Set<string>()
  for (const c of doc.contacts) {
    const email = c.email.toLowerCase()
    if (emails.has(email)) problems.push(`duplicate contact email "${c.email}" (contact "${c.id}")`)
    emails.add(email)
  }
  const need = (ok: boolean, text: string) => {
    if (!ok) problems.push(text)
  }
  const stagesOf = new Map(doc.pipelines.map((p) => [p.id as string, new Set(p.stages.map((s) => s.id as string))]))
  for (const p of doc.pipelines) {
    const seen = new Set<string>()
    for (const s of p.stages) {
      need(!seen.has(s.id), `pipeline "${p.id}" has duplicate stage id "${s.id}"`)
      seen.add(s.id)
    }
  }
  for (const c of doc.contacts)
    if (c.primaryCompanyId !== undefined)
      need(companies.has(c.primaryCompanyId), `contact "${c.id}" references missing company "${c.primaryCompanyId}"`)
  for (const l of doc.lists)
    for (const id of l.contactIds) need(contacts.has(id), `list "${l.id}" references missing contact "${id}"`)
  for (const f of doc.forms)
    if (f.inboxId !== null) need(inboxes.has(f.inboxId), `form "${f.id}" references missing inbox "${f.inboxId}"`)
  for (const t of doc.tickets) {
    const stages = stagesOf.get(t.pipelineId)
    if (stages === undefined) problems.push(`ticket "${t.id}" references missing pipeline "${t.pipelineId}"`)
    else
      need(
        stages.has(t.stageId),
        `ticket "${t.id}" references missing stage "${t.stageId}" of pipeline "${t.pipelineId}"`,
      )
    if (t.ownerId !== undefined) need(agents.has(t.ownerId), `ticket "${t.id}" references missing agent "${t.ownerId}"`)
    if (t.requesterId !== undefined)
      need(contacts.has(t.requesterId), `ticket "${t.id}" references missing contact "${t.requesterId}"`)
    for (const id of t.contactIds) need(contacts.has(id), `ticket "${t.id}" references missing contact "${id}"`)
    for (const id of t.companyIds) need(companies.has(id), `ticket "${t.id}" references missing company "${id}"`)
  }
  for (const th of doc.threads) {
    need(tickets.has(th.ticketId), `thread "${th.id}" references missing ticket "${th.ticketId}"`)
    if (th.inboxId !== null) need(inboxes.has(th.inboxId), `thread "${th.id}" references missing inbox "${th.inboxId}"`)
    for (const m of th.messages) {
      const ok = m.author.type === "contact" ? contacts.has(m.author.id) : agents.has(m.author.id)
      need(ok, `message "${m.id}" references missing ${m.author.type} "${m.author.id}"`)
    }
  }
  for (const n of doc.notes) {
    need(tickets.has(n.ticketId), `note "${n.id}" references missing ticket "${n.ticketId}"`)
    need(agents.has(n.authorId), `note "${n.id}" references missing agent "${n.authorId}"`)
  }
  const portal = doc.portal
  const listRefs: Array<string> = []
  if (portal.access.method === "membership" && portal.access.registration === "accessGroups")
    listRefs.push(...portal.access.listIds)
  if (portal.access.method === "sso" && portal.access.audience !== "all")
    listRefs.push(...portal.access.audience.listIds)
  if (typeof portal.ticketScope === "object") listRefs.push(...portal.ticketScope.company.listIds)
  for (const id of listRefs) need(lists.has(id), `portal references missing list "${id}"`)
  if (portal.defaultInboxId !== null)
    need(
      inboxes.has(portal.defaultInboxId),
      `portal.defaultInboxId references missing inbox "${portal.defaultInboxId}"`,
    )
  if (portal.supportForm !== null)
    need(
      forms.has(portal.supportForm.formId),
      `portal.supportForm references missing form "${portal.supportForm.formId}"`,
    )
  for (const [pipelineId, stageId] of Object.entries(portal.actions.closedStageByPipeline ?? {})) {
    const stages = stagesOf.get(pipelineId)
    if (stages === undefined)
      problems.push(`portal.actions.closedStageByPipeline references missing pipeline "${pipelineId}"`)
    else
      need(
        stages.has(stageId),
        `portal.actions.closedStageByPipeline references missing stage "${stageId}" of pipeline "${pipelineId}"`,
      )
  }
  return problems
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A schema issue's path as JSON path text: `tickets[0].colour`, `portal.slug`. */
export const jsonPath = (path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined): string =>
  (path ?? []).reduce<string>((text, p) => {
    const key = typeof p === "object" && p !== null ? p.key : p
    if (typeof key === "number") return `${text}[${key}]`
    const name = String(key)
    return IDENTIFIER.test(name) ? (text === "" ? name : `${text}.${name}`) : `${text}[${JSON.stringify(name)}]`
  }, "")

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/** Decode and validate a document: shape (no unknown fields), then references. */
export const decodeWorkspaceDocument = (input: unknown): Effect.Effect<WorkspaceDocument, InvalidDocument> =>
  decodeShape(input, { onExcessProperty: "error", errors: "all" }).pipe(
    Effect.mapError(
      (e) =>
        new InvalidDocument({
          // A union's members each report their own issues; the same text is listed once.
          issues: [
            ...new Set(
              formatIssues(e.issue).issues.map((i) => {
                const path = jsonPath(i.path)
                return path === "" ? i.message : `${path}: ${i.message}`
              }),
            ),
          ],
        }),
    ),
    Effect.flatMap((doc) => {
      const problems = referenceProblems(doc)
      return problems.length === 0 ? Effect.succeed(doc) : Effect.fail(new InvalidDocument({ issues: problems }))
    }),
  )

export const encodeWorkspaceDocument = (doc: WorkspaceDocument): unknown => Schema.encodeSync(WorkspaceDocument)(doc)
