import { describe, expect, it } from "vitest"
import type { TicketId } from "../../src/domain/index.ts"
import { closeTicket, getTicket } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const t = (id: string) => id as TicketId

describe("closeTicket (P-ACT-3)", () => {
  it("P-ACT-3 moves an open ticket to its pipeline's only closed stage", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(closeTicket(w.viewer("p1"), t("t1"))))).toEqual({ stageId: "closed" })
    expect(w.state.closes).toEqual([{ ticketId: "t1", stageId: "closed", by: "p1" }])
    expect(success(await w.run(getTicket(w.viewer("p1"), t("t1"))))).toMatchObject({ canClose: false, canReply: false })
  })
  it("P-ACT-3 uses the stage chosen for the pipeline", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(closeTicket(w.viewer("p3"), t("t3"))))).toEqual({ stageId: "resolved" })
  })
  it("P-ACT-3 refuses when several closed stages exist and none is chosen: ambiguous_closed_stage", async () => {
    const w = makeWorld(
      fixture((d) => {
        delete (d.portal.actions as { closedStageByPipeline?: unknown }).closedStageByPipeline
      }),
    )
    const e = failure(await w.run(closeTicket(w.viewer("p3"), t("t3"))))
    expect(e).toMatchObject({ _tag: "ActionNotAllowed", action: "close", code: "ambiguous_closed_stage" })
    expect(w.state.closes).toEqual([])
  })
  it("P-ACT-3 refuses when closing is off (close_disabled), or the ticket is already closed (already_closed)", async () => {
    const off = makeWorld(
      fixture((d) => {
        d.portal.actions.allowClose = false
      }),
    )
    expect(failure(await off.run(closeTicket(off.viewer("p1"), t("t1"))))).toMatchObject({
      _tag: "ActionNotAllowed",
      action: "close",
      code: "close_disabled",
    })
    const w = makeWorld(fixture())
    expect(failure(await w.run(closeTicket(w.viewer("p2"), t("t2"))))).toMatchObject({
      _tag: "ActionNotAllowed",
      code: "already_closed",
      reason: "This ticket is already closed.",
    })
    expect([...off.state.closes, ...w.state.closes]).toEqual([])
  })
  it("P-VIS-4 closing an invisible ticket is TicketNotFound", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(closeTicket(w.viewer("p1"), t("t4"))))._tag).toBe("TicketNotFound")
    expect(w.state.closes).toEqual([])
  })
})
