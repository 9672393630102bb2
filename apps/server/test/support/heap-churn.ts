// A server's heap in small: a live set, and a stream of short-lived objects of which some outlive
// two scavenges (promoted, then garbage). Prints the largest heapTotal seen, in MB. heap.test.ts
// runs it with and without applyHeapGrowth.
import { applyHeapGrowth } from "../../src/Heap.ts"

const percent = Number(process.argv[2] ?? 0)
applyHeapGrowth(percent)
const live: Array<{ a: number; b: string; c: Array<number> }> = []
for (let i = 0; i < 400_000; i++) live.push({ a: i, b: `x${i}`, c: [i] })
let max = 0
let inFlight: Array<{ a: number; b: string }> = []
for (let round = 0; round < 3000; round++) {
  for (let i = 0; i < 2000; i++) inFlight.push({ a: i, b: `y${i}` })
  if (inFlight.length > 60_000) inFlight = inFlight.slice(30_000)
  max = Math.max(max, process.memoryUsage().heapTotal)
}
process.stdout.write(`${Math.round(max / 1048576)} ${live.length}\n`)
