/**
 * The portal settings of a workspace with an optimistic version: a save names the version it
 * read, and fails with Conflict (writing nothing) when another save came first (P-SET-5).
 */
import { Context, type Effect, type Option } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import type { Conflict } from "./Errors.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export interface VersionedSettings {
  readonly settings: PortalSettings
  readonly version: number
  /**
   * The catalog's version (agents, domains, branding, companies, lists, an import): every catalog
   * write raises it, so a node's cached catalog keyed by it is never served after another node
   * changed the catalog (issue 9, item 2). Read with the settings: the one indexed read per
   * request that the version check costs. Absent (stubs): 0.
   */
  readonly catalogVersion?: number
}

export interface SettingsStoreShape {
  readonly get: (workspaceId: WorkspaceId) => Effect.Effect<Option.Option<VersionedSettings>, StoreError>
  /** Replace the settings whole; returns the new version. */
  readonly save: (
    workspaceId: WorkspaceId,
    settings: PortalSettings,
    expectedVersion: number,
  ) => Effect.Effect<number, StoreError | Conflict>
}

export class SettingsStore extends Context.Service<SettingsStore, SettingsStoreShape>()("@portal/core/SettingsStore") {}
