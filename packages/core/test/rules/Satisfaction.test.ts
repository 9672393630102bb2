import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { PortalSettings } from "../../src/domain/index.ts"
import {
  rateDecision,
  rateInputIssues,
  reopenStageFor,
  SATISFACTION_COMMENT_MAX_LENGTH,
  satisfactionOf,
  settingsIssues,
} from "../../src/rules/index.ts"
import { documentIssues } from "../../src/usecases/ImportChecks.ts"
import { RUNS } from "../support/Arbitraries.ts"
import { catalogOf } from "../support/Catalog.ts"
import { fixture } from "../support/Fixture.ts"
import { expectCoded, pathCodes } from "../support/Issues.ts"

const doc = fixture()
const support = doc.pipelines.find((p) => p.id === "support")

describe("P-EXT-2 satisfaction rule", () => {
  it("P-EXT-2 only a closed, unrated ticket may be rated", () => {
    expect(rateDecision("closed", null)).toEqual({ allowed: true })
    expect(rateDecision("open", null)).toEqual({ allowed: false, code: "rating_needs_closed_ticket" })
    const rated = { rating: "good" as const, at: "2026-12-05T10:00:00Z" }
    expect(rateDecision("closed", rated)).toEqual({ allowed: false, code: "already_rated" })
    expect(rateDecision("open", rated)).toEqual({ allowed: false, code: "already_rated" })
  })
  it("P-EXT-2 the input is good or bad with a comment of at most 2000 characters", () => {
    expect(rateInputIssues({ rating: "good" })).toEqual([])
    expect(rateInputIssues({ rating: "bad", comment: "x".repeat(SATISFACTION_COMMENT_MAX_LENGTH) })).toEqual([])
    expect(
      pathCodes(
        expectCoded(rateInputIssues({ rating: "meh", comment: "x".repeat(SATISFACTION_COMMENT_MAX_LENGTH + 1) })),
      ),
    ).toEqual(["rating:invalid_input", "comment:too_long"])
    fc.assert(
      fc.property(fc.string(), (rating) => {
        expect(rateInputIssues({ rating }).length === 0).toBe(rating === "good" || rating === "bad")
      }),
      RUNS,
    )
  })
  it("P-EXT-2 a blank comment is no comment", () => {
    expect(satisfactionOf("good", "   ", "2026-12-05T10:00:00Z")).toEqual({
      rating: "good",
      at: "2026-12-05T10:00:00Z",
    })
    expect(satisfactionOf("bad", " slow ", "2026-12-05T10:00:00Z")).toEqual({
      rating: "bad",
      comment: "slow",
      at: "2026-12-05T10:00:00Z",
    })
  })
})

/** The settings' reopen mapping (ids are branded; the test writes plain strings). */
const reopen = (mapping: Record<string, string>) => ({
  reopenStageByPipeline: mapping as PortalSettings["actions"]["closedStageByPipeline"] & object,
})

describe("P-EXT-5 reopen stage rule", () => {
  it("P-EXT-5 a closed ticket moves to the open stage named for its pipeline; absent, it stays", () => {
    expect(reopenStageFor("closed", support, reopen({ support: "waiting" }))).toBe("waiting")
    expect(reopenStageFor("closed", support, {})).toBeNull()
    expect(reopenStageFor("closed", support, reopen({ billing: "open" }))).toBeNull()
    // An open ticket is not moved.
    expect(reopenStageFor("open", support, reopen({ support: "waiting" }))).toBeNull()
  })
  it("P-EXT-5 a closed or missing stage is never used (validation reports it)", () => {
    expect(reopenStageFor("closed", support, reopen({ support: "closed" }))).toBeNull()
    expect(reopenStageFor("closed", support, reopen({ support: "nope" }))).toBeNull()
    expect(reopenStageFor("closed", undefined, reopen({ support: "waiting" }))).toBeNull()
  })
  it("P-EXT-5 P-SEC-7 settings validation: an open stage of an existing pipeline only", () => {
    const catalog = catalogOf(doc)
    const with_ = (reopenStageByPipeline: Record<string, string>): PortalSettings =>
      ({
        ...doc.portal,
        actions: { ...doc.portal.actions, reopenStageByPipeline },
      }) as PortalSettings
    expect(settingsIssues(with_({ support: "waiting", billing: "open" }), catalog)).toEqual([])
    expect(
      pathCodes(expectCoded(settingsIssues(with_({ support: "closed", billing: "gone", nowhere: "x" }), catalog))),
    ).toEqual([
      "actions.reopenStageByPipeline.support:stage_not_open",
      "actions.reopenStageByPipeline.billing:unknown_stage",
      "actions.reopenStageByPipeline.nowhere:unknown_pipeline",
    ])
  })
  it("P-EXT-5 P-SEC-7 an import applies the same check, with the JSON path", () => {
    const bad = fixture((d) => {
      Object.assign(d.portal.actions, { reopenStageByPipeline: { support: "closed" } })
    })
    expect(pathCodes(documentIssues(bad))).toContain("portal.actions.reopenStageByPipeline.support:stage_not_open")
    const good = fixture((d) => {
      Object.assign(d.portal.actions, { reopenStageByPipeline: { support: "waiting" } })
    })
    expect(documentIssues(good)).toEqual([])
  })
})
