/**
 * One server of the HTTP benchmark in its own process (forked by bench/http-bench.ts), so that
 * each server's CPU time and RSS are its own. Speaks a small request/answer protocol over IPC:
 * start (portal, its core-direct variant | minimal | same), stats, record, import, stop.
 */
// The portal's modules are imported only by the portal's process: a baseline's RSS is its own.
import { type Baseline, type BaselineMode, type Plan, startBaseline } from "./baseline.ts"
import type { BenchPortal } from "./portal.ts"
import type { Statement } from "./recording.ts"

export type ChildRequest =
  | {
      readonly op: "startPortal"
      readonly databaseUrl: string
      readonly portalHandler: string | null
      /** core: the portal's runtime behind a bare handler (core-direct.ts). */
      readonly serve?: "app" | "core"
    }
  | {
      readonly op: "startBaseline"
      readonly databaseUrl: string
      readonly mode: BaselineMode
      readonly plans: ReadonlyArray<Plan>
      readonly workspaceId: string
      readonly prepared: boolean
    }
  | { readonly op: "stats" }
  | { readonly op: "recordStart" }
  | { readonly op: "recordStop" }
  | { readonly op: "import"; readonly tickets: number }
  | { readonly op: "stop" }

export interface ChildStats {
  readonly cpuMicros: number
  /** Of which in the kernel (socket reads and writes, on loopback also the receiver's TCP work). */
  readonly systemMicros: number
  readonly rss: number
  readonly statements: number
}

/**
 * BENCH_HEAP_SAMPLE=<file>: the server's process (with BENCH_PROFILE_SERVER, that one) samples its allocations (V8's sampling heap
 * profiler through the inspector, objects the young and old collections freed included: what a
 * request allocates, not what stays) from its start to its stop, and writes a `.heapprofile`
 * (Chrome DevTools, or bench/http/heap-summary.ts).
 */
const heapSampling = (() => {
  const file = process.env.BENCH_HEAP_SAMPLE
  let session: import("node:inspector").Session | null = null
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) =>
      session?.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
    )
  return {
    start: async () => {
      if (file === undefined) return
      const { Session } = await import("node:inspector")
      session = new Session()
      session.connect()
      await post("HeapProfiler.startSampling", {
        samplingInterval: 16384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      })
    },
    stop: async () => {
      if (file === undefined || session === null) return
      const { profile } = await post<{ profile: unknown }>("HeapProfiler.stopSampling")
      ;(await import("node:fs")).writeFileSync(file, JSON.stringify(profile))
      session.disconnect()
    },
  }
})()

let portal: BenchPortal | null = null
let baseline: Baseline | null = null
let recording: Array<Statement> | null = null

const handle = async (m: ChildRequest): Promise<unknown> => {
  switch (m.op) {
    case "startPortal":
      portal = await (await import("./portal.ts")).startBenchPortal({
        databaseUrl: m.databaseUrl,
        portalHandler: m.portalHandler,
        serve: m.serve ?? "app",
      })
      await heapSampling.start()
      return { port: portal.port, pages: portal.pages }
    case "startBaseline":
      baseline = await startBaseline(m)
      await heapSampling.start()
      return { port: baseline.port, pages: false }
    case "stats": {
      const cpu = process.cpuUsage()
      return {
        cpuMicros: cpu.user + cpu.system,
        systemMicros: cpu.system,
        rss: process.memoryUsage.rss(),
        statements: portal?.recorder.statements ?? baseline?.statements() ?? 0,
      } satisfies ChildStats
    }
    case "recordStart":
      if (portal === null) throw new Error("no portal")
      recording = []
      portal.recorder.recording = recording
      portal.recorder.transactions = 0
      return null
    case "recordStop":
      if (portal === null) throw new Error("no portal")
      portal.recorder.recording = null
      return recording
    case "import": {
      if (portal === null) throw new Error("no portal")
      const { importWorkspace } = await import("@portal/core/usecases")
      const { Effect } = await import("effect")
      const ws = (await import("../http-list-workspace.ts")).generateWorkspace(m.tickets)
      await portal.runtime.runPromise(importWorkspace(ws.doc).pipe(Effect.orDie))
      await portal.driver.exec("VACUUM ANALYZE")
      return { companyTickets: ws.companyTickets, messages: ws.counts.messages }
    }
    case "stop":
      await heapSampling.stop()
      await portal?.close()
      await baseline?.close()
      setImmediate(() => process.exit(0))
      return null
  }
}

process.on("message", (message: { id: number; request: ChildRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  )
})
process.on("disconnect", () => process.exit(0))
