/**
 * fast-check generators over small id alphabets, so that generated tickets, scopes and filters
 * actually collide (a contact that is on the ticket, a filter value the ticket has) often enough
 * for the properties to exercise both outcomes.
 */
import fc from "fast-check"
import type {
  CompanyId,
  ContactId,
  InboxId,
  IsoTime,
  PipelineId,
  StageId,
  ThreadHead,
  ThreadId,
  Ticket,
  TicketFilter,
  TicketId,
  ViewerScope,
  WorkspaceId,
} from "../../src/domain/index.ts"

export const contactId = fc.constantFrom("p1", "p2", "p3") as fc.Arbitrary<ContactId>
export const companyId = fc.constantFrom("c1", "c2", "c3") as fc.Arbitrary<CompanyId>
export const pipelineId = fc.constantFrom("support", "billing", "internal") as fc.Arbitrary<PipelineId>
export const stageId = fc.constantFrom("new", "open", "closed", "done") as fc.Arbitrary<StageId>
export const propertyName = fc.constantFrom("category", "priority", "region")
export const propertyValue = fc.constantFrom("a", "b", "c", "")

export const properties = fc.dictionary(propertyName, propertyValue, { maxKeys: 3 })

export const ticket: fc.Arbitrary<Ticket> = fc.record({
  id: fc.constant("t" as TicketId),
  subject: fc.constant("s"),
  content: fc.constant("c"),
  pipelineId,
  stageId,
  createdAt: fc.constant("2026-10-01T09:00:00Z"),
  lastActivityAt: fc.constant("2026-10-01T09:00:00Z"),
  properties,
  contactIds: fc.uniqueArray(contactId, { maxLength: 3 }),
  companyIds: fc.uniqueArray(companyId, { maxLength: 3 }),
})

export const filter: fc.Arbitrary<TicketFilter> = fc.oneof(
  fc.record({
    property: fc.constant("pipelineId"),
    operator: fc.constantFrom("in" as const, "notIn" as const),
    values: fc.uniqueArray(pipelineId, { maxLength: 3 }),
  }),
  fc.record({
    property: fc.constant("stageId"),
    operator: fc.constantFrom("in" as const, "notIn" as const),
    values: fc.uniqueArray(stageId, { maxLength: 3 }),
  }),
  fc.record({
    property: propertyName,
    operator: fc.constantFrom("in" as const, "notIn" as const),
    values: fc.uniqueArray(propertyValue, { maxLength: 3 }),
  }),
)

export const scope: fc.Arbitrary<ViewerScope> = fc.record({
  workspaceId: fc.constant("acme" as WorkspaceId),
  contactId,
  companyId: fc.option(companyId, { nil: null }),
  filters: fc.array(filter, { maxLength: 3 }),
})

/** Instants within a few hours, written in one of three zones (same instant, different strings). */
export const isoTime: fc.Arbitrary<IsoTime> = fc
  .tuple(fc.integer({ min: 0, max: 6 * 60 }), fc.constantFrom("Z", "+01:00", "-05:00"))
  .map(([minutes, zone]) => {
    const offset = zone === "Z" ? 0 : zone === "+01:00" ? 60 : -300
    const d = new Date(Date.UTC(2026, 9, 1, 6, 0) + (minutes + offset) * 60_000)
    return `${d.toISOString().slice(0, 16)}:00${zone}`
  })

export const threadHead: fc.Arbitrary<ThreadHead> = fc.record({
  id: fc.constantFrom("th1", "th2", "th3", "th4", "th5") as fc.Arbitrary<ThreadId>,
  ticketId: fc.constant("t1" as TicketId),
  channel: fc.constantFrom("chat" as const, "messenger" as const, "form" as const, "email" as const),
  inboxId: fc.option(fc.constantFrom("ib1", "ib2", "ib-gone") as fc.Arbitrary<InboxId>, { nil: null }),
  createdAt: isoTime,
})

/** Threads with distinct ids (a ticket's threads never share one). */
export const threads = fc.uniqueArray(threadHead, { selector: (t) => t.id, maxLength: 5 })

export const knownInboxes = [{ id: "ib1" as InboxId }, { id: "ib2" as InboxId }]

export const RUNS = { numRuns: 300 }
