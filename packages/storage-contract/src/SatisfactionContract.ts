/**
 * P-EXT-2 and P-EXT-5 in storage: a ticket's rating is stored once with its "ticket.rated" event
 * in one transaction (a second rating is Conflict `already_rated` and changes nothing), and a
 * reopening reply moves the ticket to its stage with a "stageChanged" event after the reply's
 * own, in the reply's transaction; the same reply again moves nothing. Ratings travel in the
 * workspace document (`tickets[].satisfaction`, P-DATA-1).
 */
import type { Satisfaction, WorkspaceId } from "@portal/core/domain"
import { type RateCommand, TicketStore } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { exportDoc, importDoc } from "./Documents.ts"
import { fixtures, kenScope, LATER, message, replyTo } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const rated = (over: Partial<Satisfaction> = {}): Satisfaction => ({
  rating: "bad",
  comment: "Took a week — 遅い",
  at: LATER,
  ...over,
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore satisfaction and reopen", makeLayer, options, (h) => {
    const f = fixtures(h, "rate")
    const rate = (ws: WorkspaceId, ticketId: string, eventId: string, satisfaction = rated()) =>
      use(TicketStore, (s) =>
        s.rate({
          workspaceId: ws,
          ticketId: ticketId as RateCommand["ticketId"],
          satisfaction,
          by: "p1" as never,
          eventId,
        }),
      )
    const ratingOf = (ws: WorkspaceId, ticketId: string) =>
      h.run(use(TicketStore, (s) => s.satisfactionOf(ws, ticketId as never)))

    h.test("P-EXT-2 rate stores the rating and one ticket.rated event", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      expect(await ratingOf(ws, "t3")).toEqual(Option.none())
      await h.run(rate(ws, "t3", "r-1"))
      expect(await ratingOf(ws, "t3")).toEqual(Option.some(rated()))
      expect(await f.events(ws)).toEqual([
        {
          id: "r-1",
          workspaceId: ws,
          kind: "ticket.rated",
          ticketId: "t3",
          messageId: null,
          at: LATER,
          sequence: expect.any(Number),
        },
      ])
      expectCounts(before, await h.counts(ws), { events: 1, ticket_satisfaction: 1 })
      // Without a comment it comes back without one.
      await h.run(rate(ws, "t5", "r-2", { rating: "good", at: LATER }))
      expect(await ratingOf(ws, "t5")).toEqual(Option.some({ rating: "good", at: LATER }))
    })

    h.test("P-EXT-2 a second rating of one ticket is Conflict already_rated and changes nothing", async () => {
      const ws = (await f.workspace()).id
      await h.run(rate(ws, "t3", "r-1"))
      await f.failsWithoutChange(ws, rate(ws, "t3", "r-2", rated({ rating: "good" })), {
        _tag: "Conflict",
        reason: "already_rated",
      })
      expect(await ratingOf(ws, "t3")).toEqual(Option.some(rated()))
    })

    h.test("P-EXT-2 rating a missing ticket changes nothing", async () => {
      const ws = (await f.workspace()).id
      await f.failsWithoutChange(ws, rate(ws, "no-such-ticket", "r-x"))
    })

    h.test("P-EXT-2 P-DATA-1 ratings travel in the document: export, import, export is the same", async () => {
      const ws = (await f.workspace()).id
      await h.run(rate(ws, "t3", "r-1"))
      const first = Option.getOrThrow(await h.run(exportDoc(ws)))
      expect(first.tickets.find((t) => t.id === "t3")?.satisfaction).toEqual(rated())
      expect(first.tickets.find((t) => t.id === "t2")?.satisfaction).toBeUndefined()
      await h.run(importDoc(first))
      expect(Option.getOrThrow(await h.run(exportDoc(ws)))).toEqual(first)
      expect(await ratingOf(ws, "t3")).toEqual(Option.some(rated()))
    })

    h.test("P-EXT-5 a reopening reply moves the ticket with a stageChanged event after the reply's", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const command = {
        ...replyTo(ws, "t3", "th3", message("m-reopen"), "k-reopen"),
        reopen: { stageId: "waiting" as never, eventId: "e-reopen" },
      }
      await h.run(use(TicketStore, (s) => s.reply(command)))
      const got = await h.run(use(TicketStore, (s) => s.get(kenScope(ws), "t3" as never)))
      expect(Option.map(got, (g) => [g.ticket.stageId, g.summary.status.state, g.ticket.lastActivityAt])).toEqual(
        Option.some(["waiting", "open", LATER]),
      )
      expect((await f.events(ws)).map((e) => [e.id, e.kind, e.ticketId, e.messageId])).toEqual([
        ["event-k-reopen", "reply", "t3", "m-reopen"],
        ["e-reopen", "stageChanged", "t3", null],
      ])
      expectCounts(before, await h.counts(ws), { events: 2, messages: 1 })
      // The same reply again (idempotency) stores and moves nothing.
      const again = await h.run(
        use(TicketStore, (s) =>
          s.reply({
            ...command,
            message: message("m-other"),
            eventId: "e-2",
            reopen: { stageId: "new" as never, eventId: "e-3" },
          }),
        ),
      )
      expect(again.duplicate).toBe(true)
      const still = await h.run(use(TicketStore, (s) => s.get(kenScope(ws), "t3" as never)))
      expect(Option.map(still, (g) => g.ticket.stageId)).toEqual(Option.some("waiting"))
      expect(await f.events(ws)).toHaveLength(2)
    })

    h.test("P-EXT-5 a reopening reply to a stage outside the ticket's pipeline changes nothing", async () => {
      const ws = (await f.workspace()).id
      const command = {
        ...replyTo(ws, "t3", "th3", message("m-bad"), "k-bad"),
        reopen: { stageId: "open" as never, eventId: "e-bad" },
      }
      await f.failsWithoutChange(
        ws,
        use(TicketStore, (s) => s.reply(command)),
      )
    })
  })
