// A server's heap in small: a live set, and a stream of short-lived objects of which some outlive
// two scavenges (promoted, then garbage). heap.test.ts runs it with two growth factors.
//
// It measures one cycle of the old generation from a known start: a full collection (gc(), so
// the child runs with --expose-gc) right after the live set is built, then churn until the next
// full collection (heapUsed falls by half), and prints the largest heapTotal seen in that cycle,
// in MB. One whole cycle, not a fixed number of rounds: how far a fixed count gets into the
// cycle depends on when V8's concurrent marking happened to finish, that is on the machine's load.
import { applyHeapGrowth } from "../../src/Heap.ts"

const percent = Number(process.argv[2] ?? 0)
applyHeapGrowth(percent)
const live: Array<{ a: number; b: string; c: Array<number> }> = []
for (let i = 0; i < 400_000; i++) live.push({ a: i, b: `x${i}`, c: [i] })
const collect = (globalThis as { gc?: () => void }).gc
if (collect === undefined) throw new Error("run with --expose-gc")
collect()
let maxTotal = 0
let maxUsed = 0
let inFlight: Array<{ a: number; b: string }> = []
// A safety bound far beyond one cycle at the largest factor (~3,000 rounds at 300 %).
for (let round = 0; round < 50_000; round++) {
  for (let i = 0; i < 2000; i++) inFlight.push({ a: i, b: `y${i}` })
  if (inFlight.length > 60_000) inFlight = inFlight.slice(30_000)
  const { heapTotal, heapUsed } = process.memoryUsage()
  maxTotal = Math.max(maxTotal, heapTotal)
  maxUsed = Math.max(maxUsed, heapUsed)
  if (heapUsed < maxUsed / 2) break
}
process.stdout.write(`${Math.round(maxTotal / 1048576)} ${live.length}\n`)
