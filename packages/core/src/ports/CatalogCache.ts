/**
 * The catalog of a workspace held in memory between requests (issue 9, item 2), keyed by the
 * settings version and the catalog version the request read with the settings (one indexed read):
 * a settings save raises the one, every catalog write (agents, domains, branding, companies,
 * lists, an import) the other, in the write's transaction — so every node sees a new key at its
 * next request, and no node serves a catalog another node changed. The core use-cases that write
 * the catalog also drop this node's entry (`invalidateCatalog`); `maxAgeMs` only bounds how long
 * an unused entry stays in memory.
 *
 * Optional: a runtime without it reads the catalog on every use (tests, the CLI).
 */
import { Context, Layer, Option } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import type { Catalog } from "./WorkspaceStore.ts"

/** The versions a cached catalog is valid for: `${settingsVersion}.${catalogVersion}`. */
export type CatalogKey = string

export const catalogKeyOf = (versions: {
  readonly settingsVersion: number
  readonly catalogVersion: number
}): CatalogKey => `${versions.settingsVersion}.${versions.catalogVersion}`

export interface CatalogCacheShape {
  /** The catalog cached for these versions, unless it is older than the cache's max age. */
  readonly get: (workspaceId: WorkspaceId, key: CatalogKey) => Option.Option<Catalog>
  readonly set: (workspaceId: WorkspaceId, key: CatalogKey, catalog: Catalog) => void
  /** Forget the workspace's entry (after a catalog write on this node). */
  readonly invalidate: (workspaceId: WorkspaceId) => void
}

export class CatalogCache extends Context.Service<CatalogCache, CatalogCacheShape>()("@portal/core/CatalogCache") {}

export interface CatalogCacheOptions {
  /** How long an entry is served before it is read again (memory freshness; versions decide correctness). */
  readonly maxAgeMs: number
  /** A monotonic clock in milliseconds (e.g. performance.now). */
  readonly now: () => number
}

interface Entry {
  readonly key: CatalogKey
  readonly catalog: Catalog
  readonly at: number
}

/** An in-process cache, one entry per workspace. */
export const makeCatalogCache = (options: CatalogCacheOptions): CatalogCacheShape => {
  const entries = new Map<WorkspaceId, Entry>()
  return {
    get: (workspaceId, key) => {
      const entry = entries.get(workspaceId)
      if (entry === undefined || entry.key !== key) return Option.none()
      if (options.now() - entry.at > options.maxAgeMs) {
        entries.delete(workspaceId)
        return Option.none()
      }
      return Option.some(entry.catalog)
    },
    set: (workspaceId, key, catalog) => {
      entries.set(workspaceId, { key, catalog, at: options.now() })
    },
    invalidate: (workspaceId) => {
      entries.delete(workspaceId)
    },
  }
}

/** Versions decide freshness; the age only lets an idle workspace's entry be read again. */
export const DEFAULT_CATALOG_MAX_AGE_MS = 10 * 60_000

export const layerCatalogCache = (options: CatalogCacheOptions): Layer.Layer<CatalogCache> =>
  Layer.sync(CatalogCache, () => makeCatalogCache(options))
