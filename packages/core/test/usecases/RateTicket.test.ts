import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { TicketId } from "../../src/domain/index.ts"
import { getTicket, rateTicket, reply } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const t = (id: string) => id as TicketId

describe("rateTicket (P-EXT-2)", () => {
  it("P-EXT-2 rates a visible closed ticket once, with its event; a second rating is Conflict already_rated", async () => {
    const w = makeWorld(fixture())
    const first = success(
      await w.run(rateTicket(w.viewer("p2"), { ticketId: t("t2"), rating: "bad", comment: " slow " })),
    )
    expect(first).toMatchObject({ rating: "bad", comment: "slow" })
    expect(w.state.ratings.get("t2")).toEqual(first)
    expect(w.state.events).toEqual([{ kind: "ticket.rated", ticketId: "t2" }])
    const again = failure(await w.run(rateTicket(w.viewer("p2"), { ticketId: t("t2"), rating: "good" })))
    expect(again).toMatchObject({ _tag: "Conflict", reason: "already_rated" })
    expect(w.state.ratings.get("t2")).toEqual(first)
    expect(w.state.events).toHaveLength(1)
  })
  it("P-EXT-2 an open ticket cannot be rated: rating_needs_closed_ticket, nothing stored", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(rateTicket(w.viewer("p1"), { ticketId: t("t1"), rating: "good" })))).toMatchObject({
      _tag: "ActionNotAllowed",
      action: "rate",
      code: "rating_needs_closed_ticket",
    })
    expect(w.state.ratings.size).toBe(0)
  })
  it("P-EXT-2 P-VIS-4 a ticket the customer may not see is TicketNotFound, exactly like a missing one", async () => {
    const closedStage: Record<string, string> = { support: "closed", billing: "resolved", internal: "done" }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("p1", "p2", "p3"),
        fc.constantFrom("t1", "t2", "t3", "t4", "t5", "t6", "missing"),
        async (p, id) => {
          const w = makeWorld(
            fixture((d) => {
              for (const x of d.tickets) Object.assign(x, { stageId: closedStage[x.pipelineId] })
            }),
          )
          const read = await w.run(getTicket(w.viewer(p), t(id)))
          const rated = await w.run(rateTicket(w.viewer(p), { ticketId: t(id), rating: "good" }))
          if (read._tag === "Failure") {
            expect(failure(rated)).toEqual(failure(read))
            expect(w.state.ratings.size).toBe(0)
          } else expect(success(rated).rating).toBe("good")
        },
      ),
      { numRuns: 50 },
    )
  })
  it("P-EXT-2 bad input is ValidationFailed and stores nothing", async () => {
    const w = makeWorld(fixture())
    const e = failure(
      await w.run(rateTicket(w.viewer("p2"), { ticketId: t("t2"), rating: "meh" as never, comment: "x".repeat(2001) })),
    )
    expect(e._tag).toBe("ValidationFailed")
    expect(w.state.ratings.size).toBe(0)
  })
})

describe("reply reopens a closed ticket (P-EXT-5)", () => {
  const input = { ticketId: t("t2"), text: "It broke again", attachments: [], idempotencyKey: "k-reopen" }
  it("P-EXT-5 a customer reply to a closed ticket moves it to the configured open stage with a stageChanged event", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.actions.allowReplyToClosed = true
        Object.assign(d.portal.actions, { reopenStageByPipeline: { support: "waiting" } })
      }),
    )
    success(await w.run(reply(w.viewer("p2"), input)))
    expect(w.state.tickets.get("t2")?.stageId).toBe("waiting")
    expect(w.state.replies[0]?.reopen?.stageId).toBe("waiting")
    expect(w.state.events).toEqual([{ kind: "stageChanged", ticketId: "t2" }])
  })
  it("P-EXT-5 without a reopen stage the ticket stays closed", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.actions.allowReplyToClosed = true
      }),
    )
    success(await w.run(reply(w.viewer("p2"), input)))
    expect(w.state.tickets.get("t2")?.stageId).toBe("closed")
    expect(w.state.replies[0]?.reopen).toBeUndefined()
  })
  it("P-EXT-5 a reply to an open ticket never moves it", async () => {
    const w = makeWorld(
      fixture((d) => {
        Object.assign(d.portal.actions, { reopenStageByPipeline: { support: "waiting" } })
      }),
    )
    success(await w.run(reply(w.viewer("p1"), { ...input, ticketId: t("t1") })))
    expect(w.state.tickets.get("t1")?.stageId).toBe("new")
    expect(w.state.replies[0]?.reopen).toBeUndefined()
  })
})
