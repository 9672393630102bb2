/**
 * The reference and duplicate checks of a `portal-workspace/v1` document, one record at a time,
 * so that a streamed import (a document larger than memory) and a parsed one say the same
 * problems in the same words. Ids are kept in IdSets. A reference to a section not yet complete
 * (the document's key order is free: `threads` may come before `tickets`) waits until `problems()`,
 * when every section is complete; a document in the canonical order (the export's) keeps none.
 * Problems are grouped as `referenceProblems` always listed them: duplicates by kind, hosts,
 * emails, stages, then references by section.
 *
 * `storeChecks` (a streamed import into a database, `portal import`): the ids of the three
 * largest kinds (tickets, threads, messages: 5,000,000 ids for 1,000,000 tickets) are not kept;
 * the store checks them instead, their duplicates at its primary keys and the tickets that threads
 * and notes reference in SQL before COMMIT, with the same words (storage-postgres ImportStream.ts).
 * Memory then grows only with the smaller sections (contacts, companies, notes).
 */
import type {
  Agent,
  Company,
  Contact,
  ContactList,
  Domain,
  Form,
  Inbox,
  Note,
  Pipeline,
  Thread,
  Ticket,
} from "./Entities.ts"
import { IdSet } from "./IdSet.ts"
import type { PortalSettings } from "./PortalSettings.ts"

/** Past this many problems the rest are counted, not kept (a broken document of a million records). */
export const MAX_PROBLEMS = 10_000

const KINDS = [
  "agent",
  "company",
  "contact",
  "list",
  "pipeline",
  "inbox",
  "form",
  "ticket",
  "thread",
  "note",
  "message",
] as const
type Kind = (typeof KINDS)[number]
const BUCKETS = [
  ...KINDS.map((k) => `dup:${k}`),
  "host",
  "email",
  "stage",
  "ref:contacts",
  "ref:lists",
  "ref:forms",
  "ref:tickets",
  "ref:threads",
  "ref:notes",
  "ref:portal",
] as const
type Bucket = (typeof BUCKETS)[number]

/** The kinds whose ids the store checks when asked to (`storeChecks`). */
const STORE_CHECKED_KINDS: ReadonlySet<Kind> = new Set(["ticket", "thread", "message"])

export interface ReferenceCheckOptions {
  /** The store checks the ticket, thread and message ids (duplicates, references to tickets): keep none of them. */
  readonly storeChecks?: boolean
}

/** The sections whose ids references point at, and the kinds of id each holds. */
const SECTION_KINDS = {
  agents: ["agent"],
  companies: ["company"],
  contacts: ["contact"],
  lists: ["list"],
  pipelines: ["pipeline"],
  inboxes: ["inbox"],
  forms: ["form"],
  tickets: ["ticket"],
} as const satisfies Record<string, ReadonlyArray<Kind>>

export interface ReferenceChecks {
  readonly agent: (a: Agent) => void
  readonly company: (c: Company) => void
  readonly contact: (c: Contact) => void
  readonly list: (l: ContactList) => void
  readonly pipeline: (p: Pipeline) => void
  readonly inbox: (i: Inbox) => void
  readonly form: (f: Form) => void
  readonly ticket: (t: Ticket) => void
  readonly thread: (th: Thread) => void
  readonly note: (n: Note) => void
  readonly domain: (d: Domain) => void
  readonly portal: (p: PortalSettings) => void
  /** Every record of `section` has been given: references to it are checked at once from now on. */
  readonly complete: (section: string) => void
  /** Every problem found, after the waiting references are checked against the complete sets. */
  readonly problems: () => ReadonlyArray<string>
  /** How many problems were found so far (the waiting references aside). */
  readonly found: () => number
}

export const makeReferenceChecks = (options: ReferenceCheckOptions = {}): ReferenceChecks => {
  const skipped = (kind: Kind) => options.storeChecks === true && STORE_CHECKED_KINDS.has(kind)
  const ids = Object.fromEntries(KINDS.map((k) => [k, new IdSet()])) as Record<Kind, IdSet>
  const buckets = new Map<Bucket, Array<string>>(BUCKETS.map((b) => [b, []]))
  const completeKinds = new Set<Kind>()
  const waiting: Array<{ readonly bucket: Bucket; readonly check: () => string | null }> = []
  const stagesOf = new Map<string, Set<string>>()
  const hosts = new IdSet()
  const emails = new IdSet()
  let kept = 0
  let more = 0

  const push = (bucket: Bucket, problem: string) => {
    if (kept >= MAX_PROBLEMS) more += 1
    else {
      kept += 1
      buckets.get(bucket)?.push(problem)
    }
  }
  const index = (kind: Kind, id: string) => {
    if (skipped(kind)) return
    if (!ids[kind].add(id)) push(`dup:${kind}`, `duplicate ${kind} id "${id}"`)
  }
  /** `check` once every kind it reads is complete (now, or in problems()). */
  const when = (kinds: ReadonlyArray<Kind>, bucket: Bucket, check: () => string | null) => {
    if (kinds.every((k) => completeKinds.has(k))) {
      const problem = check()
      if (problem !== null) push(bucket, problem)
    } else waiting.push({ bucket, check })
  }
  const need = (kind: Kind, id: string, bucket: Bucket, text: () => string) => {
    if (skipped(kind)) return
    when([kind], bucket, () => (ids[kind].has(id) ? null : text()))
  }
  const stageProblem = (pipelineId: string, stageId: string, subject: string): string | null => {
    const stages = stagesOf.get(pipelineId)
    if (stages === undefined) return `${subject} references missing pipeline "${pipelineId}"`
    return stages.has(stageId) ? null : `${subject} references missing stage "${stageId}" of pipeline "${pipelineId}"`
  }

  return {
    agent: (a) => index("agent", a.id),
    company: (c) => index("company", c.id),
    contact: (c) => {
      index("contact", c.id)
      if (!emails.add(c.email.toLowerCase())) push("email", `duplicate contact email "${c.email}" (contact "${c.id}")`)
      const company = c.primaryCompanyId
      if (company !== undefined)
        need("company", company, "ref:contacts", () => `contact "${c.id}" references missing company "${company}"`)
    },
    list: (l) => {
      index("list", l.id)
      for (const id of l.contactIds)
        need("contact", id, "ref:lists", () => `list "${l.id}" references missing contact "${id}"`)
    },
    pipeline: (p) => {
      index("pipeline", p.id)
      const seen = new Set<string>()
      for (const s of p.stages) {
        if (seen.has(s.id)) push("stage", `pipeline "${p.id}" has duplicate stage id "${s.id}"`)
        seen.add(s.id)
      }
      // Two pipelines of one id (a duplicate, reported above): the last one's stages count.
      stagesOf.set(p.id, seen)
    },
    inbox: (i) => index("inbox", i.id),
    form: (f) => {
      index("form", f.id)
      const inbox = f.inboxId
      if (inbox !== null) need("inbox", inbox, "ref:forms", () => `form "${f.id}" references missing inbox "${inbox}"`)
    },
    ticket: (t) => {
      index("ticket", t.id)
      when(["pipeline"], "ref:tickets", () => stageProblem(t.pipelineId, t.stageId, `ticket "${t.id}"`))
      const owner = t.ownerId
      if (owner !== undefined)
        need("agent", owner, "ref:tickets", () => `ticket "${t.id}" references missing agent "${owner}"`)
      const requester = t.requesterId
      if (requester !== undefined)
        need("contact", requester, "ref:tickets", () => `ticket "${t.id}" references missing contact "${requester}"`)
      for (const id of t.contactIds)
        need("contact", id, "ref:tickets", () => `ticket "${t.id}" references missing contact "${id}"`)
      for (const id of t.companyIds)
        need("company", id, "ref:tickets", () => `ticket "${t.id}" references missing company "${id}"`)
      // P-EXT-1: participants are contacts of the document too.
      for (const id of t.participantIds ?? [])
        need("contact", id, "ref:tickets", () => `ticket "${t.id}" references missing participant contact "${id}"`)
    },
    thread: (th) => {
      index("thread", th.id)
      need("ticket", th.ticketId, "ref:threads", () => `thread "${th.id}" references missing ticket "${th.ticketId}"`)
      const inbox = th.inboxId
      if (inbox !== null)
        need("inbox", inbox, "ref:threads", () => `thread "${th.id}" references missing inbox "${inbox}"`)
      for (const m of th.messages) {
        index("message", m.id)
        const { type, id } = m.author
        need(type, id, "ref:threads", () => `message "${m.id}" references missing ${type} "${id}"`)
      }
    },
    note: (n) => {
      index("note", n.id)
      need("ticket", n.ticketId, "ref:notes", () => `note "${n.id}" references missing ticket "${n.ticketId}"`)
      need("agent", n.authorId, "ref:notes", () => `note "${n.id}" references missing agent "${n.authorId}"`)
    },
    domain: (d) => {
      if (!hosts.add(d.host.toLowerCase())) push("host", `duplicate domain host "${d.host}"`)
    },
    portal: (portal) => {
      const listRefs: Array<string> = []
      if (portal.access.method === "membership" && portal.access.registration === "accessGroups")
        listRefs.push(...portal.access.listIds)
      if (portal.access.method === "sso" && portal.access.audience !== "all")
        listRefs.push(...portal.access.audience.listIds)
      if (typeof portal.ticketScope === "object") listRefs.push(...portal.ticketScope.company.listIds)
      for (const id of listRefs) need("list", id, "ref:portal", () => `portal references missing list "${id}"`)
      const inbox = portal.defaultInboxId
      if (inbox !== null)
        need("inbox", inbox, "ref:portal", () => `portal.defaultInboxId references missing inbox "${inbox}"`)
      const form = portal.supportForm
      if (form !== null)
        need("form", form.formId, "ref:portal", () => `portal.supportForm references missing form "${form.formId}"`)
      for (const [pipelineId, stageId] of Object.entries(portal.actions.closedStageByPipeline ?? {}))
        when(["pipeline"], "ref:portal", () =>
          stageProblem(pipelineId, stageId, "portal.actions.closedStageByPipeline"),
        )
    },
    complete: (section) => {
      for (const kind of SECTION_KINDS[section as keyof typeof SECTION_KINDS] ?? []) completeKinds.add(kind)
    },
    found: () => kept + more,
    problems: () => {
      for (const kind of KINDS) completeKinds.add(kind)
      for (const { bucket, check } of waiting.splice(0)) {
        const problem = check()
        if (problem !== null) push(bucket, problem)
      }
      const all = BUCKETS.flatMap((b) => buckets.get(b) ?? [])
      return more === 0 ? all : [...all, `… and ${more} more problems`]
    },
  }
}
