/**
 * `portal-workspace/v1` documents: decoding, reference checks and encoding (WORKSPACE_FORMAT.md).
 * Unknown fields are errors naming the JSON path; a dangling reference is an error naming both ids.
 */
import { Data, Effect, Schema, SchemaIssue } from "effect"
import { WEBHOOK_EVENTS, WEBHOOK_SECRET_PATTERN } from "../rules/Webhooks.ts"
import { makeReferenceChecks } from "./DocumentReferences.ts"
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
  const checks = makeReferenceChecks()
  // Each section after the ones it references: nothing waits (DocumentReferences.ts).
  const feed = <T>(section: string, items: ReadonlyArray<T>, check: (item: T) => void) => {
    for (const item of items) check(item)
    checks.complete(section)
  }
  feed("agents", doc.agents, checks.agent)
  feed("companies", doc.companies, checks.company)
  feed("contacts", doc.contacts, checks.contact)
  feed("lists", doc.lists, checks.list)
  feed("pipelines", doc.pipelines, checks.pipeline)
  feed("inboxes", doc.inboxes, checks.inbox)
  feed("forms", doc.forms, checks.form)
  feed("tickets", doc.tickets, checks.ticket)
  feed("threads", doc.threads, checks.thread)
  feed("notes", doc.notes, checks.note)
  feed("domains", doc.domains, checks.domain)
  checks.portal(doc.portal)
  return checks.problems()
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

/**
 * A schema issue as the import lists it, `path: message`, the path under `at` (a record's
 * place in the document, `["tickets", 3]`). A union's members each report their own issues;
 * the same text is listed once.
 */
export const schemaIssueTexts = (issue: SchemaIssue.Issue, at: ReadonlyArray<PropertyKey> = []): Array<string> => [
  ...new Set(
    formatIssues(issue).issues.map((i) => {
      const path = jsonPath([...at, ...((i.path ?? []) as ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>)])
      return path === "" ? i.message : `${path}: ${i.message}`
    }),
  ),
]

/** Decode and validate a document: shape (no unknown fields), then references. */
export const decodeWorkspaceDocument = (input: unknown): Effect.Effect<WorkspaceDocument, InvalidDocument> =>
  decodeShape(input, { onExcessProperty: "error", errors: "all" }).pipe(
    Effect.mapError((e) => new InvalidDocument({ issues: schemaIssueTexts(e.issue) })),
    Effect.flatMap((doc) => {
      const problems = referenceProblems(doc)
      return problems.length === 0 ? Effect.succeed(doc) : Effect.fail(new InvalidDocument({ issues: problems }))
    }),
  )

export const encodeWorkspaceDocument = (doc: WorkspaceDocument): unknown => Schema.encodeSync(WorkspaceDocument)(doc)
