/**
 * The workspace's branding as an admin edits it (P-BRAND-3, P-SET-1).
 * - Both calls need the `portal.settings` permission (Forbidden otherwise).
 * - An update is checked whole (rules/Branding: colours `#rrggbb`, logo and favicon https or a
 *   path on the portal's host) and replaces the branding whole: a key left out is cleared. Any
 *   issue fails the update with ValidationFailed (paths `branding.logoUrl` …) and writes nothing.
 */
import { Effect } from "effect"
import type { Branding } from "../domain/Entities.ts"
import { type Forbidden, ValidationFailed, type WorkspaceNotFound } from "../ports/Errors.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { brandingIssues } from "../rules/Branding.ts"
import { invalidateCatalog } from "./Callers.ts"
import { loadCatalog } from "./Lookups.ts"
import { type AgentViewer, requirePermission } from "./Viewers.ts"

export const getBranding = (
  agent: AgentViewer,
): Effect.Effect<{ readonly branding: Branding }, Forbidden | WorkspaceNotFound | StoreError, WorkspaceStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const catalog = yield* loadCatalog(agent.workspaceId)
    return { branding: catalog.workspace.branding ?? {} }
  })

export const updateBranding = (
  agent: AgentViewer,
  branding: Branding,
): Effect.Effect<
  { readonly branding: Branding },
  Forbidden | WorkspaceNotFound | ValidationFailed | StoreError,
  WorkspaceStore
> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const issues = brandingIssues(branding)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    yield* loadCatalog(agent.workspaceId)
    yield* (yield* WorkspaceStore).setBranding(agent.workspaceId, branding)
    yield* invalidateCatalog(agent.workspaceId)
    return { branding }
  })
