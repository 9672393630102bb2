/**
 * The contacts who unsubscribed from notification emails, as admins see them (P-NOT-3).
 * - Both need the `portal.settings` permission (P-SET-1): anyone else gets Forbidden and learns
 *   nothing, not even how many there are.
 * - `unsubscribedContacts` lists them (name as the portal's language writes it, and email, in the
 *   workspace's contact order), at most
 *   UNSUBSCRIBED_PAGE of them, with the total count.
 * - `resubscribeContact` clears a contact's unsubscribed state, so notification emails reach them
 *   again; the screen asks the admin to do this only when the contact asked for it. An unknown
 *   contact is ContactNotFound and changes nothing.
 */
import { Effect, Option } from "effect"
import type { AgentCaller } from "../domain/Caller.ts"
import type { Language } from "../domain/Entities.ts"
import type { ContactId, WorkspaceId } from "../domain/Ids.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { ContactNotFound, type Forbidden } from "../ports/Errors.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { contactRef, personName, withoutBidiControls } from "../rules/Names.ts"
import { requireCallerPermission } from "./PortalViews.ts"

/** How many unsubscribed contacts one read lists (the total is counted in full). */
export const UNSUBSCRIBED_PAGE = 200

export interface UnsubscribedContactView {
  readonly id: ContactId
  /** As the portal's language writes it (family name first in Japanese), bidi controls removed. */
  readonly name: string
  readonly email: string
  readonly firstName: string | null
  readonly lastName: string | null
}

export interface UnsubscribedContactsView {
  readonly contacts: ReadonlyArray<UnsubscribedContactView>
  /** All who unsubscribed; more than `contacts.length` when the list is cut at UNSUBSCRIBED_PAGE. */
  readonly total: number
}

export const unsubscribedContacts = (
  caller: AgentCaller,
): Effect.Effect<UnsubscribedContactsView, Forbidden | StoreError, ContactStore> =>
  Effect.gen(function* () {
    yield* requireCallerPermission(caller, "portal.settings")
    const page = yield* (yield* ContactStore).unsubscribedContacts(caller.portal.workspaceId, UNSUBSCRIBED_PAGE)
    return {
      contacts: page.contacts.map((c) => ({
        id: c.id,
        name: withoutBidiControls(personName(contactRef(c), caller.portal.domain.language)),
        email: c.email,
        firstName: c.firstName ?? null,
        lastName: c.lastName ?? null,
      })),
      total: page.total,
    }
  })

export const resubscribeContact = (
  caller: AgentCaller,
  contactId: ContactId,
): Effect.Effect<{ readonly contactId: ContactId }, Forbidden | ContactNotFound | StoreError, ContactStore> =>
  Effect.gen(function* () {
    yield* requireCallerPermission(caller, "portal.settings")
    const found = yield* (yield* ContactStore).setUnsubscribed(caller.portal.workspaceId, contactId, false)
    if (!found) return yield* new ContactNotFound({ key: contactId })
    return { contactId }
  })

/**
 * The one-click link's target (P-NOT-3, apps/server's `/unsubscribe/:token`, after the token's
 * signature was checked): the contact, if it still exists, and the language of its portal's page.
 */
export const unsubscribeTarget = (
  workspaceId: WorkspaceId,
  contactId: ContactId,
): Effect.Effect<Option.Option<{ readonly language: Language }>, StoreError, ContactStore | WorkspaceStore> =>
  Effect.gen(function* () {
    const contact = yield* ContactStore.use((s) => s.findById(workspaceId, contactId))
    if (Option.isNone(contact)) return Option.none()
    const catalog = yield* WorkspaceStore.use((s) => s.catalog(workspaceId))
    return Option.some({ language: Option.getOrUndefined(catalog)?.domains[0]?.language ?? "en" })
  })

/** The contact asked to get no more notification emails (P-NOT-3); answering twice is harmless. */
export const unsubscribeContact = (
  workspaceId: WorkspaceId,
  contactId: ContactId,
): Effect.Effect<void, StoreError, ContactStore> =>
  Effect.asVoid(ContactStore.use((s) => s.setUnsubscribed(workspaceId, contactId, true)))
