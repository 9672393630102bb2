import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type {
  CompanyId,
  ContactId,
  ListId,
  PortalSettings,
  Ticket,
  TicketFilter,
  ViewerScope,
  WorkspaceId,
} from "../../src/domain/index.ts"
import { canSee, inView, matchesFilter, matchesFilters, viewerScope } from "../../src/rules/index.ts"
import * as A from "../support/Arbitraries.ts"

const ws = "acme" as WorkspaceId
const p = (id: string) => id as ContactId
const c = (id: string) => id as CompanyId
const l = (id: string) => id as ListId

const base: Ticket = {
  id: "t1" as never,
  subject: "s",
  content: "c",
  pipelineId: "support" as never,
  stageId: "new" as never,
  createdAt: "2026-10-01T09:00:00Z",
  lastActivityAt: "2026-10-01T09:00:00Z",
  properties: { category: "billing" },
  contactIds: [],
  companyIds: [],
}
const t = (edit: Partial<Ticket>): Ticket => ({ ...base, ...edit })
const settings = (ticketScope: PortalSettings["ticketScope"], ticketFilters: ReadonlyArray<TicketFilter> = []) => ({
  ticketScope,
  ticketFilters,
})
const ken = { id: p("p1"), primaryCompanyId: c("c1") }
const ola = { id: p("p3") }

describe("P-VIS-1 ticket scope 'contact'", () => {
  const scope = viewerScope(ws, settings("contact"), ken, [l("l1")])
  it("P-VIS-1 never widens to the company, even with a primary company and lists", () => {
    expect(scope.companyId).toBeNull()
  })
  it("P-VIS-1 shows the tickets associated with the contact", () => {
    expect(canSee(t({ contactIds: [p("p1")] }), scope)).toBe(true)
    expect(canSee(t({ contactIds: [p("p2"), p("p1")] }), scope)).toBe(true)
  })
  it("P-VIS-1 hides tickets of the same company that are not the contact's", () => {
    expect(canSee(t({ contactIds: [p("p2")], companyIds: [c("c1")] }), scope)).toBe(false)
    expect(canSee(t({}), scope)).toBe(false)
  })
})

describe("P-VIS-2 ticket scope 'company' with Organization / Mine views", () => {
  const scope = viewerScope(ws, settings("company"), ken, [])
  const mine = t({ contactIds: [p("p1")] })
  const org = t({ contactIds: [p("p2")], companyIds: [c("c1")] })
  const both = t({ contactIds: [p("p1")], companyIds: [c("c1")] })
  const other = t({ contactIds: [p("p4")], companyIds: [c("c2")] })

  it("P-VIS-2 widens to the primary company", () => {
    expect(scope.companyId).toBe("c1")
  })
  it.each([
    ["mine", mine, true, false, true],
    ["company's", org, false, true, true],
    ["mine and the company's", both, true, true, true],
    ["another company's", other, false, false, false],
  ] as const)("P-VIS-2 a %s ticket: Mine %s, Organization %s, all %s", (_, ticket, inMine, inOrg, inAll) => {
    expect(inView(ticket, scope, "mine")).toBe(inMine)
    expect(inView(ticket, scope, "organization")).toBe(inOrg)
    expect(inView(ticket, scope, "all")).toBe(inAll)
    expect(canSee(ticket, scope)).toBe(inAll)
  })
  it("P-VIS-2 a contact with no primary company sees only their own; Organization is empty", () => {
    const s = viewerScope(ws, settings("company"), ola, [])
    expect(s.companyId).toBeNull()
    expect(inView(t({ contactIds: [p("p3")] }), s, "mine")).toBe(true)
    expect(inView(t({ contactIds: [p("p3")] }), s, "organization")).toBe(false)
    expect(inView(t({ companyIds: [c("c1")] }), s, "all")).toBe(false)
  })
})

describe("P-VIS-5 company scope limited to contacts in chosen lists", () => {
  const limited = settings({ company: { listIds: [l("l1"), l("l9")] } })
  it("P-VIS-5 a contact in one of the lists gets the company scope", () => {
    expect(viewerScope(ws, limited, ken, [l("l2"), l("l1")]).companyId).toBe("c1")
  })
  it("P-VIS-5 everyone else sees only their own tickets", () => {
    const s = viewerScope(ws, limited, ken, [l("l2")])
    expect(s.companyId).toBeNull()
    expect(canSee(t({ contactIds: [p("p2")], companyIds: [c("c1")] }), s)).toBe(false)
    expect(canSee(t({ contactIds: [p("p1")] }), s)).toBe(true)
  })
  it("P-VIS-5 an empty list choice gives the company scope to no one", () => {
    expect(viewerScope(ws, settings({ company: { listIds: [] } }), ken, [l("l1")]).companyId).toBeNull()
  })
})

describe("P-VIS-3 ticket filters", () => {
  const f = (property: string, operator: "in" | "notIn", values: Array<string>): TicketFilter => ({
    property,
    operator,
    values,
  })
  it.each([
    ["pipelineId in [support]", f("pipelineId", "in", ["support"]), true],
    ["pipelineId in [billing]", f("pipelineId", "in", ["billing"]), false],
    ["pipelineId notIn [internal]", f("pipelineId", "notIn", ["internal"]), true],
    ["pipelineId notIn [support]", f("pipelineId", "notIn", ["support", "x"]), false],
    ["stageId in [new, open]", f("stageId", "in", ["new", "open"]), true],
    ["stageId notIn [new]", f("stageId", "notIn", ["new"]), false],
    ["category in [billing]", f("category", "in", ["billing"]), true],
    ["category in [bug]", f("category", "in", ["bug"]), false],
    ["category notIn [billing]", f("category", "notIn", ["billing"]), false],
    ["category notIn [bug]", f("category", "notIn", ["bug"]), true],
    ["in [] matches nothing", f("category", "in", []), false],
    ["notIn [] matches everything", f("category", "notIn", []), true],
  ])("P-VIS-3 %s → %s", (_, filter, expected) => {
    expect(matchesFilter(base, filter)).toBe(expected)
  })
  it("P-VIS-3 a ticket without the property matches no `in`, even of the empty string", () => {
    expect(matchesFilter(base, f("priority", "in", ["high", ""]))).toBe(false)
  })
  it("P-VIS-3 a ticket without the property matches every `notIn`", () => {
    expect(matchesFilter(base, f("priority", "notIn", ["high", ""]))).toBe(true)
  })
  it("P-VIS-3 a free property named like a field does not stand in for the field", () => {
    const ticket = t({ properties: { pipelineId: "billing" } })
    expect(matchesFilter(ticket, f("pipelineId", "in", ["billing"]))).toBe(false)
  })
  it("P-VIS-3 inherited object keys are not properties", () => {
    expect(matchesFilter(base, f("toString", "notIn", ["x"]))).toBe(true)
    expect(matchesFilter(base, f("constructor", "in", ["x"]))).toBe(false)
  })
  it("P-VIS-3 every condition must hold", () => {
    const ok = [f("pipelineId", "in", ["support"]), f("category", "in", ["billing"])]
    expect(matchesFilters(base, ok)).toBe(true)
    expect(matchesFilters(base, [...ok, f("stageId", "notIn", ["new"])])).toBe(false)
    expect(matchesFilters(base, [])).toBe(true)
  })
  it("P-VIS-3 a filtered-out ticket is invisible even when it is the viewer's", () => {
    const scope: ViewerScope = {
      workspaceId: ws,
      contactId: p("p1"),
      companyId: null,
      filters: [f("pipelineId", "notIn", ["support"])],
    }
    expect(canSee(t({ contactIds: [p("p1")] }), scope)).toBe(false)
  })
})

describe("P-VIS-1, P-VIS-2, P-VIS-3 properties", () => {
  it("P-VIS-1/2/3 canSee ⇔ (the contact's ∨ the scoped company's) ∧ every filter", () => {
    fc.assert(
      fc.property(A.ticket, A.scope, (ticket, scope) => {
        const associated =
          ticket.contactIds.includes(scope.contactId) ||
          (scope.companyId !== null && ticket.companyIds.includes(scope.companyId))
        const filtered = scope.filters.every((filter) => {
          const value =
            filter.property === "pipelineId"
              ? ticket.pipelineId
              : filter.property === "stageId"
                ? ticket.stageId
                : ticket.properties[filter.property]
          const listed = value !== undefined && filter.values.includes(value)
          return filter.operator === "in" ? listed : !listed
        })
        expect(canSee(ticket, scope)).toBe(associated && filtered)
      }),
      A.RUNS,
    )
  })
  it("P-VIS-2 the 'all' view is exactly Mine ∪ Organization", () => {
    fc.assert(
      fc.property(A.ticket, A.scope, (ticket, scope) => {
        expect(inView(ticket, scope, "all")).toBe(
          inView(ticket, scope, "mine") || inView(ticket, scope, "organization"),
        )
      }),
      A.RUNS,
    )
  })
  it("P-VIS-3 adding a filter never shows more tickets; filter order does not matter", () => {
    fc.assert(
      fc.property(A.ticket, A.scope, A.filter, (ticket, scope, extra) => {
        const more = { ...scope, filters: [...scope.filters, extra] }
        if (canSee(ticket, more)) expect(canSee(ticket, scope)).toBe(true)
        expect(canSee(ticket, { ...more, filters: [...more.filters].reverse() })).toBe(canSee(ticket, more))
      }),
      A.RUNS,
    )
  })
  it("P-VIS-3 notIn is the negation of in for the same values", () => {
    fc.assert(
      fc.property(A.ticket, A.filter, (ticket, filter) => {
        const inF = { ...filter, operator: "in" as const }
        const notInF = { ...filter, operator: "notIn" as const }
        expect(matchesFilter(ticket, notInF)).toBe(!matchesFilter(ticket, inF))
      }),
      A.RUNS,
    )
  })
  it("P-VIS-2/5 the scope's company is the contact's primary company or none, never another", () => {
    const ticketScope = fc.oneof(
      fc.constantFrom("contact" as const, "company" as const),
      fc.record({
        company: fc.record({ listIds: fc.uniqueArray(fc.constantFrom("l1", "l2") as fc.Arbitrary<ListId>) }),
      }),
    )
    fc.assert(
      fc.property(
        ticketScope,
        fc.option(A.companyId, { nil: undefined }),
        fc.uniqueArray(fc.constantFrom("l1", "l2", "l3") as fc.Arbitrary<ListId>),
        (scope, company, lists) => {
          const contact = company === undefined ? { id: p("p1") } : { id: p("p1"), primaryCompanyId: company }
          const s = viewerScope(ws, settings(scope), contact, lists)
          expect(s.companyId === null || s.companyId === company).toBe(true)
          if (scope === "contact") expect(s.companyId).toBeNull()
          if (scope === "company") expect(s.companyId).toBe(company ?? null)
          if (typeof scope === "object")
            expect(s.companyId).toBe(scope.company.listIds.some((x) => lists.includes(x)) ? (company ?? null) : null)
        },
      ),
      A.RUNS,
    )
  })
})
