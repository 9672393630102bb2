/**
 * Orphan blob cleanup (core's `removeOrphanBlobs`) and housekeeping (core's `runHousekeeping`:
 * expired sessions, single-use keys, tokens, pending registrations, rate-limit rows, old
 * idempotency keys and sent notification mails, issue 12): `portal gc` runs them once; `portal
 * start` runs them every hour on an unref'd timer (it never keeps the process alive), logging what
 * it removed in one line and logging, never throwing, a failure (the next run tries again). Only
 * blobs no attachment references and stored more than the grace period ago (default one hour) are
 * removed, so a reply in flight is never hit.
 */
import type {
  BlobStore,
  Clock,
  OutboxStore,
  SecurityStore,
  SessionStore,
  SettingsStore,
  StoreError,
  TicketStore,
  WorkspaceStore,
} from "@portal/core/ports"
import {
  type HousekeepingReport,
  ORPHAN_BLOB_GRACE_MS,
  type OrphanBlobReport,
  removeOrphanBlobs,
  runHousekeeping,
} from "@portal/core/usecases"
import { Effect } from "effect"
import type { ServerConfig } from "../Config.ts"
import type { Logger } from "../Logger.ts"
import { layerLogMailer } from "../Mail.ts"
import { makeRuntime } from "../Runtime.ts"
import { optional, type ParsedArgs, UsageError } from "./Args.ts"
import { storageOptions } from "./Commands.ts"

export const GC_EVERY_MS = 60 * 60 * 1000

export type GcReport = OrphanBlobReport & { readonly housekeeping: HousekeepingReport }

type Cleanup = Effect.Effect<
  GcReport,
  StoreError,
  WorkspaceStore | BlobStore | Clock | SettingsStore | SessionStore | SecurityStore | TicketStore | OutboxStore
>

/** One run: the orphan blobs, then the housekeeping. */
export const gcRun = (options: { readonly graceMs?: number } = {}): Cleanup =>
  Effect.gen(function* () {
    const blobs = yield* removeOrphanBlobs(options)
    const housekeeping = yield* runHousekeeping()
    return { ...blobs, housekeeping }
  })

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** The run's log line: every count (info when anything was removed, else debug). */
export const gcMessage = (report: GcReport): string => {
  const h = report.housekeeping
  return (
    `removed ${plural(report.removed, "orphan blob")}; pruned ${plural(h.sessions, "expired session")}, ` +
    `${plural(h.singleUseKeys, "single-use key")}, ${plural(h.tokens, "used or expired token")}, ` +
    `${plural(h.pendingRegistrations, "pending registration")}, ${plural(h.rateLimits, "rate-limit row")}, ` +
    `${plural(h.idempotencyKeys, "idempotency key")}, ${plural(h.sentMails, "sent mail")}`
  )
}

const logReport = (logger: Logger, report: GcReport) => {
  const h = report.housekeeping
  const any =
    report.removed +
    h.sessions +
    h.singleUseKeys +
    h.tokens +
    h.pendingRegistrations +
    h.rateLimits +
    h.idempotencyKeys +
    h.sentMails
  if (any > 0) logger.info({ gc: report }, gcMessage(report))
  else logger.debug({ gc: report }, gcMessage(report))
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

/** `portal gc [--grace-minutes M]`: remove every workspace's orphan blobs and expired rows once. */
export const gcCommand = async (config: ServerConfig, logger: Logger, args: ParsedArgs) => {
  storageOptions(config) // refuses the memory store: it keeps nothing to clean
  const graceMs = graceMsOf(args)
  const runtime = makeRuntime({ storage: config.storage, mailer: layerLogMailer(logger) })
  try {
    logReport(logger, await runtime.runPromise(gcRun({ graceMs })))
  } finally {
    await runtime.dispose()
  }
}

/**
 * Runs the cleanup every `everyMs` (default hourly) through `run` (the server's runtime); one
 * run at a time. Returns a function that stops it.
 */
export const scheduleOrphanBlobCleanup = (
  run: (cleanup: Cleanup) => Promise<GcReport>,
  logger: Logger,
  everyMs: number = GC_EVERY_MS,
): (() => void) => {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      logReport(logger, await run(gcRun()))
    } catch (error) {
      logger.error(
        { err: error, reason: reasonOf(error) },
        "orphan blob cleanup and housekeeping failed; it runs again later",
      )
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
