/**
 * TicketStore's integration writes (upsertTicket, setStage, addNote, upsertThread) and
 * createTicket's reference checks. Each write is one transaction: a missing reference is a
 * MissingReference naming its kind and id, a taken id of something else a Conflict, and either
 * leaves the exported document, the event feed and the raw rows exactly as they were.
 */
import type { Ticket, WorkspaceId } from "@portal/core/domain"
import { BlobStore, TicketStore, type UpsertThreadCommand } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { claim, fixtures, kenScope, LATER, LATER_STILL, message, newTicket } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const EARLIER = "2026-09-01T00:00:00Z"
const missing = (kind: string, id: string) => ({ _tag: "MissingReference", kind, id })

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore integration writes", makeLayer, options, (h) => {
    const f = fixtures(h, "sync")
    const stored = async (ws: WorkspaceId, id: string) =>
      Option.getOrThrow(await h.run(use(TicketStore, (s) => s.getById(ws, id as never))))
    const upsert = (ws: WorkspaceId, ticket: Ticket, eventId = `e-${ticket.id}`) =>
      use(TicketStore, (s) => s.upsertTicket({ workspaceId: ws, ticket, at: LATER, eventId }))
    const fresh = (over: Partial<Ticket> = {}): Ticket => newTicket("ext-1", { ownerId: "u1" as never, ...over })

    h.test("upsertTicket creates a ticket with no conversation, visible to its contact, with an event", async () => {
      const { id } = await f.workspace()
      const before = await h.counts(id)
      expect(await h.run(upsert(id, fresh()))).toEqual({ created: true, changed: true })
      expect(await stored(id, "ext-1")).toEqual(fresh())
      const got = await h.run(use(TicketStore, (s) => s.get(kenScope(id), "ext-1" as never)))
      expect(Option.map(got, (g) => g.summary.status.stageId)).toEqual(Option.some("new"))
      expect((await f.events(id)).map((e) => [e.kind, e.ticketId, e.id, e.at])).toEqual([
        ["ticketCreated", "ext-1", "e-ext-1", LATER],
      ])
      expectCounts(before, await h.counts(id), { tickets: 1, events: 1 })
    })

    h.test("upsertTicket updates every field and association; creation kept, last activity only forward", async () => {
      const { id } = await f.workspace()
      const t4 = await stored(id, "t4")
      const moved = fresh({
        id: "t4" as never,
        stageId: "closed" as never,
        contactIds: ["p1", "p3"] as never,
        createdAt: LATER,
      })
      expect(await h.run(upsert(id, { ...moved, lastActivityAt: EARLIER as never }, "u-1"))).toEqual({
        created: false,
        changed: true,
      })
      expect(await stored(id, "t4")).toEqual({ ...moved, createdAt: t4.createdAt, lastActivityAt: t4.lastActivityAt })
      await h.run(upsert(id, { ...moved, lastActivityAt: LATER_STILL }, "u-2"))
      expect((await stored(id, "t4")).lastActivityAt).toBe(LATER_STILL)
      const mine = await h.run(
        use(TicketStore, (s) =>
          s.list(kenScope(id), {
            view: "mine",
            status: "closed",
            search: null,
            sort: "lastActivity",
            cursor: null,
            limit: 5,
          }),
        ),
      )
      expect(mine.items.map((i) => [i.id, i.lastActivityAt])).toContainEqual(["t4", LATER_STILL])
      expect((await f.events(id)).map((e) => [e.kind, e.id])).toEqual([
        ["ticketUpdated", "u-1"],
        ["ticketUpdated", "u-2"],
      ])
    })

    h.test("upsertTicket with what is already stored writes nothing", async () => {
      const { id } = await f.workspace()
      const t1 = await stored(id, "t1")
      const before = await f.snapshot(id)
      const reordered = { ...t1, properties: Object.fromEntries(Object.entries(t1.properties).reverse()) }
      expect(await h.run(upsert(id, reordered))).toEqual({ created: false, changed: false })
      expect(await f.snapshot(id)).toEqual(before)
    })

    h.test("upsertTicket and createTicket refuse every missing reference and change nothing", async () => {
      const { id } = await f.workspace()
      const bad: ReadonlyArray<[Partial<Ticket>, string, string]> = [
        [{ pipelineId: "nope" as never }, "pipeline", "nope"],
        [{ stageId: "resolved" as never }, "stage", "resolved"],
        [{ requesterId: "ghost" as never }, "contact", "ghost"],
        [{ contactIds: ["p1", "ghost2"] as never }, "contact", "ghost2"],
        [{ companyIds: ["ghost3"] as never }, "company", "ghost3"],
        [{ ownerId: "u9" as never }, "agent", "u9"],
      ]
      for (const [over, kind, ref] of bad) {
        await f.failsWithoutChange(id, upsert(id, fresh(over)), missing(kind, ref))
        await f.failsWithoutChange(id, upsert(id, fresh({ ...over, id: "t2" as never })), missing(kind, ref))
      }
      const create = (over: Partial<Ticket>, inboxId = "ib1", author = "p1") =>
        use(TicketStore, (s) =>
          s.createTicket({
            workspaceId: id,
            ticket: fresh(over),
            thread: { id: "th-x" as never, inboxId: inboxId as never, channel: "email" },
            message: message("m-x", { author: { type: "contact", id: author as never } }),
            idempotency: claim("k-x", { scope: "integration/tickets.upsert" }),
            eventId: "e-x",
          }),
        )
      await f.failsWithoutChange(id, create({ companyIds: ["ghost3"] as never }), missing("company", "ghost3"))
      await f.failsWithoutChange(id, create({}, "ib9"), missing("inbox", "ib9"))
      await f.failsWithoutChange(id, create({}, "ib1", "p9"), missing("contact", "p9"))
    })

    h.test("setStage moves a ticket to any stage of its pipeline, open or closed, with an event", async () => {
      const { id } = await f.workspace()
      const set = (ticketId: string, stageId: string, eventId: string) =>
        use(TicketStore, (s) =>
          s.setStage({ workspaceId: id, ticketId: ticketId as never, stageId: stageId as never, at: LATER, eventId }),
        )
      expect(await h.run(set("t3", "waiting", "s-1"))).toEqual({ changed: true })
      const t3 = await h.run(use(TicketStore, (s) => s.get(kenScope(id), "t3" as never)))
      expect(Option.map(t3, (g) => [g.ticket.stageId, g.ticket.lastActivityAt, g.summary.status.state])).toEqual(
        Option.some(["waiting", LATER, "open"]),
      )
      const before = await f.snapshot(id)
      expect(await h.run(set("t3", "waiting", "s-2"))).toEqual({ changed: false })
      expect(await f.snapshot(id)).toEqual(before)
      await f.failsWithoutChange(id, set("t3", "resolved", "s-3"), missing("stage", "resolved"))
      await f.failsWithoutChange(id, set("nope", "closed", "s-4"), missing("ticket", "nope"))
      expect((await f.events(id)).map((e) => [e.kind, e.id, e.ticketId])).toEqual([["stageChanged", "s-1", "t3"]])
    })

    h.test("addNote stores an internal note once; a different note under its id is a Conflict", async () => {
      const { id } = await f.workspace()
      const before = await h.counts(id)
      const note = { id: "n9", ticketId: "t2", authorId: "u2", createdAt: LATER, text: "call back" } as never
      const add = (n: unknown) => use(TicketStore, (s) => s.addNote(id, n as never))
      expect(await h.run(add(note))).toEqual({ created: true })
      expect((await f.snapshot(id)).document.notes).toContainEqual(note)
      expect(await h.run(add(note))).toEqual({ created: false })
      expectCounts(before, await h.counts(id), { notes: 1 })
      await f.failsWithoutChange(id, add({ ...(note as object), text: "other" }), { _tag: "Conflict" })
      await f.failsWithoutChange(id, add({ ...(note as object), id: "n10", ticketId: "t99" }), missing("ticket", "t99"))
      await f.failsWithoutChange(id, add({ ...(note as object), id: "n11", authorId: "u9" }), missing("agent", "u9"))
    })

    h.test("upsertThread creates a thread, adds messages by id, keeps comments internal, moves activity", async () => {
      const { id } = await f.workspace()
      const before = await h.counts(id)
      const command = (messages: UpsertThreadCommand["messages"]): UpsertThreadCommand => ({
        workspaceId: id,
        thread: {
          id: "th-s" as never,
          ticketId: "t4" as never,
          channel: "email",
          inboxId: "ib1" as never,
          createdAt: LATER,
        },
        messages,
      })
      await h.run(use(BlobStore, (b) => b.put(id, "sync/a1", new Uint8Array([7]))))
      const file = { id: "att-s1" as never, name: "log.txt", contentType: "text/plain", size: 1, blobKey: "sync/a1" }
      const first = [
        {
          ...message("ms-1", { author: { type: "agent", id: "u1" as never }, attachments: [file] }),
          kind: "message" as const,
        },
        { ...message("ms-2", { author: { type: "agent", id: "u1" as never } }), kind: "comment" as const },
      ]
      expect(await h.run(use(TicketStore, (s) => s.upsertThread(command(first))))).toEqual({
        created: true,
        added: ["ms-1", "ms-2"],
      })
      const later = { ...message("ms-3", { createdAt: LATER_STILL }), kind: "message" as const }
      expect(await h.run(use(TicketStore, (s) => s.upsertThread(command([...first, later]))))).toEqual({
        created: false,
        added: ["ms-3"],
      })
      const visible = await h.run(use(TicketStore, (s) => s.messagesOf(id, "th-s" as never)))
      expect(visible.map((m) => [m.id, m.attachments.map((a) => a.id)])).toEqual([
        ["ms-1", ["att-s1"]],
        ["ms-3", []],
      ])
      expect(
        Option.map(await h.run(use(TicketStore, (s) => s.attachment(id, "att-s1" as never))), (a) => a.ticketId),
      ).toEqual(Option.some("t4"))
      expect((await stored(id, "t4")).lastActivityAt).toBe(LATER_STILL)
      // One event per added message or comment, named by its author (P-NOT-1 reads them).
      expectCounts(before, await h.counts(id), { threads: 1, messages: 3, attachments: 1, blobs: 1, events: 3 })
      expect((await f.events(id)).map((e) => [e.id, e.kind, e.ticketId, e.messageId])).toEqual([
        ["evt-msg-ms-1", "message.agent", "t4", "ms-1"],
        ["evt-msg-ms-2", "message.agent", "t4", "ms-2"],
        ["evt-msg-ms-3", "message.customer", "t4", "ms-3"],
      ])
      const other = (over: Partial<UpsertThreadCommand["thread"]>, messages = [later]) =>
        use(TicketStore, (s) => s.upsertThread({ ...command(messages), thread: { ...command([]).thread, ...over } }))
      await f.failsWithoutChange(id, other({ ticketId: "t2" as never }), { _tag: "Conflict" })
      await f.failsWithoutChange(id, other({ id: "th-t" as never }, [{ ...message("m1"), kind: "message" }]), {
        _tag: "Conflict",
      })
      await f.failsWithoutChange(id, other({ id: "th-t" as never, ticketId: "t99" as never }), missing("ticket", "t99"))
      await f.failsWithoutChange(id, other({ id: "th-t" as never, inboxId: "ib9" as never }), missing("inbox", "ib9"))
      const stranger = {
        ...message("ms-9", { author: { type: "contact", id: "p9" as never } }),
        kind: "message" as const,
      }
      await f.failsWithoutChange(id, other({ id: "th-t" as never }, [stranger]), missing("contact", "p9"))
    })
  })
