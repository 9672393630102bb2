/**
 * The layers that provide every store port on PostgreSQL: one code path over two drivers.
 * `DATABASE_URL` given: the `pg` driver on that server; otherwise embedded PGlite persisted to a
 * data folder (PORTAL_DATA_DIR, default `.data/` at the repository root; the caller resolves it).
 */
import type { StoreError, StorePorts } from "@portal/core/ports"
import { Effect, Layer } from "effect"
import { Database, layerDatabase, makeDatabase, type OpenOptions } from "./Database.ts"
import type { Driver } from "./Driver.ts"
import { toStoreError } from "./Errors.ts"
import { runMigrations } from "./Migrations.ts"
import { makePgDriver } from "./PgDriver.ts"
import { makePgliteDriver, type PgliteLocation } from "./PgliteDriver.ts"
import { layerApiTokenStore } from "./stores/ApiTokenStore.ts"
import { layerContactStore } from "./stores/ContactStore.ts"
import { layerEventWakeups } from "./stores/EventWakeups.ts"
import { layerOutboxStore } from "./stores/OutboxStore.ts"
import { layerBlobStore, layerSecurityStore, layerSessionStore } from "./stores/SecurityStores.ts"
import { layerSettingsStore } from "./stores/SettingsStore.ts"
import { layerTicketStore } from "./stores/TicketStore.ts"
import { layerWebhookStore } from "./stores/WebhookStore.ts"
import { layerWorkspaceStore } from "./stores/WorkspaceStore.ts"

export interface StorageOptions {
  /** A PostgreSQL connection string: use that server. */
  readonly databaseUrl?: string | undefined
  /** Without databaseUrl: the PGlite data folder ("memory": nothing persisted). Default ".data". */
  readonly dataDir?: string | undefined
  /** Connections of the pg pool (default 10). */
  readonly poolSize?: number | undefined
}

/** Opens the driver the options name (not migrated yet). */
export const openDriver = (options: StorageOptions): Promise<Driver> =>
  options.databaseUrl !== undefined && options.databaseUrl !== ""
    ? Promise.resolve(
        makePgDriver({
          connectionString: options.databaseUrl,
          ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
        }),
      )
    : makePgliteDriver(options.dataDir ?? ".data")

/** Every store port over a Database. */
export const layerStores: Layer.Layer<StorePorts, never, Database> = Layer.mergeAll(
  layerWorkspaceStore,
  layerSettingsStore,
  layerContactStore,
  layerTicketStore,
  layerBlobStore,
  layerSessionStore,
  layerSecurityStore,
  layerApiTokenStore,
  layerEventWakeups,
  layerOutboxStore,
  layerWebhookStore,
)

/** Every store port on PostgreSQL (server or embedded); migrates at start, closes with the scope. */
export const layerPostgres = (options: StorageOptions, open: OpenOptions = {}): Layer.Layer<StorePorts, StoreError> =>
  layerStores.pipe(Layer.provide(layerDatabase(() => openDriver(options), open)))

/** Every store port on embedded PGlite: a data folder, or "memory" for tests. */
export const layerPglite = (location: PgliteLocation, open: OpenOptions = {}): Layer.Layer<StorePorts, StoreError> =>
  layerStores.pipe(Layer.provide(layerDatabase(() => makePgliteDriver(location), open)))

/**
 * Every store port on a driver the caller owns (and closes): tests share it with a raw-SQL
 * backdoor. Migrates at start.
 */
export const layerWithDriver = (driver: Driver | (() => Promise<Driver>)): Layer.Layer<StorePorts, StoreError> =>
  layerStores.pipe(
    Layer.provide(
      Layer.effect(
        Database,
        Effect.tryPromise({
          try: async () => {
            const opened = typeof driver === "function" ? await driver() : driver
            await runMigrations(opened)
            return makeDatabase(opened)
          },
          catch: (cause) => toStoreError("open", cause),
        }),
      ),
    ),
  )
