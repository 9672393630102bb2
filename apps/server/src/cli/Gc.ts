/**
 * Orphan blob cleanup (core's `removeOrphanBlobs`): `portal gc` runs it once; `portal start` runs
 * it every hour on an unref'd timer (it never keeps the process alive), logging what it removed
 * and logging, never throwing, a failure (the next run tries again). Only blobs no attachment
 * references and stored more than the grace period ago (default one hour) are removed, so a reply
 * in flight is never hit.
 */
import {
  type BlobStore,
  type Clock,
  ORPHAN_BLOB_GRACE_MS,
  type OrphanBlobReport,
  removeOrphanBlobs,
  type StoreError,
  type WorkspaceStore,
} from "@portal/core"
import type { Effect } from "effect"
import type { ServerConfig } from "../Config.ts"
import type { Logger } from "../Logger.ts"
import { layerLogMailer } from "../Mail.ts"
import { makeRuntime } from "../Runtime.ts"
import { optional, type ParsedArgs, UsageError } from "./Args.ts"
import { storageOptions } from "./Commands.ts"

export const GC_EVERY_MS = 60 * 60 * 1000

type Cleanup = Effect.Effect<OrphanBlobReport, StoreError, WorkspaceStore | BlobStore | Clock>

const logReport = (logger: Logger, report: OrphanBlobReport) => {
  const message = `removed ${report.removed} orphan blob${report.removed === 1 ? "" : "s"}`
  if (report.removed > 0) logger.info({ gc: report }, message)
  else logger.debug({ gc: report }, message)
}

/** A log line's reason for a failed run: the typed store error's tag, method and cause. */
const reasonOf = (error: unknown): string => {
  if (typeof error !== "object" || error === null || !("_tag" in error))
    return error instanceof Error ? error.message : String(error)
  const e = error as { readonly _tag: string; readonly method?: string; readonly cause?: unknown }
  const cause = e.cause instanceof Error ? e.cause.message : e.cause === undefined ? "" : String(e.cause)
  return `${e._tag}${e.method === undefined ? "" : ` in ${e.method}`}${cause === "" ? "" : `: ${cause}`}`
}

/** `--grace-minutes M` (a whole number, 0 or more); default one hour. */
const graceMsOf = (args: ParsedArgs): number => {
  const raw = optional(args, "grace-minutes")
  if (raw === undefined) return ORPHAN_BLOB_GRACE_MS
  if (!/^\d+$/.test(raw)) throw new UsageError("--grace-minutes needs a whole number of minutes (0 or more)")
  return Number(raw) * 60_000
}

/** `portal gc [--grace-minutes M]`: remove every workspace's orphan blobs once. */
export const gcCommand = async (config: ServerConfig, logger: Logger, args: ParsedArgs) => {
  storageOptions(config) // refuses the memory store: it keeps nothing to clean
  const graceMs = graceMsOf(args)
  const runtime = makeRuntime({ storage: config.storage, mailer: layerLogMailer(logger) })
  try {
    logReport(logger, await runtime.runPromise(removeOrphanBlobs({ graceMs })))
  } finally {
    await runtime.dispose()
  }
}

/**
 * Runs the cleanup every `everyMs` (default hourly) through `run` (the server's runtime); one
 * run at a time. Returns a function that stops it.
 */
export const scheduleOrphanBlobCleanup = (
  run: (cleanup: Cleanup) => Promise<OrphanBlobReport>,
  logger: Logger,
  everyMs: number = GC_EVERY_MS,
): (() => void) => {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      logReport(logger, await run(removeOrphanBlobs()))
    } catch (error) {
      logger.error({ err: error, reason: reasonOf(error) }, "orphan blob cleanup failed; it runs again later")
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
