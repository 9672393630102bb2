/**
 * TicketStore.close and createTicket as single transactions (P-ACT-3, P-FORM-3, P-ACT-5), and
 * the event feed: one event per write, sequences increasing per workspace, paged by
 * `afterSequence` and `limit`.
 */
import type { TicketListQuery, WorkspaceId } from "@portal/core/domain"
import { type CreateTicketCommand, TicketStore } from "@portal/core/ports"
import { type ListingData, listTicketsPure } from "@portal/core/rules"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import { claim, fixtures, kenScope, LATER, LATER_STILL, message, newTicket, replyTo } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const create = (
  ws: WorkspaceId,
  ticketId: string,
  key: string,
  over: Partial<CreateTicketCommand> = {},
): CreateTicketCommand => ({
  workspaceId: ws,
  ticket: newTicket(ticketId),
  thread: { id: `th-${ticketId}` as never, inboxId: "ib1" as never, channel: "form" },
  message: message(`m-${ticketId}`),
  idempotency: claim(key, { scope: "contact:p1/form.submit" }),
  eventId: `event-${key}`,
  ...over,
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore close and create", makeLayer, options, (h) => {
    const f = fixtures(h, "life")
    const close = (ws: WorkspaceId, ticketId: string, stageId: string, eventId: string) =>
      use(TicketStore, (s) =>
        s.close({
          workspaceId: ws,
          ticketId: ticketId as never,
          stageId: stageId as never,
          at: LATER,
          by: "p1" as never,
          eventId,
        }),
      )

    h.test("close moves the ticket to the stage, bumps its activity time and records an event", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      await h.run(close(ws, "t2", "closed", "c-1"))
      const got = await h.run(use(TicketStore, (s) => s.get(kenScope(ws), "t2" as never)))
      expect(Option.map(got, (g) => [g.ticket.stageId, g.ticket.lastActivityAt, g.summary.status.state])).toEqual(
        Option.some(["closed", LATER, "closed"]),
      )
      expect(await f.events(ws)).toEqual([
        {
          id: "c-1",
          workspaceId: ws,
          kind: "close",
          ticketId: "t2",
          messageId: null,
          at: LATER,
          sequence: expect.any(Number),
        },
      ])
      expectCounts(before, await h.counts(ws), { events: 1 })
    })

    h.test("the list's sort keys follow a close: sorted by status it equals the pure rule's (P-EXT-4)", async () => {
      const doc = await f.workspace()
      const ws = doc.id
      await h.run(close(ws, "t2", "closed", "c-sort"))
      const after: ListingData = {
        ...doc,
        tickets: doc.tickets.map((t) =>
          t.id === "t2" ? { ...t, stageId: "closed" as never, lastActivityAt: LATER } : t,
        ),
      }
      for (const statusDisplay of ["openClosed", "stages"] as const)
        for (const direction of ["asc", "desc"] as const)
          for (const sort of ["status", "subject", "owner", "lastActivity"] as const) {
            const query: TicketListQuery = {
              view: "all",
              status: null,
              search: null,
              sort,
              direction,
              statusDisplay,
              cursor: null,
              limit: 100,
            }
            const got = await h.run(use(TicketStore, (s) => s.list(kenScope(ws), query)))
            const want = Effect.runSync(listTicketsPure(after, kenScope(ws), query))
            expect(got.items.map((i) => i.id)).toEqual(want.items.map((i) => i.id))
          }
    })

    h.test("close to a stage outside the ticket's pipeline, or of a missing ticket, changes nothing", async () => {
      const ws = (await f.workspace()).id
      await f.failsWithoutChange(ws, close(ws, "t2", "resolved", "c-bad"))
      await f.failsWithoutChange(ws, close(ws, "no-such-ticket", "closed", "c-bad2"))
    })

    h.test("createTicket stores ticket, thread, message and event, visible to its requester (P-FORM-3)", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const command = create(ws, "new-1", "kc1")
      expect(await h.run(use(TicketStore, (s) => s.createTicket(command)))).toEqual({
        ticketId: "new-1",
        duplicate: false,
      })
      const got = await h.run(use(TicketStore, (s) => s.get(kenScope(ws), "new-1" as never)))
      expect(Option.map(got, (g) => g.ticket)).toEqual(Option.some(command.ticket))
      expect(Option.map(got, (g) => g.summary.requester)).toEqual(
        Option.some({ id: "p1", name: "Ken Ito", firstName: "Ken", lastName: "Ito" }),
      )
      expect(await h.run(use(TicketStore, (s) => s.threadsOf(ws, "new-1" as never)))).toEqual([
        { id: "th-new-1", ticketId: "new-1", channel: "form", inboxId: "ib1", createdAt: LATER },
      ])
      const messages = await h.run(use(TicketStore, (s) => s.messagesOf(ws, "th-new-1" as never)))
      expect(messages.map((m) => [m.id, m.text])).toEqual([["m-new-1", command.message.text]])
      const page = await h.run(
        use(TicketStore, (s) =>
          s.list(kenScope(ws), {
            view: "mine",
            status: "open",
            search: "ON FIRE",
            sort: "created",
            cursor: null,
            limit: 10,
          }),
        ),
      )
      expect(page.items.map((i) => i.id)).toEqual(["new-1"])
      expect(await f.events(ws)).toEqual([
        {
          id: "event-kc1",
          workspaceId: ws,
          kind: "ticketCreated",
          ticketId: "new-1",
          messageId: "m-new-1",
          at: LATER,
          sequence: expect.any(Number),
        },
      ])
      expectCounts(before, await h.counts(ws), { tickets: 1, threads: 1, messages: 1, events: 1 })
    })

    h.test("createTicket with a used idempotency key returns the first ticket and writes nothing", async () => {
      const ws = (await f.workspace()).id
      await h.run(use(TicketStore, (s) => s.createTicket(create(ws, "new-1", "kc1"))))
      const before = await f.snapshot(ws)
      const again = await h.run(use(TicketStore, (s) => s.createTicket(create(ws, "new-2", "kc1"))))
      expect(again).toEqual({ ticketId: "new-1", duplicate: true })
      expect(await f.snapshot(ws)).toEqual(before)
    })

    h.test("createTicket with a taken ticket, thread or message id changes nothing", async () => {
      const ws = (await f.workspace()).id
      await f.failsWithoutChange(
        ws,
        use(TicketStore, (s) => s.createTicket(create(ws, "t1", "k-a"))),
      )
      await f.failsWithoutChange(
        ws,
        use(TicketStore, (s) =>
          s.createTicket(
            create(ws, "new-3", "k-b", { thread: { id: "th1" as never, inboxId: "ib1" as never, channel: "form" } }),
          ),
        ),
      )
      await f.failsWithoutChange(
        ws,
        use(TicketStore, (s) => s.createTicket(create(ws, "new-4", "k-c", { message: message("m1") }))),
      )
      expect(await h.run(use(TicketStore, (s) => s.createTicket(create(ws, "new-5", "k-a"))))).toEqual({
        ticketId: "new-5",
        duplicate: false,
      })
    })

    h.test("events have increasing sequences per workspace and page by afterSequence and limit", async () => {
      const ws = (await f.workspace()).id
      const other = (await f.workspace()).id
      await h.run(use(TicketStore, (s) => s.reply(replyTo(other, "t2", "th2", message("o1"), "o1"))))
      await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message("r1"), "r1"))))
      await h.run(close(ws, "t2", "closed", "close-1"))
      await h.run(
        use(TicketStore, (s) =>
          s.createTicket(create(ws, "new-1", "kc1", { message: message("m-new", { createdAt: LATER_STILL }) })),
        ),
      )
      const all = await f.events(ws)
      expect(all.map((e) => [e.kind, e.id])).toEqual([
        ["reply", "event-r1"],
        ["close", "close-1"],
        ["ticketCreated", "event-kc1"],
      ])
      const sequences = all.map((e) => e.sequence)
      expect(sequences.every((s, i) => i === 0 || s > sequences[i - 1]!)).toBe(true)
      const after = await h.run(use(TicketStore, (s) => s.events(ws, sequences[0]!, 1)))
      expect(after.map((e) => e.id)).toEqual(["close-1"])
      expect(await h.run(use(TicketStore, (s) => s.events(ws, sequences[2]!, 10)))).toEqual([])
      expect((await f.events(other)).map((e) => e.id)).toEqual(["event-o1"])
    })
  })
