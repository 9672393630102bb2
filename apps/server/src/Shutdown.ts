/**
 * Graceful shutdown (issue 12). `portal start` makes one `Shutdown`; background workers (the
 * hourly gc, outbox workers, event streams …) register with `onShutdown(fn)`. On SIGTERM or
 * SIGINT the server stops listening (new connections are refused, `/readyz` answers 503 on the
 * connections still open), in-flight requests get the grace period to finish, and meanwhile every
 * hook runs (a worker finishes its current item and stops); then the store closes. A second
 * signal, or hooks still running PORTAL_SHUTDOWN_GRACE_SECONDS + 5 s later, exits at once with 1.
 */
import type { Logger } from "./Logger.ts"

export type ShutdownHook = () => void | Promise<void>

export interface Shutdown {
  /** Run `fn` at shutdown (after the server stopped listening, before the store closes). */
  readonly onShutdown: (fn: ShutdownHook, name?: string) => void
  /** Run every hook (concurrently), log failures; resolves when all are done. */
  readonly runHooks: () => Promise<void>
}

export const makeShutdown = (logger: Logger): Shutdown => {
  const hooks: Array<{ readonly fn: ShutdownHook; readonly name: string }> = []
  return {
    onShutdown: (fn, name = `hook ${hooks.length + 1}`) => {
      hooks.push({ fn, name })
    },
    runHooks: async () => {
      await Promise.all(
        hooks.map(async ({ fn, name }) => {
          try {
            await fn()
          } catch (error) {
            logger.error({ err: error, hook: name }, "shutdown hook failed")
          }
        }),
      )
    },
  }
}

/** Resolves with the signal's name at the first SIGTERM or SIGINT. */
export const nextStopSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on)
      process.off("SIGTERM", on)
      resolve(signal)
    }
    process.on("SIGINT", on)
    process.on("SIGTERM", on)
  })
