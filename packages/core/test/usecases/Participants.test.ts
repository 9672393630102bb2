import { describe, expect, it } from "vitest"
import type { ContactId, TicketId, TicketListQuery } from "../../src/domain/index.ts"
import { MAX_PARTICIPANTS } from "../../src/rules/index.ts"
import {
  addParticipants,
  getTicket,
  listTickets,
  removeParticipant,
  reply,
  submitForm,
} from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const t = (id: string) => id as TicketId
const query = (view: TicketListQuery["view"]): TicketListQuery => ({
  view,
  status: null,
  search: null,
  sort: "created",
  cursor: null,
  limit: 50,
})
const ids = (listing: { readonly items: ReadonlyArray<{ readonly id: string }> }) =>
  listing.items.map((i) => i.id).sort()

// Fixture: p1 ken@globex (requester of t1, Globex, company scope), p2 mia@globex, p3 ola (no company),
// p4 zed@initech (Initech). t1: Globex, requester p1. t5: filtered out of the portal (internal pipeline).
describe("participants (P-EXT-1)", () => {
  it("P-EXT-1 a participant added by the requester sees the ticket under Shared with me and All, opens and replies", async () => {
    const w = makeWorld(fixture())
    expect(ids(success(await w.run(listTickets(w.viewer("p4"), query("all")))))).toEqual(["t4"])
    const added = success(await w.run(addParticipants(w.viewer("p1"), t("t1"), [" Zed@Initech.test "])))
    expect(added).toMatchObject({ changed: true, participantIds: ["p4"] })
    expect(w.state.events).toContainEqual({ kind: "ticket.participantsChanged", ticketId: "t1" })
    expect(ids(success(await w.run(listTickets(w.viewer("p4"), query("shared")))))).toEqual(["t1"])
    expect(ids(success(await w.run(listTickets(w.viewer("p4"), query("all")))))).toEqual(["t1", "t4"])
    expect(ids(success(await w.run(listTickets(w.viewer("p4"), query("mine")))))).toEqual(["t4"])
    const detail = success(await w.run(getTicket(w.viewer("p4"), t("t1"))))
    expect(detail.participants).toEqual([{ id: "p4", email: "zed@initech.test", name: "zed@initech.test" }])
    expect(detail.canManageParticipants).toBe(false)
    expect(success(await w.run(getTicket(w.viewer("p1"), t("t1")))).canManageParticipants).toBe(true)
    const r = success(
      await w.run(reply(w.viewer("p4"), { ticketId: t("t1"), text: "me too", attachments: [], idempotencyKey: "k1" })),
    )
    expect(r.duplicate).toBe(false)
    // Still nothing of Globex's other tickets (t2, t6) for the participant.
    expect(failure(await w.run(getTicket(w.viewer("p4"), t("t2"))))._tag).toBe("TicketNotFound")
    expect(failure(await w.run(getTicket(w.viewer("p4"), t("t6"))))._tag).toBe("TicketNotFound")
  })

  it("P-EXT-1 an unknown address becomes a contact with no company and no login that sees this ticket only", async () => {
    const w = makeWorld(fixture())
    const { participantIds } = success(await w.run(addParticipants(w.viewer("p1"), t("t1"), ["new.person@else.test"])))
    const id = participantIds[0] as ContactId
    const created = w.state.contacts.get(id)
    expect(created).toEqual({ id, email: "new.person@else.test", passwordHash: null })
    for (const view of ["all", "mine", "organization", "shared"] as const)
      expect(ids(success(await w.run(listTickets(w.viewer(id), query(view)))))).toEqual(
        view === "all" || view === "shared" ? ["t1"] : [],
      )
    for (const other of ["t2", "t3", "t4", "t6"])
      expect(failure(await w.run(getTicket(w.viewer(id), t(other))))._tag).toBe("TicketNotFound")
  })

  it("P-EXT-1 only the requester adds or removes: a company colleague and a participant are refused", async () => {
    const w = makeWorld(fixture())
    success(await w.run(addParticipants(w.viewer("p1"), t("t1"), ["zed@initech.test"])))
    for (const who of ["p2", "p4"]) {
      expect(failure(await w.run(addParticipants(w.viewer(who), t("t1"), ["ola@example.test"])))).toMatchObject({
        _tag: "ActionNotAllowed",
        action: "participants",
        code: "not_requester",
      })
      expect(failure(await w.run(removeParticipant(w.viewer(who), t("t1"), "p4" as ContactId)))).toMatchObject({
        code: "not_requester",
      })
    }
    expect(w.state.tickets.get("t1")?.participantIds).toEqual(["p4"])
    expect(success(await w.run(removeParticipant(w.viewer("p1"), t("t1"), "p4" as ContactId)))).toMatchObject({
      changed: true,
      participantIds: [],
    })
    expect(failure(await w.run(getTicket(w.viewer("p4"), t("t1"))))._tag).toBe("TicketNotFound")
  })

  it("P-VIS-4 a ticket the viewer may not see refuses exactly like a missing one", async () => {
    const w = makeWorld(fixture())
    const invisible = failure(await w.run(addParticipants(w.viewer("p3"), t("t1"), ["a@b.test"])))
    const missing = failure(await w.run(addParticipants(w.viewer("p3"), t("nope"), ["a@b.test"])))
    expect(invisible._tag).toBe("TicketNotFound")
    expect(missing._tag).toBe("TicketNotFound")
    expect(Object.keys(invisible).sort()).toEqual(Object.keys(missing).sort())
  })

  it("P-EXT-1 hostile or too many addresses: ValidationFailed, nothing read or written", async () => {
    const w = makeWorld(fixture())
    const before = w.state.contacts.size
    for (const emails of [["not an email"], [""], ["a@b.test", "x@@y"], [`${"a".repeat(300)}@b.test`]])
      expect(failure(await w.run(addParticipants(w.viewer("p1"), t("t1"), emails)))._tag).toBe("ValidationFailed")
    const many = Array.from({ length: MAX_PARTICIPANTS + 1 }, (_, i) => `c${i}@x.test`)
    expect(failure(await w.run(addParticipants(w.viewer("p1"), t("t1"), many)))).toMatchObject({
      _tag: "ValidationFailed",
      issues: [{ path: "emails", code: "too_many_participants" }],
    })
    expect(w.state.contacts.size).toBe(before)
    expect(w.state.calls).not.toContain("tickets.changeParticipants")
  })

  it("P-EXT-1 the limit holds across several adds", async () => {
    const w = makeWorld(fixture())
    const first = Array.from({ length: MAX_PARTICIPANTS }, (_, i) => `c${i}@x.test`)
    success(await w.run(addParticipants(w.viewer("p1"), t("t1"), first)))
    expect(failure(await w.run(addParticipants(w.viewer("p1"), t("t1"), ["one.more@x.test"])))).toMatchObject({
      _tag: "ValidationFailed",
      issues: [{ code: "too_many_participants" }],
    })
    expect(w.state.tickets.get("t1")?.participantIds).toHaveLength(MAX_PARTICIPANTS)
    // Adding someone already there, or the requester, is no change.
    expect(
      success(await w.run(addParticipants(w.viewer("p1"), t("t1"), ["c0@x.test", "ken@globex.test"]))),
    ).toMatchObject({
      changed: false,
    })
  })

  it("P-EXT-1 filters still apply to participants: a ticket outside the portal stays hidden", async () => {
    const w = makeWorld(fixture())
    const t5 = w.state.tickets.get("t5")
    if (t5 === undefined) throw new Error("fixture has t5")
    w.state.tickets.set("t5", { ...t5, participantIds: ["p4" as ContactId] })
    expect(ids(success(await w.run(listTickets(w.viewer("p4"), query("shared")))))).toEqual([])
    expect(failure(await w.run(getTicket(w.viewer("p4"), t("t5"))))._tag).toBe("TicketNotFound")
  })

  it("P-EXT-1 the support form's CC makes participants (normalized, the requester left out); bad CC changes nothing", async () => {
    const w = makeWorld(fixture())
    const values = {
      subject: "Printer on fire",
      content: "Please help",
      category: "bug",
      orderNumber: "A-7",
      urgent: true,
    }
    const bad = failure(await w.run(submitForm(w.viewer("p1"), { values, idempotencyKey: "f-1", cc: ["nope"] })))
    expect(bad).toMatchObject({ _tag: "ValidationFailed", issues: [{ path: "cc.0", code: "invalid_email" }] })
    expect(w.state.created).toHaveLength(0)
    const { ticketId } = success(
      await w.run(
        submitForm(w.viewer("p1"), {
          values,
          idempotencyKey: "f-2",
          cc: ["ZED@initech.test", "zed@initech.test", "ken@globex.test"],
        }),
      ),
    )
    expect(w.state.created[0]?.ticket.participantIds).toEqual(["p4"])
    expect(ids(success(await w.run(listTickets(w.viewer("p4"), query("shared")))))).toEqual([ticketId])
  })
})
