/**
 * The server's heap growth. After each full collection V8 lets the old generation grow to a
 * multiple of what survived, up to 4× when collecting is cheap. Under load a server promotes
 * every in-flight request's data that outlives two scavenges, so the old generation fills with
 * garbage up to that limit before the next mark-compact: with ~47 MB live, RSS saw-toothed up
 * to 260–296 MB (docs/http-bench.md). A fixed factor (`--heap-growing-percent`, read by V8 at
 * every full collection, so it can be set once the process runs) bounds the sawtooth at a small
 * CPU cost: more, equally cheap, mark-compacts.
 */
import { setFlagsFromString } from "node:v8"

/** Apply PORTAL_HEAP_GROWTH_PERCENT (Config.ts); 0 leaves V8's own heuristics. */
export const applyHeapGrowth = (percent: number): void => {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.trunc(percent)}`)
}
