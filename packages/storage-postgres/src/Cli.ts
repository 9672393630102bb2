/**
 * Plain async functions for the `portal` CLI (apps/server): migrate, import a document file,
 * export a workspace. Each opens the store the options name, does its work and closes it.
 * Import goes through core's use-case (decode and check the whole document, hash passwords),
 * so an invalid file changes nothing and the error names where it is wrong.
 */
import { readFile, stat } from "node:fs/promises"
import {
  checkWorkspaceDocument,
  exportWorkspace as exportUseCase,
  type IdGenerator,
  type ImportSummary,
  InvalidDocument,
  importWorkspace,
  MAX_DOCUMENT_BYTES,
  type PasswordHasher,
  type StorePorts,
} from "@portal/core"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
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

/**
 * `portal import FILE`: replaces the workspace the document names, in one transaction.
 * Rejects with InvalidDocument (every issue with its JSON path or ids), a SyntaxError, or a
 * StorageError / StorageUnavailable; in every case nothing was written.
 */
export const importFile = async (path: string, options: ImportFileOptions): Promise<ImportSummary> => {
  const input = await readJsonFile(path)
  // Refuse an invalid document before the store is opened (PGlite alone takes hundreds of MB).
  const checked = await Effect.runPromiseExit(checkWorkspaceDocument(input))
  if (Exit.isFailure(checked)) {
    const error = Cause.findErrorOption(checked.cause)
    throw Option.isSome(error) ? error.value : Cause.squash(checked.cause)
  }
  return runOnStore(
    options,
    importWorkspace(input).pipe(Effect.provide(Layer.merge(options.passwordHasher, options.idGenerator))),
  )
}

/** `portal export WORKSPACE_ID`: the document's JSON value; rejects with WorkspaceNotFound. */
export const exportWorkspace = (workspaceId: string, options: StorageOptions): Promise<unknown> =>
  runOnStore(options, exportUseCase(workspaceId))
