import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { stateMessageKey, statusLabel, statusText } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

describe("P-LIST-3 status display", () => {
  it("P-LIST-3 by default only Open or Closed, as a state the UI translates", () => {
    expect(statusLabel({ state: "open", stageLabel: "Waiting on us" }, "openClosed")).toEqual({
      kind: "state",
      state: "open",
    })
    expect(statusLabel({ state: "closed", stageLabel: "Rejected" }, "openClosed")).toEqual({
      kind: "state",
      state: "closed",
    })
  })
  it("P-LIST-3 with statusDisplay 'stages' the pipeline's stage label, as typed", () => {
    expect(statusLabel({ state: "open", stageLabel: "Waiting on us" }, "stages")).toEqual({
      kind: "stage",
      label: "Waiting on us",
      state: "open",
    })
  })
  it("P-LIST-3 catalog keys and plain-text fallbacks", () => {
    expect(stateMessageKey("open")).toBe("status.open")
    expect(stateMessageKey("closed")).toBe("status.closed")
    expect(statusText({ kind: "state", state: "closed" })).toBe("Closed")
    expect(statusText({ kind: "stage", label: "対応中", state: "open" })).toBe("対応中")
  })
  it("P-LIST-3 property: the default display never shows a stage label; 'stages' always does", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("open" as const, "closed" as const),
        fc.string({ minLength: 1 }),
        (state, stageLabel) => {
          const plain = statusLabel({ state, stageLabel }, "openClosed")
          expect(plain).toEqual({ kind: "state", state })
          expect(statusText(plain)).toBe(state === "open" ? "Open" : "Closed")
          expect(statusText(statusLabel({ state, stageLabel }, "stages"))).toBe(stageLabel)
        },
      ),
      RUNS,
    )
  })
})
