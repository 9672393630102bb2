/**
 * Reads most use-cases start with: the portal settings, the catalog, the viewer's contact and
 * scope. A missing workspace or contact is an error value (never a defect), so the edge can map it.
 */
import { Effect, Option } from "effect"
import type { ListId, WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import type { ViewerScope } from "../domain/ReadModels.ts"
import { ContactStore, type StoredContact } from "../ports/ContactStore.ts"
import { AccessDenied, ContactNotFound, WorkspaceNotFound } from "../ports/Errors.ts"
import { SettingsStore, type VersionedSettings } from "../ports/SettingsStore.ts"
import { type Catalog, type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { viewerScope } from "../rules/Visibility.ts"
import type { Viewer } from "./Viewers.ts"

export const loadVersionedSettings = (
  workspaceId: WorkspaceId,
): Effect.Effect<VersionedSettings, WorkspaceNotFound | StoreError, SettingsStore> =>
  Effect.gen(function* () {
    const store = yield* SettingsStore
    const found = yield* store.get(workspaceId)
    if (Option.isNone(found)) return yield* new WorkspaceNotFound({ key: workspaceId })
    return found.value
  })

export const loadSettings = (
  workspaceId: WorkspaceId,
): Effect.Effect<PortalSettings, WorkspaceNotFound | StoreError, SettingsStore> =>
  Effect.map(loadVersionedSettings(workspaceId), (v) => v.settings)

/** Customer entry points (register, sign-in, reset) refuse a portal that is switched off (P-SET-4). */
export const loadEnabledSettings = (
  workspaceId: WorkspaceId,
): Effect.Effect<PortalSettings, WorkspaceNotFound | AccessDenied | StoreError, SettingsStore> =>
  Effect.flatMap(loadSettings(workspaceId), (settings) =>
    settings.enabled
      ? Effect.succeed(settings)
      : Effect.fail(new AccessDenied({ code: "portal_disabled", reason: "portalDisabled" })),
  )

export const loadCatalog = (
  workspaceId: WorkspaceId,
): Effect.Effect<Catalog, WorkspaceNotFound | StoreError, WorkspaceStore> =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const found = yield* store.catalog(workspaceId)
    if (Option.isNone(found)) return yield* new WorkspaceNotFound({ key: workspaceId })
    return found.value
  })

/** The viewer's contact; gone (deleted since sign-in) is ContactNotFound, which ends the session. */
export const loadViewerContact = (
  viewer: Viewer,
): Effect.Effect<StoredContact, ContactNotFound | StoreError, ContactStore> =>
  Effect.gen(function* () {
    const contacts = yield* ContactStore
    const found = yield* contacts.findById(viewer.workspaceId, viewer.contactId)
    if (Option.isNone(found)) return yield* new ContactNotFound({ key: viewer.contactId })
    return found.value
  })

/** P-VIS-1, P-VIS-2, P-VIS-5: the viewer's scope from the settings, contact and list memberships. */
export const loadViewerScope = (
  viewer: Viewer,
  settings: Pick<PortalSettings, "ticketScope" | "ticketFilters">,
): Effect.Effect<
  { readonly scope: ViewerScope; readonly contact: StoredContact },
  ContactNotFound | StoreError,
  ContactStore
> =>
  Effect.gen(function* () {
    const contacts = yield* ContactStore
    const contact = yield* loadViewerContact(viewer)
    // Only the company scope limited to lists needs the memberships: skip the read otherwise.
    const listIds: ReadonlyArray<ListId> =
      typeof settings.ticketScope === "object" ? yield* contacts.listIdsOf(viewer.workspaceId, viewer.contactId) : []
    return { scope: viewerScope(viewer.workspaceId, settings, contact, listIds), contact }
  })
