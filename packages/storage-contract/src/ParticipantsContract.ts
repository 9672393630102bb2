/**
 * P-EXT-1 participants (CC) in storage: `changeParticipants` adds and removes under the ticket's
 * lock with the shared rule (rules/Participants.ts), writes one "ticket.participantsChanged"
 * event, and the customer reads (list views "shared" and "all", `get`) follow at once; a missing
 * contact or ticket, or a change over the limit, leaves everything as it was. Exported documents
 * carry `participantIds` (import → export keeps them, P-DATA-1).
 */
import type { ContactId, ListView, ViewerScope, WorkspaceId } from "@portal/core/domain"
import { TicketStore } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { exportDoc, importDoc } from "./Documents.ts"
import { fixtures, LATER, newTicket } from "./Fixtures.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const c = (id: string) => id as ContactId

/** Mia (p3, Initech) under the demo's settings: company scope, no internal pipeline. */
const miaScope = (ws: WorkspaceId): ViewerScope => ({
  workspaceId: ws,
  contactId: c("p3"),
  companyId: "c2" as ViewerScope["companyId"],
  filters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore participants (P-EXT-1)", makeLayer, options, (h) => {
    const f = fixtures(h, "cc")
    const change = (
      ws: WorkspaceId,
      ticketId: string,
      add: ReadonlyArray<string>,
      remove: ReadonlyArray<string> = [],
      eventId = `cc-${add.join("-")}-${remove.join("-")}`,
      max = 20,
    ) =>
      use(TicketStore, (s) =>
        s.changeParticipants({
          workspaceId: ws,
          ticketId: ticketId as never,
          add: add.map(c),
          remove: remove.map(c),
          max,
          at: LATER,
          eventId,
        }),
      )
    const listed = async (scope: ViewerScope, view: ListView) =>
      (
        await h.run(
          use(TicketStore, (s) =>
            s.list(scope, { view, status: null, search: null, sort: "lastActivity", cursor: null, limit: 50 }),
          ),
        )
      ).items
        .map((i) => i.id as string)
        .sort()

    h.test(
      "adding a participant shows the ticket under shared and all, with one event and a version bump",
      async () => {
        const { id } = await f.workspace()
        const mia = miaScope(id)
        expect(await listed(mia, "shared")).toEqual([])
        const before = await listed(mia, "all")
        expect(await h.run(change(id, "t1", ["p3"], [], "cc-1"))).toEqual({
          changed: true,
          overLimit: false,
          participantIds: ["p3"],
        })
        expect(await listed(mia, "shared")).toEqual(["t1"])
        expect(await listed(mia, "all")).toEqual([...before, "t1"].sort())
        expect(await listed(mia, "mine")).not.toContain("t1")
        expect(await listed(mia, "organization")).not.toContain("t1")
        const got = await h.run(use(TicketStore, (s) => s.get(mia, "t1" as never)))
        expect(Option.map(got, (g) => g.ticket.participantIds)).toEqual(Option.some(["p3"]))
        expect((await f.events(id)).map((e) => [e.kind, e.id, e.ticketId])).toEqual([
          ["ticket.participantsChanged", "cc-1", "t1"],
        ])
        // Nothing else of Globex for Mia.
        expect(Option.isNone(await h.run(use(TicketStore, (s) => s.get(mia, "t2" as never))))).toBe(true)
      },
    )

    h.test("the same add again changes nothing; remove takes it back; order is kept", async () => {
      const { id } = await f.workspace()
      await h.run(change(id, "t1", ["p3", "p4"], [], "cc-a"))
      const before = await f.snapshot(id)
      expect(await h.run(change(id, "t1", ["p4"], [], "cc-b"))).toMatchObject({ changed: false })
      expect(await f.snapshot(id)).toEqual(before)
      expect(await h.run(change(id, "t1", ["p2"], ["p3"], "cc-c"))).toEqual({
        changed: true,
        overLimit: false,
        participantIds: ["p4", "p2"],
      })
      expect(await listed(miaScope(id), "shared")).toEqual([])
      const stored = await h.run(use(TicketStore, (s) => s.getById(id, "t1" as never)))
      expect(Option.map(stored, (t) => t.participantIds)).toEqual(Option.some(["p4", "p2"]))
      await h.run(change(id, "t1", [], ["p4", "p2"], "cc-d"))
      const empty = Option.getOrThrow(await h.run(use(TicketStore, (s) => s.getById(id, "t1" as never))))
      expect("participantIds" in empty).toBe(false)
    })

    h.test("a shared ticket follows its activity in the shared list (sort keys move with replies)", async () => {
      const { id } = await f.workspace()
      await h.run(change(id, "t2", ["p3"], [], "cc-s1"))
      await h.run(change(id, "t1", ["p3"], [], "cc-s2"))
      await h.run(
        use(TicketStore, (s) =>
          s.setStage({
            workspaceId: id,
            ticketId: "t2" as never,
            stageId: "new" as never,
            at: "2027-01-01T00:00:00Z" as never,
            eventId: "st-1",
          }),
        ),
      )
      const page = await h.run(
        use(TicketStore, (s) =>
          s.list(miaScope(id), {
            view: "shared",
            status: null,
            search: null,
            sort: "lastActivity",
            cursor: null,
            limit: 1,
          }),
        ),
      )
      expect(page.items.map((i) => i.id)).toEqual(["t2"])
      expect(page.nextCursor).not.toBeNull()
    })

    h.test("a missing contact or ticket, or a change over the limit, writes nothing", async () => {
      const { id } = await f.workspace()
      await f.failsWithoutChange(id, change(id, "t1", ["p3", "ghost"]), {
        _tag: "MissingReference",
        kind: "contact",
        id: "ghost",
      })
      await f.failsWithoutChange(id, change(id, "nope", ["p3"]), { _tag: "MissingReference", kind: "ticket" })
      const before = await f.snapshot(id)
      expect(await h.run(change(id, "t1", ["p2", "p3"], [], "cc-over", 1))).toEqual({
        changed: false,
        overLimit: true,
        participantIds: [],
      })
      expect(await f.snapshot(id)).toEqual(before)
    })

    h.test("createTicket and upsertTicket store participants; an upsert without them keeps them", async () => {
      const { id } = await f.workspace()
      const ticket = newTicket("cc-new", { participantIds: [c("p3")] })
      await h.run(use(TicketStore, (s) => s.upsertTicket({ workspaceId: id, ticket, at: LATER, eventId: "u-cc" })))
      expect(await listed(miaScope(id), "shared")).toEqual(["cc-new"])
      const { participantIds: _, ...without } = ticket
      await h.run(
        use(TicketStore, (s) =>
          s.upsertTicket({ workspaceId: id, ticket: { ...without, subject: "renamed" }, at: LATER, eventId: "u-cc2" }),
        ),
      )
      const stored = Option.getOrThrow(await h.run(use(TicketStore, (s) => s.getById(id, "cc-new" as never))))
      expect(stored).toMatchObject({ subject: "renamed", participantIds: ["p3"] })
      await f.failsWithoutChange(
        id,
        use(TicketStore, (s) =>
          s.upsertTicket({
            workspaceId: id,
            ticket: newTicket("cc-bad", { participantIds: [c("ghost")] }),
            at: LATER,
            eventId: "u-bad",
          }),
        ),
        { _tag: "MissingReference", kind: "contact", id: "ghost" },
      )
    })

    h.test("P-DATA-1 export writes participantIds and import keeps them", async () => {
      const { id } = await f.workspace()
      await h.run(change(id, "t1", ["p3", "p4"], [], "cc-x"))
      const doc = Option.getOrThrow(await h.run(exportDoc(id)))
      expect(doc.tickets.find((t) => t.id === "t1")?.participantIds).toEqual(["p3", "p4"])
      expect(doc.tickets.find((t) => t.id === "t2")).not.toHaveProperty("participantIds")
      await h.run(importDoc(doc))
      expect(Option.getOrThrow(await h.run(exportDoc(id)))).toEqual(doc)
      expect(await listed(miaScope(id), "shared")).toEqual(["t1"])
    })
  })
