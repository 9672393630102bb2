// PORTAL_HEAP_GROWTH_PERCENT (Heap.ts, Config.ts): the bound is applied to the running process.
// The same churn (support/heap-churn.ts: a live set and promoted garbage, as a loaded server has)
// in a child process with two growth factors the setting allows.
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const script = fileURLToPath(new URL("./support/heap-churn.ts", import.meta.url))
const maxHeapMb = (percent: number): number => {
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", script, String(percent)], {
    encoding: "utf8",
  })
  return Number(out.split(" ")[0])
}

describe("heap growth (PORTAL_HEAP_GROWTH_PERCENT)", () => {
  it("bounds the old generation's growth between full collections", () => {
    // Two fixed factors, not V8's own heuristics, and one whole cycle from a full collection
    // (support/heap-churn.ts): a fixed number of rounds ended anywhere in a cycle depending on the
    // machine's load (a CI run saw 181 MB where an idle machine sees 319). A no-op applyHeapGrowth
    // leaves both runs on V8's heuristics (~290 MB), and this fails.
    const loose = maxHeapMb(300)
    const bounded = maxHeapMb(50)
    // ~290 MB with a fourfold growth, ~145 with one and a half (also with three busy loops beside).
    expect(bounded).toBeLessThan(loose * 0.7)
  }, 60_000)
})
