/**
 * The portal server of the HTTP benchmark, built as `startServer` (src/Server.ts) builds it —
 * the same runtime layers, warm-up, `createPortalApp`, the SvelteKit handler when apps/portal is built —
 * except that the storage layer gets its driver through the statement recorder (recording.ts).
 */

import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { defaultApiConfig, makeApiTokens } from "@portal/api"
import { DEFAULT_CATALOG_MAX_AGE_MS, layerCatalogCache } from "@portal/core/ports"
import { layerMailQueue } from "@portal/core/usecases"
import { layerArgon2 } from "@portal/identity"
import { type Driver, layerDatabase, layerStores, openDriver } from "@portal/storage-postgres"
import { Layer, ManagedRuntime } from "effect"
import { createPortalApp } from "../../src/App.ts"
import { applyHeapGrowth } from "../../src/Heap.ts"
import { loadSvelteKitHandler } from "../../src/http/Pages.ts"
import { makeLogger } from "../../src/Logger.ts"
import { layerLogMailer } from "../../src/Mail.ts"
import { type ServerRuntime, warmUp } from "../../src/Runtime.ts"
import { layerSystemLive } from "../../src/System.ts"
import { coreDirectListener } from "./core-direct.ts"
import { makeRecorder, type Recorder, recordingDriver } from "./recording.ts"

export interface BenchPortal {
  readonly port: number
  readonly runtime: ServerRuntime
  readonly recorder: Recorder
  readonly driver: Driver
  /** The SvelteKit pages are mounted (apps/portal is built). */
  readonly pages: boolean
  readonly close: () => Promise<void>
}

export const startBenchPortal = async (options: {
  readonly databaseUrl: string
  readonly portalHandler: string | null
  /**
   * app (default): the portal's own listener. core: the same runtime behind a bare `node:http`
   * handler that calls what the list and ticket procedures call (core-direct.ts): the portal's
   * request path without its HTTP framework (Express, tRPC, access log, headers).
   */
  readonly serve?: "app" | "core"
}): Promise<BenchPortal> => {
  // As `portal start` does (cli/Start.ts): the heap's growth bounded (0: V8's own heuristics).
  applyHeapGrowth(Number(process.env.PORTAL_HEAP_GROWTH_PERCENT ?? 100))
  const recorder = makeRecorder()
  let driver: Driver | null = null
  const database = layerDatabase(async () => {
    driver = recordingDriver(await openDriver({ databaseUrl: options.databaseUrl }), recorder)
    return driver
  })
  const logger = makeLogger("error")
  const runtime: ServerRuntime = ManagedRuntime.make(
    Layer.mergeAll(
      layerStores.pipe(Layer.provide(database)),
      Layer.provideMerge(layerMailQueue(), layerLogMailer(logger)),
      layerArgon2,
      layerSystemLive,
      // As makeRuntime (src/Runtime.ts) has it: the catalog cached per version.
      layerCatalogCache({ maxAgeMs: DEFAULT_CATALOG_MAX_AGE_MS, now: () => performance.now() }),
    ),
  )
  await warmUp(runtime)
  const pages = options.portalHandler === null ? null : await loadSvelteKitHandler(options.portalHandler)
  const { listener } = createPortalApp({
    runtime,
    logger,
    apiTokens: makeApiTokens([]),
    secret: "bench-secret-0123456789abcdef0123456789",
    trustProxy: 0,
    apiConfig: defaultApiConfig,
    pages,
  })
  // The listener Server.ts serves (the fast lane for plain queries, then Express).
  const server = createServer(
    options.serve === "core"
      ? coreDirectListener({ runtime, config: defaultApiConfig, apiTokens: makeApiTokens([]) })
      : listener,
  ).listen(0, "127.0.0.1")
  // Longer than any pause between phases: the client never reuses a socket the server is closing.
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject))
  const port = (server.address() as AddressInfo).port
  const opened = driver as Driver | null
  if (opened === null) throw new Error("the storage layer did not open a driver")
  return {
    port,
    runtime,
    recorder,
    driver: opened,
    pages: pages !== null,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose()
    },
  }
}
