/**
 * The database handle the stores share: a Driver plus two helpers that run a Promise-based body
 * and turn every failure into a typed StoreError (or the domain error of an `Abort`).
 * Opening it runs the migrations; closing the scope closes the driver.
 */
import type { StoreError } from "@portal/core/ports"
import { Context, Effect, Layer, Option } from "effect"
import type { Driver, Queryable } from "./Driver.ts"
import { Abort, toStoreError } from "./Errors.ts"
import { type Migration, migrations, runMigrations } from "./Migrations.ts"
import { findAll, findOne, type RowSchema, type Sql } from "./Sql.ts"

export interface DatabaseShape {
  readonly driver: Driver
  /** One or more statements outside a transaction (reads, single-statement writes). */
  readonly run: <A>(method: string, body: (db: Queryable) => Promise<A>) => Effect.Effect<A, StoreError>
  /** A transaction: committed when `body` resolves, rolled back when it throws. */
  readonly transaction: <A, E = never>(
    method: string,
    body: (tx: Queryable) => Promise<A>,
  ) => Effect.Effect<A, StoreError | E>
  /** One statement outside a transaction, every row decoded with `Row` (SqlSchema.findAll). */
  readonly findAll: <A>(
    method: string,
    Row: RowSchema<A>,
    sql: Sql,
    params?: ReadonlyArray<unknown>,
  ) => Effect.Effect<Array<A>, StoreError>
  /** One statement outside a transaction, its first row decoded with `Row`, if any (SqlSchema.findOneOption). */
  readonly findOne: <A>(
    method: string,
    Row: RowSchema<A>,
    sql: Sql,
    params?: ReadonlyArray<unknown>,
  ) => Effect.Effect<Option.Option<A>, StoreError>
}

export class Database extends Context.Service<Database, DatabaseShape>()("@portal/storage-postgres/Database") {}

export const makeDatabase = (driver: Driver): DatabaseShape => ({
  driver,
  run: (method, body) => Effect.tryPromise({ try: () => body(driver), catch: (cause) => toStoreError(method, cause) }),
  findAll: (method, Row, sql, params) =>
    Effect.tryPromise({ try: () => findAll(driver, Row, sql, params), catch: (cause) => toStoreError(method, cause) }),
  findOne: (method, Row, sql, params) =>
    Effect.tryPromise({
      try: async () => Option.fromUndefinedOr(await findOne(driver, Row, sql, params)),
      catch: (cause) => toStoreError(method, cause),
    }),
  transaction: <A, E = never>(method: string, body: (tx: Queryable) => Promise<A>) =>
    Effect.tryPromise({
      try: () => driver.transaction(body),
      catch: (cause): StoreError | E => (cause instanceof Abort ? (cause.error as E) : toStoreError(method, cause)),
    }),
})

export interface OpenOptions {
  /** Migrations to run at start (default: all of this package's). */
  readonly migrations?: ReadonlyArray<Migration>
}

/** A layer that opens a driver, migrates the database and closes the driver with the scope. */
export const layerDatabase = (
  open: () => Promise<Driver>,
  options: OpenOptions = {},
): Layer.Layer<Database, StoreError> =>
  Layer.effect(
    Database,
    Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const driver = await open()
          try {
            await runMigrations(driver, options.migrations ?? migrations)
          } catch (error) {
            await driver.close().catch(() => {})
            throw error
          }
          return makeDatabase(driver)
        },
        catch: (cause) => toStoreError("open", cause),
      }),
      (db) => Effect.promise(() => db.driver.close().catch(() => {})),
    ),
  )
