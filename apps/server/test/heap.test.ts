// PORTAL_HEAP_GROWTH_PERCENT (Heap.ts, Config.ts): the bound is applied to the running process.
// The same churn (support/heap-churn.ts: a live set and promoted garbage, as a loaded server has)
// in a child process with V8's own growth and with the portal's default of 100 %.
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const script = fileURLToPath(new URL("./support/heap-churn.ts", import.meta.url))
const maxHeapMb = (percent: number): number => {
  const out = execFileSync(process.execPath, ["--import", "tsx", script, String(percent)], { encoding: "utf8" })
  return Number(out.split(" ")[0])
}

describe("heap growth (PORTAL_HEAP_GROWTH_PERCENT)", () => {
  it("bounds the old generation's growth between full collections", () => {
    const unbounded = maxHeapMb(0)
    const bounded = maxHeapMb(100)
    // V8's heuristics let this heap reach ~210 MB; doubling what survives keeps it near 150.
    expect(bounded).toBeLessThan(unbounded * 0.85)
  }, 60_000)
})
