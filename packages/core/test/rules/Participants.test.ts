import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Ticket, ViewerScope } from "../../src/domain/index.ts"
import {
  applyParticipantChange,
  canSee,
  checkParticipantEmails,
  inView,
  MAX_PARTICIPANTS,
  splitEmailList,
} from "../../src/rules/index.ts"

const CONTACTS = ["p1", "p2", "p3", "p4"] as const
const COMPANIES = ["c1", "c2"] as const
const ticketArb = fc.record({
  contactIds: fc.uniqueArray(fc.constantFrom(...CONTACTS), { maxLength: 3 }),
  companyIds: fc.uniqueArray(fc.constantFrom(...COMPANIES), { maxLength: 2 }),
  participantIds: fc.option(fc.uniqueArray(fc.constantFrom(...CONTACTS), { maxLength: 3 }), { nil: undefined }),
  pipelineId: fc.constantFrom("support", "internal"),
})
const scopeArb = fc.record({
  contactId: fc.constantFrom(...CONTACTS),
  companyId: fc.constantFrom(null, ...COMPANIES),
})
const full = (t: object) =>
  ({
    id: "t1",
    subject: "",
    content: "",
    stageId: "new",
    createdAt: "2026-01-01T00:00:00Z",
    lastActivityAt: "2026-01-01T00:00:00Z",
    properties: {},
    ...t,
  }) as unknown as Ticket

describe("participants in the visibility rule (P-EXT-1, P-VIS-1..3)", () => {
  it("P-EXT-1 a viewer sees a ticket iff it is theirs, their company's, or shared with them, and the filters pass", () => {
    fc.assert(
      fc.property(ticketArb, scopeArb, (t, s) => {
        const scope = {
          ...s,
          workspaceId: "w",
          filters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
        } as unknown as ViewerScope
        const ticket = full(t)
        const shared = (t.participantIds ?? []).includes(s.contactId)
        const own = t.contactIds.includes(s.contactId)
        const org = s.companyId !== null && (t.companyIds as ReadonlyArray<string>).includes(s.companyId)
        expect(inView(ticket, scope, "shared")).toBe(shared)
        expect(inView(ticket, scope, "mine")).toBe(own)
        expect(inView(ticket, scope, "organization")).toBe(org)
        expect(canSee(ticket, scope)).toBe((own || org || shared) && t.pipelineId !== "internal")
      }),
    )
  })

  it("P-EXT-1 changes keep order, never duplicate, and respect the limit", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...CONTACTS), { maxLength: 4 }),
        fc.array(fc.constantFrom(...CONTACTS), { maxLength: 4 }),
        fc.array(fc.constantFrom(...CONTACTS), { maxLength: 4 }),
        fc.integer({ min: 0, max: 4 }),
        (current, add, remove, max) => {
          const r = applyParticipantChange(current, { add, remove, max })
          expect(new Set(r.participantIds).size).toBe(r.participantIds.length)
          if (r.overLimit) expect(r.participantIds).toEqual(current)
          else {
            expect(r.participantIds.length).toBeLessThanOrEqual(max)
            for (const id of add)
              if (!remove.includes(id) || current.includes(id)) expect(r.participantIds).toContain(id)
            for (const id of r.participantIds) expect(current.includes(id) || add.includes(id)).toBe(true)
          }
        },
      ),
    )
  })

  it("P-EXT-1 emails are normalized and checked; more than the limit is too_many_participants", () => {
    expect(checkParticipantEmails([" A@B.test", "a@b.test"])).toEqual({ ok: true, emails: ["a@b.test"] })
    expect(checkParticipantEmails(["a@b.test", "bad"], "cc")).toMatchObject({ ok: false, issues: [{ path: "cc.1" }] })
    expect(
      checkParticipantEmails(Array.from({ length: MAX_PARTICIPANTS + 1 }, (_, i) => `x${i}@y.test`)),
    ).toMatchObject({ ok: false, issues: [{ code: "too_many_participants", params: { max: MAX_PARTICIPANTS } }] })
    expect(splitEmailList(" a@b.test, c@d.test;\ne@f.test ,, ")).toEqual(["a@b.test", "c@d.test", "e@f.test"])
  })
})
