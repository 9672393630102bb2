import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  ACTION_REFUSAL_CODES,
  type InboxId,
  type Pipeline,
  type StageId,
  type ThreadId,
} from "../../src/domain/index.ts"
import {
  closeDecision,
  closedStageFor,
  mayClose,
  mayReply,
  refusalText,
  replyDecision,
  replyTarget,
  resolveClosedStage,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const pipeline = (id: string, stages: Array<[string, "open" | "closed"]>): Pipeline => ({
  id: id as never,
  label: id,
  stages: stages.map(([s, state]) => ({ id: s as StageId, label: s, state })),
})
const support = pipeline("support", [
  ["new", "open"],
  ["closed", "closed"],
])
const billing = pipeline("billing", [
  ["open", "open"],
  ["resolved", "closed"],
  ["rejected", "closed"],
])
const noClosed = pipeline("triage", [["new", "open"]])
const byPipeline = (m: Record<string, string>) => m as never

describe("P-ACT-1, P-ACT-2 replying", () => {
  it.each([
    ["open", false, true],
    ["open", true, true],
    ["closed", false, false],
    ["closed", true, true],
  ] as const)(
    "P-ACT-1/2 a %s ticket with allowReplyToClosed=%s → may reply %s",
    (state, allowReplyToClosed, expected) => {
      expect(mayReply(state, { allowReplyToClosed })).toBe(expected)
    },
  )
  it("P-ACT-2 the refusal says why: closed_ticket_reply_disabled", () => {
    const d = replyDecision("closed", { allowReplyToClosed: false })
    expect(d).toEqual({ allowed: false, code: "closed_ticket_reply_disabled" })
    expect(refusalText("closed_ticket_reply_disabled")).toMatch(/closed/)
  })
})

describe("P-ACT-3 the closed stage of a pipeline", () => {
  it("P-ACT-3 a pipeline with one closed stage uses it by default", () => {
    expect(resolveClosedStage(support, {})).toEqual({ _tag: "Resolved", stageId: "closed" })
  })
  it("P-ACT-3 the stage chosen for the pipeline wins", () => {
    expect(closedStageFor(billing, { closedStageByPipeline: byPipeline({ billing: "rejected" }) })).toBe("rejected")
  })
  it("P-ACT-3 several closed stages and no choice: ambiguous, none is guessed", () => {
    expect(resolveClosedStage(billing, {})).toEqual({ _tag: "Ambiguous", candidates: ["resolved", "rejected"] })
    expect(closedStageFor(billing, { closedStageByPipeline: byPipeline({ support: "closed" }) })).toBeNull()
  })
  it("P-ACT-3 a choice naming an open or missing stage is ignored", () => {
    expect(closedStageFor(support, { closedStageByPipeline: byPipeline({ support: "new" }) })).toBe("closed")
    expect(closedStageFor(billing, { closedStageByPipeline: byPipeline({ billing: "open" }) })).toBeNull()
    expect(closedStageFor(support, { closedStageByPipeline: byPipeline({ support: "gone" }) })).toBe("closed")
  })
  it("P-ACT-3 a pipeline without a closed stage has none", () => {
    expect(resolveClosedStage(noClosed, {})).toEqual({ _tag: "None" })
  })
  it("P-ACT-3 property: a resolved stage is always a closed stage of that pipeline, the choice when valid", () => {
    const stages = fc.uniqueArray(
      fc.tuple(fc.constantFrom("a", "b", "c", "d", "e"), fc.constantFrom("open" as const, "closed" as const)),
      {
        selector: ([id]) => id,
        maxLength: 5,
      },
    )
    fc.assert(
      fc.property(stages, fc.option(fc.constantFrom("a", "b", "c", "d", "e", "z"), { nil: undefined }), (s, chosen) => {
        const p = pipeline("p", s)
        const stageId = closedStageFor(
          p,
          chosen === undefined ? {} : { closedStageByPipeline: byPipeline({ p: chosen }) },
        )
        const closed: Array<string> = s.filter(([, st]) => st === "closed").map(([id]) => id)
        if (stageId !== null) expect(closed).toContain(stageId)
        if (chosen !== undefined && closed.includes(chosen)) expect(stageId).toBe(chosen)
        else expect(stageId).toBe(closed.length === 1 ? closed[0] : null)
      }),
      RUNS,
    )
  })
})

describe("P-ACT-3 closing", () => {
  const actions = { allowClose: true }
  it("P-ACT-3 allowed: an open ticket, closing on, a resolvable stage", () => {
    expect(closeDecision("open", support, actions)).toEqual({ allowed: true, stageId: "closed" })
  })
  it("P-ACT-3 refused when closing is off: close_disabled", () => {
    expect(closeDecision("open", support, { allowClose: false })).toEqual({ allowed: false, code: "close_disabled" })
  })
  it("P-ACT-3 refused for a ticket already closed: already_closed", () => {
    expect(closeDecision("closed", support, actions)).toEqual({ allowed: false, code: "already_closed" })
  })
  it("P-ACT-3 refused when no stage (no_closed_stage) or several stages without a choice (ambiguous_closed_stage)", () => {
    expect(closeDecision("open", noClosed, actions)).toEqual({ allowed: false, code: "no_closed_stage" })
    expect(closeDecision("open", billing, actions)).toEqual({ allowed: false, code: "ambiguous_closed_stage" })
    expect(closeDecision("open", undefined, actions)).toEqual({ allowed: false, code: "no_closed_stage" })
  })
  it("P-ACT-2/3/4 every refusal code is one of ACTION_REFUSAL_CODES and has an English text", () => {
    for (const code of [
      "closed_ticket_reply_disabled",
      "already_closed",
      "close_disabled",
      "no_closed_stage",
      "ambiguous_closed_stage",
      "no_default_inbox",
    ] as const) {
      expect(ACTION_REFUSAL_CODES).toContain(code)
      expect(refusalText(code).length).toBeGreaterThan(0)
    }
  })
  it("P-ACT-3 property: may close ⇒ closing on ∧ ticket open", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("open" as const, "closed" as const),
        fc.boolean(),
        fc.constantFrom(support, billing, noClosed),
        (state, allowClose, p) => {
          if (mayClose(state, p, { allowClose })) expect(allowClose && state === "open").toBe(true)
        },
      ),
      RUNS,
    )
  })
})

describe("P-ACT-4 where a reply goes", () => {
  const known = ["ib1", "ib2"] as Array<InboxId>
  it("P-ACT-4 into the visible thread when there is one", () => {
    expect(replyTarget("th1" as ThreadId, "ib1" as InboxId, known)).toEqual({ _tag: "Existing", threadId: "th1" })
    expect(replyTarget("th1" as ThreadId, null, known)).toEqual({ _tag: "Existing", threadId: "th1" })
  })
  it("P-ACT-4 a new email thread in the default inbox when there is none", () => {
    expect(replyTarget(null, "ib2" as InboxId, known)).toEqual({ _tag: "New", inboxId: "ib2", channel: "email" })
  })
  it("P-ACT-4 refused with no_default_inbox when no default inbox is configured", () => {
    expect(replyTarget(null, null, known)).toEqual({ _tag: "Refused", code: "no_default_inbox" })
    expect(refusalText("no_default_inbox")).toMatch(/default inbox/)
  })
  it("P-ACT-4 refused with no_default_inbox when the default inbox no longer exists", () => {
    expect(replyTarget(null, "ib-gone" as InboxId, new Set(known))).toEqual({
      _tag: "Refused",
      code: "no_default_inbox",
    })
  })
})
