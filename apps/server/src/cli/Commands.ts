/**
 * The `portal` commands. `import`, `export` and `migrate` use @portal/storage-postgres's CLI
 * helpers (core's import/export use-cases underneath); `create-agent` goes through core's
 * saveAgentAccount use-case; `gc` is in Gc.ts. Only `export` writes to standard output (the document); everything else
 * reports on standard error.
 */
import { createWriteStream } from "node:fs"
import type { AgentId, Permission, WorkspaceId } from "@portal/core/domain"
import { saveAgentAccount } from "@portal/core/usecases"
import { layerArgon2 } from "@portal/identity"
import { exportText, type FileProgress, importFile, migrate, type StorageOptions } from "@portal/storage-postgres"
import { Effect, Result } from "effect"
import type { ServerConfig } from "../Config.ts"
import type { Logger } from "../Logger.ts"
import { layerLogMailer } from "../Mail.ts"
import { makeRuntime } from "../Runtime.ts"
import { layerIdGeneratorLive } from "../System.ts"
import { optional, type ParsedArgs, required, UsageError } from "./Args.ts"

export const storageOptions = (config: ServerConfig): StorageOptions => {
  if (config.storage.kind === "postgres") return { databaseUrl: config.storage.url }
  if (config.storage.kind === "pglite") return { dataDir: config.storage.dataDir }
  throw new UsageError("PORTAL_STORAGE=memory keeps nothing: this command needs DATABASE_URL or PORTAL_DATA_DIR")
}

export const migrateCommand = async (config: ServerConfig, logger: Logger) => {
  const report = await migrate(storageOptions(config))
  logger.info({ report }, "migrations done")
}

export const importCommand = async (config: ServerConfig, logger: Logger, args: ParsedArgs) => {
  const file = args.positionals[0]
  if (file === undefined) throw new UsageError("import needs a FILE")
  const progress = args.options.get("quiet") === true ? undefined : progressLine(process.stderr)
  const summary = await importFile(file, {
    ...storageOptions(config),
    passwordHasher: layerArgon2,
    idGenerator: layerIdGeneratorLive,
    ...(progress === undefined ? {} : { onProgress: progress.update }),
  })
  progress?.done()
  logger.info({ file, ...summary }, `imported workspace ${summary.workspaceId}`)
}

/**
 * `portal import`'s progress on standard error: the rows loaded per table; on a terminal one
 * line rewritten in place with the percent of the file read, else a line every 5 seconds.
 */
export const progressLine = (stream: NodeJS.WriteStream, everyMs = 5_000) => {
  let last: FileProgress | undefined
  let shownAt = 0
  const text = (p: FileProgress) => {
    const rows = Object.entries(p.rows)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${table} ${n}`)
      .join(", ")
    const percent = p.fileBytes === 0 ? 100 : Math.min(100, Math.floor((p.bytesRead / p.fileBytes) * 100))
    return stream.isTTY ? `portal import: ${percent}% read; ${rows}` : `portal import: ${rows}`
  }
  return {
    update: (p: FileProgress) => {
      last = p
      if (stream.isTTY) stream.write(`\r${text(p)}\u001b[K`)
      else if (Date.now() - shownAt >= everyMs) {
        shownAt = Date.now()
        stream.write(`${text(p)}\n`)
      }
    },
    done: () => {
      if (last !== undefined) stream.write(stream.isTTY ? "\n" : `${text(last)}\n`)
    },
  }
}

export const exportCommand = async (config: ServerConfig, logger: Logger, args: ParsedArgs) => {
  const workspaceId = args.positionals[0]
  if (workspaceId === undefined) throw new UsageError("export needs a WORKSPACE_ID")
  const out = optional(args, "out")
  const stream = out === undefined ? process.stdout : createWriteStream(out, { encoding: "utf8" })
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stream.write(text)) resolve()
      else {
        stream.once("drain", resolve)
        stream.once("error", reject)
      }
    })
  let warned = false
  // The document is written as it is read (memory stays flat); a missing workspace writes nothing.
  await exportText(workspaceId, storageOptions(config), async (text) => {
    if (!warned) {
      warned = true
      // P-DATA-1: the document restores every login, so it is as sensitive as a database backup.
      // Written whatever LOG_LEVEL says: whoever runs the export must see it.
      process.stderr.write(
        `portal export: WARNING: ${out ?? "the document"} holds secrets (password hashes, SSO, API and webhook signing secrets); keep it like a database backup.\n`,
      )
    }
    await write(text)
  })
  if (out !== undefined) {
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    )
    logger.info({ workspaceId, out }, "exported")
  }
}

export const createAgentCommand = async (config: ServerConfig, logger: Logger, args: ParsedArgs) => {
  const workspaceId = required(args, "workspace") as WorkspaceId
  const email = required(args, "email").trim()
  const name = required(args, "name").trim()
  const password = optional(args, "password")
  const id = (optional(args, "id") ?? `agent-${Date.now().toString(36)}`) as AgentId
  const permissions: ReadonlyArray<Permission> = [
    ...(args.options.get("settings") === true ? (["portal.settings"] as const) : []),
    ...(args.options.get("work") === true ? (["tickets.work"] as const) : []),
  ]
  const runtime = makeRuntime({ storage: config.storage, mailer: layerLogMailer(logger), passwordHasher: layerArgon2 })
  try {
    const saved = await runtime.runPromise(
      Effect.result(saveAgentAccount(workspaceId, { id, name, email, permissions: [...permissions] }, password)),
    )
    if (Result.isFailure(saved)) {
      const error = saved.failure
      if (error._tag === "WorkspaceNotFound") throw new UsageError(`no workspace "${workspaceId}"`)
      if (error._tag === "Conflict") throw new UsageError(error.reason)
      if (error._tag === "ValidationFailed")
        throw new UsageError(`--password: ${error.issues.map((i) => i.message).join(" ")}`)
      throw error
    }
    logger.info({ workspaceId, id, email, permissions }, "agent saved")
  } finally {
    await runtime.dispose()
  }
}
