/**
 * One server of the HTTP benchmark in its own process (forked by bench/http-bench.ts), so that
 * each server's CPU time and RSS are its own. Speaks a small request/answer protocol over IPC:
 * start (portal | minimal | same), stats, record, import, stop.
 */
// The portal's modules are imported only by the portal's process: a baseline's RSS is its own.
import { type Baseline, type BaselineMode, type Plan, startBaseline } from "./baseline.ts"
import type { BenchPortal } from "./portal.ts"
import type { Statement } from "./recording.ts"

export type ChildRequest =
  | { readonly op: "startPortal"; readonly databaseUrl: string; readonly portalHandler: string | null }
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

let portal: BenchPortal | null = null
let baseline: Baseline | null = null
let recording: Array<Statement> | null = null

const handle = async (m: ChildRequest): Promise<unknown> => {
  switch (m.op) {
    case "startPortal":
      portal = await (await import("./portal.ts")).startBenchPortal({
        databaseUrl: m.databaseUrl,
        portalHandler: m.portalHandler,
      })
      return { port: portal.port, pages: portal.pages }
    case "startBaseline":
      baseline = await startBaseline(m)
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
