/**
 * P-DOM-4 on the agent pages (AgentNames.ts): every contact of an agent's row or ticket is named
 * by core's `personName` for the portal's language; agents' names and everything else are kept.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { AgentMessage, AgentTicketDetail, AgentTicketRow, RequesterRef } from "../../src/domain/AgentModels.ts"
import { namedAgentDetail, namedAgentMessage, namedAgentRow } from "../../src/rules/AgentNames.ts"
import { personName } from "../../src/rules/Names.ts"

const part = fc.option(fc.constantFrom("健", "伊藤", "Ken", "Ito", " Mia ", "", "\u202Eevil"), { nil: undefined })
const requesterArb: fc.Arbitrary<RequesterRef> = fc
  .record({ firstName: part, lastName: part, email: fc.constantFrom("ken@globex.test", "x@y.test") })
  .map(({ firstName, lastName, email }) => ({
    id: "p1" as RequesterRef["id"],
    email,
    name: `${firstName ?? ""} ${lastName ?? ""}`.trim() || email,
    ...(firstName === undefined ? {} : { firstName }),
    ...(lastName === undefined ? {} : { lastName }),
  }))
const language = fc.constantFrom("ja" as const, "en" as const)
const expected = (r: RequesterRef, lang: "ja" | "en") => personName(r, lang).replace(/\u202E/g, "")

const row = (requester: RequesterRef | null): AgentTicketRow =>
  ({
    id: "t1",
    subject: "S",
    requester,
    company: null,
    owner: { id: "u1", name: "Hana Sato" },
    pipeline: { id: "support", label: "Support" },
    stage: { id: "new", label: "New" },
    state: "open",
    createdAt: "2026-10-01T00:00:00.000Z",
    lastActivityAt: "2026-10-01T00:00:00.000Z",
    version: 1,
  }) as AgentTicketRow

describe("agent names (P-DOM-4)", () => {
  it("P-DOM-4: a row's requester is named by personName for the language; the owner (an agent) as spelled", () => {
    fc.assert(
      fc.property(requesterArb, language, (r, lang) => {
        const named = namedAgentRow(row(r), lang)
        expect(named.requester?.name).toBe(expected(r, lang))
        expect(named.owner).toEqual({ id: "u1", name: "Hana Sato" })
        expect({ ...named, requester: null }).toEqual(row(null))
      }),
    )
    expect(namedAgentRow(row(null), "ja").requester).toBeNull()
  })

  it("P-DOM-4: family name first in ja, given name first in en", () => {
    const ken = {
      id: "p1",
      email: "ken@globex.test",
      name: "健 伊藤",
      firstName: "健",
      lastName: "伊藤",
    } as RequesterRef
    expect(namedAgentRow(row(ken), "ja").requester?.name).toBe("伊藤 健")
    expect(namedAgentRow(row({ ...ken, firstName: "Ken", lastName: "Ito" }), "en").requester?.name).toBe("Ken Ito")
  })

  it("P-DOM-4: a detail's requester, contacts, audience and contact authors are named; agent authors are kept", () => {
    fc.assert(
      fc.property(requesterArb, language, (r, lang) => {
        const byContact = {
          id: "m1",
          kind: "message",
          createdAt: "2026-10-01T00:00:00.000Z",
          author: { type: "contact", id: "p1" },
          authorName: r.name,
          ...(r.firstName === undefined ? {} : { authorFirstName: r.firstName }),
          ...(r.lastName === undefined ? {} : { authorLastName: r.lastName }),
          text: "hi",
          attachments: [],
        } as unknown as AgentMessage
        const byAgent = { ...byContact, author: { type: "agent", id: "u1" }, authorName: "健 伊藤" } as AgentMessage
        const detail = {
          ticket: row(r),
          contacts: [r],
          threads: [{ id: "th1", messages: [byContact, byAgent] }],
          audience: { contacts: [r], companies: [] },
        } as unknown as AgentTicketDetail
        const named = namedAgentDetail(detail, lang)
        expect(named.ticket.requester?.name).toBe(expected(r, lang))
        expect(named.contacts.map((c) => c.name)).toEqual([expected(r, lang)])
        expect(named.audience.contacts.map((c) => c.name)).toEqual([expected(r, lang)])
        expect(named.threads[0]?.messages.map((m) => m.authorName)).toEqual([expected(r, lang), "健 伊藤"])
        expect(namedAgentMessage(byAgent, lang)).toBe(byAgent)
      }),
    )
  })
})
