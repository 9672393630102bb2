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
