/**
 * The catalog of a workspace held in memory between requests (issue 9, item 2), keyed by the
 * settings version the request read: a settings save bumps the version, so every node sees a new
 * key at its next request (the settings read is the one indexed read the version check costs).
 * Catalog writes do not bump the settings version: the core use-cases that write the catalog
 * drop this node's entry (`invalidateCatalog`), and an entry older than `maxAgeMs` is read again,
 * which bounds how long another node serves a catalog changed elsewhere.
 *
 * Optional: a runtime without it reads the catalog on every use (tests, the CLI).
 */
import { Context, Layer, Option } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import type { Catalog } from "./WorkspaceStore.ts"

export interface CatalogCacheShape {
  /** The catalog cached for this settings version, unless it is older than the cache's max age. */
  readonly get: (workspaceId: WorkspaceId, settingsVersion: number) => Option.Option<Catalog>
  readonly set: (workspaceId: WorkspaceId, settingsVersion: number, catalog: Catalog) => void
  /** Forget the workspace's entry (after a catalog write on this node). */
  readonly invalidate: (workspaceId: WorkspaceId) => void
}

export class CatalogCache extends Context.Service<CatalogCache, CatalogCacheShape>()("@portal/core/CatalogCache") {}

export interface CatalogCacheOptions {
  /** How long an entry is served before it is read again (other nodes' catalog writes). */
  readonly maxAgeMs: number
  /** A monotonic clock in milliseconds (e.g. performance.now). */
  readonly now: () => number
}

interface Entry {
  readonly version: number
  readonly catalog: Catalog
  readonly at: number
}

/** An in-process cache, one entry per workspace. */
export const makeCatalogCache = (options: CatalogCacheOptions): CatalogCacheShape => {
  const entries = new Map<WorkspaceId, Entry>()
  return {
    get: (workspaceId, settingsVersion) => {
      const entry = entries.get(workspaceId)
      if (entry === undefined || entry.version !== settingsVersion) return Option.none()
      if (options.now() - entry.at > options.maxAgeMs) {
        entries.delete(workspaceId)
        return Option.none()
      }
      return Option.some(entry.catalog)
    },
    set: (workspaceId, settingsVersion, catalog) => {
      entries.set(workspaceId, { version: settingsVersion, catalog, at: options.now() })
    },
    invalidate: (workspaceId) => {
      entries.delete(workspaceId)
    },
  }
}

export const DEFAULT_CATALOG_MAX_AGE_MS = 5_000

export const layerCatalogCache = (options: CatalogCacheOptions): Layer.Layer<CatalogCache> =>
  Layer.sync(CatalogCache, () => makeCatalogCache(options))
