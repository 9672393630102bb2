/**
 * Reading and saving the portal settings as an admin (P-SET-1, P-SET-4, P-SET-5).
 * - P-SET-1 Both need the `portal.settings` permission; anyone else gets Forbidden and learns
 *   nothing about the settings.
 * - P-SET-5 A save is checked as a whole against the catalog (every issue with its path, as
 *   ValidationFailed) and replaces the settings whole, naming the version it was based on: a
 *   concurrent save makes it fail with Conflict. Any error writes nothing.
 * - P-SET-4 Settings with `enabled: true` must have no setup step missing (SetupIncomplete lists
 *   them). This holds for every save of an enabled portal, not only the switch: removing the
 *   consent text of a live self-registration portal is refused too. A disabled portal saves
 *   with steps missing, and both calls report what is still missing for the setup checklist.
 */
import { Effect } from "effect"
import type { FieldIssue } from "../domain/Issues.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import {
  type Conflict,
  type EnablementBlocker,
  type Forbidden,
  SetupIncomplete,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import { SettingsStore } from "../ports/SettingsStore.ts"
import type { StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { enablementBlockers, settingsIssues } from "../rules/SettingsValidation.ts"
import { loadCatalog, loadVersionedSettings } from "./Lookups.ts"
import { type AgentViewer, requirePermission } from "./Viewers.ts"

export interface SettingsView {
  readonly settings: PortalSettings
  readonly version: number
  /** Problems of the stored settings against today's catalog (e.g. a list deleted since). */
  readonly issues: ReadonlyArray<FieldIssue>
  /** P-SET-4: what still keeps the portal from being enabled. */
  readonly missingSteps: ReadonlyArray<EnablementBlocker>
}

export const getSettings = (
  agent: AgentViewer,
): Effect.Effect<SettingsView, Forbidden | WorkspaceNotFound | StoreError, SettingsStore | WorkspaceStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const { settings, version } = yield* loadVersionedSettings(agent.workspaceId)
    const catalog = yield* loadCatalog(agent.workspaceId)
    return {
      settings,
      version,
      issues: settingsIssues(settings, catalog),
      missingSteps: enablementBlockers(settings, catalog),
    }
  })

export const updateSettings = (
  agent: AgentViewer,
  settings: PortalSettings,
  expectedVersion: number,
): Effect.Effect<
  { readonly version: number; readonly missingSteps: ReadonlyArray<EnablementBlocker> },
  Forbidden | WorkspaceNotFound | ValidationFailed | SetupIncomplete | Conflict | StoreError,
  SettingsStore | WorkspaceStore
> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const catalog = yield* loadCatalog(agent.workspaceId)
    const issues = settingsIssues(settings, catalog)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const missingSteps = enablementBlockers(settings, catalog)
    if (settings.enabled && missingSteps.length > 0) return yield* new SetupIncomplete({ missing: missingSteps })
    const version = yield* (yield* SettingsStore).save(agent.workspaceId, settings, expectedVersion)
    return { version, missingSteps }
  })
