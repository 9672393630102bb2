/**
 * Plain async functions for the `portal` CLI (apps/server): migrate, import a document file,
 * export a workspace. Each opens the store the options name, does its work and closes it.
 * Import streams the file through core's streamed import (the same checks as `importWorkspace`,
 * a record at a time) in one transaction, so an invalid file changes nothing and the error names
 * where it is wrong.
 */
import { createReadStream } from "node:fs"
import { readFile, stat } from "node:fs/promises"
import { InvalidDocument } from "@portal/core/domain"
import { type IdGenerator, type PasswordHasher, type StorePorts, WorkspaceNotFound } from "@portal/core/ports"
import {
  documentText,
  exportWorkspace as exportUseCase,
  type ImportSummary,
  MAX_DOCUMENT_BYTES,
} from "@portal/core/usecases"
import { Cause, type Effect, Exit, type Layer, ManagedRuntime, Option } from "effect"
import type { Driver } from "./Driver.ts"
import { readHead, readSection } from "./ExportDocument.ts"
import { settleImported } from "./ImportDocument.ts"
import { type ImportProgress, importChunks } from "./ImportStream.ts"
import { layerPostgres, openDriver, type StorageOptions } from "./Layers.ts"
import { type MigrationReport, runMigrations } from "./Migrations.ts"

/** Run every pending migration on the store the options name. Safe to run twice, or at once. */
export const migrate = async (options: StorageOptions): Promise<MigrationReport> => {
  const driver = await openDriver(options)
  try {
    return await runMigrations(driver)
  } finally {
    await driver.close()
  }
}

/** Runs an effect on a fresh store; rejects with the effect's own typed error when it fails. */
const runOnStore = async <A, E>(options: StorageOptions, effect: Effect.Effect<A, E, StorePorts>): Promise<A> => {
  const runtime = ManagedRuntime.make(layerPostgres(options))
  try {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    const error = Cause.findErrorOption(exit.cause)
    throw Option.isSome(error) ? error.value : Cause.squash(exit.cause)
  } finally {
    await runtime.dispose()
  }
}

export interface ImportFileOptions extends StorageOptions {
  /** Hashes the document's plain passwords (identity's hasher in production). */
  readonly passwordHasher: Layer.Layer<PasswordHasher>
  /** Gives the imported attachments their random ids (random UUIDs in production). */
  readonly idGenerator: Layer.Layer<IdGenerator>
}

/**
 * Reads a JSON file, so that a syntax error names the file and the position. A file over
 * `maxBytes` (default MAX_DOCUMENT_BYTES) is refused before it is read (InvalidDocument), so a
 * huge file never costs its size several times over in memory.
 */
export const readJsonFile = async (path: string, maxBytes: number = MAX_DOCUMENT_BYTES): Promise<unknown> => {
  const size = (await stat(path)).size
  if (size > maxBytes)
    throw new InvalidDocument({
      issues: [
        `${path}: the file has ${size} bytes; a document may have at most ${maxBytes} bytes (${Math.floor(maxBytes / 1024 / 1024)} MiB).`,
      ],
    })
  const text = await readFile(path, "utf8")
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new SyntaxError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** What `portal import` reports while it reads: rows written by table, bytes read of the file's size. */
export interface FileProgress {
  readonly rows: ImportProgress
  readonly bytesRead: number
  readonly fileBytes: number
}

/** The file's text in chunks of 1 MiB, reporting the bytes read. */
async function* fileChunks(path: string, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })
  for await (const chunk of stream) {
    onBytes(stream.bytesRead)
    yield chunk as string
  }
}

/**
 * `portal import FILE`: replaces the workspace the document names, in one transaction, reading
 * the file as a stream (ImportStream.ts: memory stays flat whatever its size), twice: checked
 * without a store, then checked again and written. Rejects with
 * InvalidDocument (every issue with its JSON path or ids), a SyntaxError naming the file, or a
 * StorageError / StorageUnavailable; in every case nothing was written. Then settles the
 * store (settleImported: indexes, statistics, and on PGlite a VACUUM FULL).
 */
export const importFile = async (
  path: string,
  options: ImportFileOptions & { readonly onProgress?: (progress: FileProgress) => void },
): Promise<ImportSummary> => {
  const fileBytes = (await stat(path)).size
  let bytesRead = 0
  const asSyntaxError = (error: unknown) => {
    if (error instanceof SyntaxError) throw new SyntaxError(`${path} is not valid JSON: ${error.message}`)
    throw error
  }
  // A first pass checks the whole document without a store: a refused one never opens (or
  // creates) the database; PGlite alone takes hundreds of MB. The second pass checks it again.
  await importChunks(
    null,
    fileChunks(path, () => {}),
    { passwordHasher: options.passwordHasher, idGenerator: options.idGenerator },
  ).catch(asSyntaxError)
  const driver = await openDriver(options)
  try {
    await runMigrations(driver)
    const summary = await driver
      .transaction((tx) =>
        importChunks(
          tx,
          fileChunks(path, (n) => {
            bytesRead = n
          }),
          {
            ...options,
            onProgress: (rows) => options.onProgress?.({ rows, bytesRead, fileBytes }),
          },
        ),
      )
      .catch(asSyntaxError)
    await settleImported(driver, { full: true })
    return summary
  } finally {
    await driver.close()
  }
}

/**
 * `portal export WORKSPACE_ID` at scale: writes the document's text (`JSON.stringify(doc, null,
 * 2)` and a newline, byte for byte) to `write` as it is read, in one REPEATABLE READ
 * transaction, a cursor per table (ExportDocument.ts readHead / readSection, core's
 * documentText): memory stays flat. Rejects with WorkspaceNotFound before writing anything.
 */
export const exportText = async (
  workspaceId: string,
  options: StorageOptions,
  write: (text: string) => Promise<void>,
): Promise<void> => {
  const driver = await openDriver(options)
  try {
    await runMigrations(driver)
    await writeDocumentText(driver, workspaceId, write)
  } finally {
    await driver.close()
  }
}

/** exportText on an open driver. */
export const writeDocumentText = (driver: Driver, workspaceId: string, write: (text: string) => Promise<void>) =>
  driver.transaction(async (tx) => {
    const head = await readHead(tx, workspaceId)
    if (head === null) throw new WorkspaceNotFound({ key: workspaceId })
    for await (const text of documentText(head, (section) => readSection(tx, workspaceId, section))) await write(text)
  })

/** `portal export WORKSPACE_ID`: the document's JSON value; rejects with WorkspaceNotFound. */
export const exportWorkspace = (workspaceId: string, options: StorageOptions): Promise<unknown> =>
  runOnStore(options, exportUseCase(workspaceId))
