import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  ACTION_REFUSAL_CODES,
  type Form,
  type FormField,
  type InboxId,
  type Pipeline,
  type TicketFilter,
} from "../../src/domain/index.ts"
import {
  checkSubmission,
  formIneligibility,
  INELIGIBILITY_CODES,
  ineligibilityText,
  isFormEligible,
  matchesFilters,
  placementForNewTicket,
  submissionText,
  ticketFieldsOf,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"
import { fixture } from "../support/Fixture.ts"
import { expectCoded } from "../support/Issues.ts"

const doc = fixture()
const form = doc.forms[0] as Form
const inboxes = ["ib1", "ib2"] as Array<InboxId>

describe("P-FORM-2 only a form with ticket properties, connected to an inbox, can be chosen", () => {
  it("P-FORM-2 the fixture's support form is eligible", () => {
    expect(isFormEligible(form, inboxes)).toBe(true)
  })
  it("P-FORM-2 a form not connected to an inbox is not", () => {
    expect(formIneligibility({ ...form, inboxId: null }, inboxes)).toEqual(["notConnected"])
  })
  it("P-FORM-2 a form whose inbox was deleted is not", () => {
    expect(formIneligibility(form, ["ib2" as InboxId])).toEqual(["inboxMissing"])
  })
  it("P-FORM-2 a form without ticket properties (no subject field) is not", () => {
    const plain = { ...form, fields: form.fields.map((f) => ({ ...f, ticketProperty: null })) }
    expect(formIneligibility(plain, inboxes)).toEqual(["noSubjectField"])
    expect(formIneligibility(doc.forms[1] as Form, inboxes)).toEqual(["notConnected", "noSubjectField"])
  })
  it("P-FORM-2 duplicate field names and option-less selects are refused", () => {
    const subject = form.fields[0] as FormField
    const broken = {
      ...form,
      fields: [
        ...form.fields,
        subject,
        { name: "x", label: "X", type: "select" as const, required: false, ticketProperty: null },
      ],
    }
    expect(formIneligibility(broken, inboxes)).toEqual(["duplicateFieldName", "selectWithoutOptions"])
  })
  it("P-FORM-2 each reason has its own refusal code of ACTION_REFUSAL_CODES and an English text", () => {
    const reasons = Object.keys(INELIGIBILITY_CODES) as Array<keyof typeof INELIGIBILITY_CODES>
    const codes = reasons.map((r) => INELIGIBILITY_CODES[r])
    expect(new Set(codes).size).toBe(reasons.length)
    for (const r of reasons) {
      expect(ACTION_REFUSAL_CODES).toContain(INELIGIBILITY_CODES[r])
      expect(ineligibilityText(r).length).toBeGreaterThan(0)
    }
    expect(INELIGIBILITY_CODES.notConnected).toBe("form_not_connected")
  })
})

describe("P-FORM-3 submissions are validated field by field", () => {
  const ok = { subject: "Printer on fire", content: "Please help", category: "bug", quantity: "3", urgent: true }
  it("P-FORM-3 a valid submission gives canonical values in form order", () => {
    const r = checkSubmission(form, ok)
    expect(r.ok && [...r.values]).toEqual([
      ["subject", "Printer on fire"],
      ["content", "Please help"],
      ["category", "bug"],
      ["quantity", "3"],
      ["urgent", "true"],
    ])
  })
  it("P-FORM-3 every problem is reported with its field path", () => {
    const r = checkSubmission(form, {
      subject: "  ",
      category: "other",
      quantity: "three",
      urgent: "maybe",
      extra: "x",
    })
    expect(r.ok ? [] : expectCoded(r.issues).map((i) => i.path)).toEqual([
      "values.extra",
      "values.subject",
      "values.content",
      "values.category",
      "values.quantity",
      "values.urgent",
    ])
  })
  it("P-FORM-3 optional fields may be left out; an unchecked checkbox is left out", () => {
    const r = checkSubmission(form, { subject: "a", content: "b", urgent: false })
    expect(r.ok && [...r.values.keys()]).toEqual(["subject", "content"])
  })
  it("P-FORM-3 types: text needs text, email needs an address, length limits hold", () => {
    const f: Pick<Form, "fields"> = {
      fields: [
        { name: "t", label: "T", type: "text", required: true, ticketProperty: "subject" },
        { name: "e", label: "E", type: "email", required: true, ticketProperty: null },
      ],
    }
    const r = checkSubmission(f, { t: 5, e: "not-an-email" })
    expect(r.ok ? [] : expectCoded(r.issues).map((i) => i.message)).toEqual([
      "Expected text.",
      "Enter a valid email address.",
    ])
    expect(checkSubmission(f, { t: "x".repeat(1001), e: "a@b.test" }).ok).toBe(false)
    expect(checkSubmission(f, { t: "x".repeat(1000), e: "a@b.test" }).ok).toBe(true)
  })
  it("P-FORM-3 property: a valid submission never carries an unknown field or a value outside a select's options", () => {
    const values = fc.dictionary(
      fc.constantFrom("subject", "content", "category", "quantity", "urgent", "zzz"),
      fc.oneof(fc.string(), fc.boolean(), fc.integer()),
    )
    fc.assert(
      fc.property(values, (v) => {
        const r = checkSubmission(form, v)
        if (!r.ok) return
        expect([...r.values.keys()].every((k) => form.fields.some((f) => f.name === k))).toBe(true)
        const category = r.values.get("category")
        if (category !== undefined) expect(["billing", "bug"]).toContain(category)
        expect(typeof r.values.get("subject")).toBe("string")
      }),
      RUNS,
    )
  })
})

describe("P-FORM-3 the ticket a submission creates", () => {
  const checked = checkSubmission(form, {
    subject: "Printer",
    content: "On fire",
    category: "bug",
    orderNumber: "A-1",
    quantity: 2,
  })
  const values = checked.ok ? checked.values : new Map()
  it("P-FORM-3 subject and content from their fields, other mapped fields as properties", () => {
    expect(ticketFieldsOf(form, values)).toEqual({
      subject: "Printer",
      content: "On fire",
      properties: { category: "bug", quantity: "2" },
    })
  })
  it("P-FORM-3 an optional subject left empty falls back to the form's name", () => {
    const f = { ...form, fields: form.fields.map((x) => ({ ...x, required: false })) }
    expect(ticketFieldsOf(f, new Map()).subject).toBe("Support request")
  })
  it("P-FORM-3 the first message lists every answer, labelled, in form order", () => {
    expect(submissionText(form, values)).toBe(
      "Subject: Printer\nDescribe the problem: On fire\nCategory: bug\nOrder number: A-1\nQuantity: 2",
    )
  })
  it("P-FORM-3 the ticket goes to the first open stage the portal's filters show", () => {
    const pipelines = doc.pipelines as ReadonlyArray<Pipeline>
    const f = (property: string, operator: "in" | "notIn", vs: Array<string>): TicketFilter => ({
      property,
      operator,
      values: vs,
    })
    expect(placementForNewTicket(pipelines, [], {})).toEqual({ pipelineId: "support", stageId: "new" })
    expect(placementForNewTicket(pipelines, [f("pipelineId", "notIn", ["support"])], {})).toEqual({
      pipelineId: "billing",
      stageId: "open",
    })
    expect(placementForNewTicket(pipelines, [f("stageId", "notIn", ["new"])], {})).toEqual({
      pipelineId: "support",
      stageId: "waiting",
    })
    expect(placementForNewTicket(pipelines, [f("category", "in", ["bug"])], { category: "billing" })).toBeNull()
    expect(placementForNewTicket(pipelines, [f("category", "in", ["bug"])], { category: "bug" })).toEqual({
      pipelineId: "support",
      stageId: "new",
    })
  })
  it("P-FORM-3 property: a placement is an open stage the customer can see", () => {
    const filter = fc.record({
      property: fc.constantFrom("pipelineId", "stageId"),
      operator: fc.constantFrom("in" as const, "notIn" as const),
      values: fc.uniqueArray(fc.constantFrom("support", "billing", "internal", "new", "waiting", "open", "todo")),
    })
    fc.assert(
      fc.property(fc.array(filter, { maxLength: 3 }), (filters) => {
        const placed = placementForNewTicket(doc.pipelines, filters, {})
        if (placed === null) return
        const stage = doc.pipelines.find((p) => p.id === placed.pipelineId)?.stages.find((s) => s.id === placed.stageId)
        expect(stage?.state).toBe("open")
        expect(matchesFilters({ ...placed, properties: {} }, filters)).toBe(true)
      }),
      RUNS,
    )
  })
})
