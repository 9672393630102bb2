/**
 * The one runtime of a server process: every port of core.
 * Storage: in-memory (tests), embedded PGlite in a data folder, or a PostgreSQL server
 * (DATABASE_URL); opening it runs the migrations. Passwords: argon2id (@portal/identity).
 */
import type { PortalServices } from "@portal/api"
import {
  type Clock,
  DEFAULT_CATALOG_MAX_AGE_MS,
  type IdGenerator,
  layerCatalogCache,
  type Mailer,
  type PasswordHasher,
  type StorePorts,
  WebhookSender,
  type WebhookSenderShape,
} from "@portal/core/ports"
import { layerMailQueue, workspaceIds } from "@portal/core/usecases"
import { layerArgon2 } from "@portal/identity"
import { layerMemoryWith, type MemoryDb, makeMemoryDb } from "@portal/storage-memory"
import { layerDatabase, layerStores, openDriver } from "@portal/storage-postgres"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { StorageChoice } from "./Config.ts"
import { layerSystemLive } from "./System.ts"
import { makeWebhookSender } from "./WebhookSender.ts"

export type StorageSpec = StorageChoice | { readonly kind: "memoryDb"; readonly db: MemoryDb }

export const layerStorage = (spec: StorageSpec): Layer.Layer<StorePorts, unknown> => {
  switch (spec.kind) {
    case "memory":
    case "memoryDb": {
      return layerMemoryWith(spec.kind === "memoryDb" ? spec.db : makeMemoryDb())
    }
    case "pglite":
    case "postgres": {
      const database = layerDatabase(() =>
        openDriver(spec.kind === "postgres" ? { databaseUrl: spec.url } : { dataDir: spec.dataDir }),
      )
      return layerStores.pipe(Layer.provide(database))
    }
  }
}

export interface RuntimeOptions {
  readonly storage: StorageSpec
  readonly mailer: Layer.Layer<Mailer>
  /** Default: argon2id. Tests may pass a faster one. */
  readonly passwordHasher?: Layer.Layer<PasswordHasher>
  /** Default: wall clock and random ids. */
  readonly system?: Layer.Layer<Clock | IdGenerator>
  /**
   * How long this node serves a workspace's catalog from memory before reading it again (core's
   * CatalogCache: keyed by the settings version, dropped on this node's catalog writes; the age
   * bounds how long a catalog changed on another node goes unseen). 0: read on every request.
   */
  readonly catalogMaxAgeMs?: number
  /** P-HOOK-2: the webhook sender; default: DNS-checked, public addresses only. */
  readonly webhookSender?: WebhookSenderShape
}

export type ServerRuntime = ManagedRuntime.ManagedRuntime<PortalServices, unknown>

export const makeRuntime = (options: RuntimeOptions): ServerRuntime =>
  ManagedRuntime.make(
    Layer.mergeAll(
      layerStorage(options.storage),
      // P-SEC-8: registration and reset mails leave from a background fiber, off the request path.
      Layer.provideMerge(layerMailQueue(), options.mailer),
      options.passwordHasher ?? layerArgon2,
      options.system ?? layerSystemLive,
      layerCatalogCache({
        maxAgeMs: options.catalogMaxAgeMs ?? DEFAULT_CATALOG_MAX_AGE_MS,
        now: () => performance.now(),
      }),
      Layer.succeed(WebhookSender, options.webhookSender ?? makeWebhookSender({ allowPrivate: false })),
    ),
  )

/** Build the layers now (open the store, run migrations): fail at start, not at the first request. */
export const warmUp = (runtime: ServerRuntime) => runtime.runPromise(Effect.asVoid(workspaceIds()))
