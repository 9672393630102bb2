import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { ListId, TicketId, TicketListQuery } from "../../src/domain/index.ts"
import { TicketNotFound, TicketStore } from "../../src/ports/index.ts"
import { getTicket, listTickets } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const query = (edit: Partial<TicketListQuery> = {}): TicketListQuery => ({
  view: "all",
  status: null,
  search: null,
  sort: "lastActivity",
  cursor: null,
  limit: 50,
  ...edit,
})
const ids = (listing: { items: ReadonlyArray<{ id: string }> }) => listing.items.map((t) => t.id).sort()
const tid = (id: string) => id as TicketId

describe("listTickets (P-VIS-1, P-VIS-2, P-VIS-3, P-VIS-5, P-LIST-1, P-LIST-3)", () => {
  it("P-VIS-2 P-VIS-3 company scope: own and company tickets, minus the filtered pipeline", async () => {
    const w = makeWorld(fixture())
    const listing = success(await w.run(listTickets(w.viewer("p1"), query())))
    expect(ids(listing)).toEqual(["t1", "t2", "t6"])
    expect(listing.organizationView).toBe(true)
  })
  it("P-VIS-2 the Organization and Mine views", async () => {
    const w = makeWorld(fixture())
    expect(ids(success(await w.run(listTickets(w.viewer("p1"), query({ view: "organization" })))))).toEqual([
      "t1",
      "t2",
      "t6",
    ])
    expect(ids(success(await w.run(listTickets(w.viewer("p1"), query({ view: "mine" })))))).toEqual(["t1", "t6"])
    expect(ids(success(await w.run(listTickets(w.viewer("p2"), query({ view: "mine" })))))).toEqual(["t2"])
  })
  it("P-VIS-2 a contact with no company gets an empty Organization view without a store query", async () => {
    const w = makeWorld(fixture())
    const listing = success(await w.run(listTickets(w.viewer("p3"), query({ view: "organization" }))))
    expect(listing).toMatchObject({ items: [], nextCursor: null, organizationView: false })
    expect(w.state.calls).not.toContain("tickets.list")
    expect(ids(success(await w.run(listTickets(w.viewer("p3"), query()))))).toEqual(["t3"])
  })
  it("a malformed cursor is a ValidationFailed naming the cursor, and the store is not asked", async () => {
    const w = makeWorld(fixture())
    const error = failure(await w.run(listTickets(w.viewer("p1"), query({ cursor: "not-a-cursor" }))))
    expect(error).toMatchObject({ _tag: "ValidationFailed", issues: [{ path: "cursor" }] })
    expect(w.state.calls).not.toContain("tickets.list")
  })
  it("P-VIS-1 contact scope: only the contact's own tickets", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.ticketScope = "contact"
      }),
    )
    const listing = success(await w.run(listTickets(w.viewer("p1"), query())))
    expect(ids(listing)).toEqual(["t1", "t6"])
    expect(listing.organizationView).toBe(false)
  })
  it("P-VIS-5 company scope limited to lists: members get it, others only their own", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.ticketScope = { company: { listIds: ["l1"] } } as never
      }),
    )
    expect(ids(success(await w.run(listTickets(w.viewer("p1"), query()))))).toEqual(["t1", "t2", "t6"])
    expect(ids(success(await w.run(listTickets(w.viewer("p2"), query()))))).toEqual(["t2"])
    w.state.lists.get("l1" as ListId)?.add("p2")
    expect(ids(success(await w.run(listTickets(w.viewer("p2"), query()))))).toEqual(["t1", "t2", "t6"])
  })
  it("P-LIST-3 rows carry the status label of the configured display", async () => {
    const w = makeWorld(fixture())
    const rows = success(await w.run(listTickets(w.viewer("p1"), query()))).items
    expect(rows.find((r) => r.id === "t6")?.statusLabel).toEqual({ kind: "state", state: "open" })
    const staged = makeWorld(
      fixture((d) => {
        d.portal.statusDisplay = "stages"
      }),
    )
    const row = success(await staged.run(listTickets(staged.viewer("p1"), query()))).items.find((r) => r.id === "t6")
    expect(row?.statusLabel).toEqual({ kind: "stage", label: "Waiting on us", state: "open" })
  })
  it("a deleted contact or workspace is an error value", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(listTickets(w.viewer("ghost"), query())))._tag).toBe("ContactNotFound")
    const other = { ...w.viewer("p1"), workspaceId: "other" as never }
    expect(failure(await w.run(listTickets(other, query())))._tag).toBe("WorkspaceNotFound")
  })
})

describe("getTicket (P-LIST-4, P-COM-1..4, P-VIS-4, P-VIS-6)", () => {
  it("P-COM-4 P-COM-3 shows the earliest connected thread, without comments or notes", async () => {
    const w = makeWorld(fixture())
    const detail = success(await w.run(getTicket(w.viewer("p1"), tid("t1"))))
    expect(detail.thread?.id).toBe("th-chat")
    expect(detail.messages.map((m) => m.id)).toEqual(["m1", "m3"])
    expect(JSON.stringify(detail)).not.toContain("secret note")
    expect(JSON.stringify(detail)).not.toContain("internal: check with billing")
    expect(detail).toMatchObject({
      content: "Content of t1",
      canReply: true,
      canClose: true,
      replyRefusal: null,
      closeRefusal: null,
      statusLabel: { kind: "state", state: "open" },
    })
  })
  it("P-COM-1 a thread whose inbox was deleted is skipped for the next connected one", async () => {
    const w = makeWorld(fixture())
    w.state.catalog = { ...w.state.catalog, inboxes: w.state.catalog.inboxes.filter((i) => i.id !== "ib1") }
    const detail = success(await w.run(getTicket(w.viewer("p1"), tid("t1"))))
    expect(detail.thread).toBeNull()
    expect(detail.messages).toEqual([])
  })
  it("P-VIS-6 a ticket with no thread opens with its properties", async () => {
    const w = makeWorld(
      fixture((d) => {
        ;(d.tickets[5] as { properties: object }).properties = { priority: "high" }
      }),
    )
    const detail = success(await w.run(getTicket(w.viewer("p1"), tid("t6"))))
    expect(detail).toMatchObject({ thread: null, messages: [], properties: { priority: "high" }, canReply: true })
    expect(detail.ticket.id).toBe("t6")
  })
  it("P-ACT-4 with no thread and no default inbox the customer cannot reply", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.defaultInboxId = null
      }),
    )
    expect(success(await w.run(getTicket(w.viewer("p1"), tid("t6"))))).toMatchObject({
      canReply: false,
      replyRefusal: "no_default_inbox",
    })
    expect(success(await w.run(getTicket(w.viewer("p1"), tid("t1"))))).toMatchObject({
      canReply: true,
      replyRefusal: null,
    })
  })
  it("P-ACT-2 P-ACT-3 a closed ticket: no reply unless allowed, no close", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(getTicket(w.viewer("p2"), tid("t2"))))).toMatchObject({
      canReply: false,
      canClose: false,
      replyRefusal: "closed_ticket_reply_disabled",
      closeRefusal: "already_closed",
    })
    const open = makeWorld(
      fixture((d) => {
        d.portal.actions.allowReplyToClosed = true
      }),
    )
    expect(success(await open.run(getTicket(open.viewer("p2"), tid("t2"))))).toMatchObject({
      canReply: true,
      canClose: false,
      replyRefusal: null,
      closeRefusal: "already_closed",
    })
  })
  it("P-VIS-4 an invisible ticket fails exactly like a missing one, after the same reads", async () => {
    const w = makeWorld(fixture())
    const invisible = failure(await w.run(getTicket(w.viewer("p1"), tid("t4"))))
    const invisibleCalls = [...w.state.calls]
    w.state.calls.length = 0
    const missing = failure(await w.run(getTicket(w.viewer("p1"), tid("t404"))))
    expect(invisible).toBeInstanceOf(TicketNotFound)
    expect(missing).toBeInstanceOf(TicketNotFound)
    expect({ ...invisible, ticketId: "?" }).toEqual({ ...missing, ticketId: "?" })
    expect(w.state.calls).toEqual(invisibleCalls)
    expect(invisibleCalls).not.toContain("tickets.threadsOf")
  })
  it("P-VIS-4 P-VIS-3 a filtered-out ticket of the viewer's own is not found either", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(getTicket(w.viewer("p1"), tid("t5"))))._tag).toBe("TicketNotFound")
  })
  it("P-VIS-4 a store that leaks an invisible ticket is caught by the pure rule", async () => {
    const w = makeWorld(fixture())
    const real = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          return yield* TicketStore
        }),
        w.layer,
      ),
    )
    const leaky = {
      ...real,
      get: (_scope: unknown, id: TicketId) =>
        Effect.map(
          real.getById(w.ws, id),
          Option.map((ticket) => ({ ticket, summary: {} as never, threads: [], satisfaction: null })),
        ),
    }
    const exit = await Effect.runPromiseExit(
      getTicket(w.viewer("p1"), tid("t4")).pipe(Effect.provideService(TicketStore, leaky), Effect.provide(w.layer)),
    )
    expect(failure(exit)._tag).toBe("TicketNotFound")
  })
})
