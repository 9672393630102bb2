/**
 * Contacts (customers), their credentials, list memberships and consents (P-AUTH, P-CON).
 */
import { Context, type Effect, type Option } from "effect"
import type { ContactProfile } from "../domain/Entities.ts"
import type { ContactId, IsoTime, ListId, WorkspaceId } from "../domain/Ids.ts"
import type { Conflict } from "./Errors.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export type StoredContact = ContactProfile & { readonly passwordHash: string | null }

/** The consent as given (P-CON-2): the exact texts shown, their version, and when. */
export interface ConsentRecord {
  readonly contactId: ContactId
  readonly noticeText: string
  readonly checkboxLabel: string
  readonly legalUrl: string | null
  readonly textVersion: string
  readonly givenAt: IsoTime
}

/** A page of the contacts who unsubscribed (P-NOT-3), without credentials. */
export interface UnsubscribedContacts {
  readonly contacts: ReadonlyArray<ContactProfile>
  readonly total: number
}

export interface ContactStoreShape {
  readonly findByEmail: (
    workspaceId: WorkspaceId,
    email: string,
  ) => Effect.Effect<Option.Option<StoredContact>, StoreError>
  readonly findById: (
    workspaceId: WorkspaceId,
    contactId: ContactId,
  ) => Effect.Effect<Option.Option<StoredContact>, StoreError>
  /**
   * The contacts of `ids` that exist in the workspace, in the order of `ids` (an id given twice
   * comes once; an unknown id is left out): one read for many (a ticket's participants, P-EXT-1).
   */
  readonly findByIds: (
    workspaceId: WorkspaceId,
    ids: ReadonlyArray<ContactId>,
  ) => Effect.Effect<ReadonlyArray<StoredContact>, StoreError>
  readonly listIdsOf: (
    workspaceId: WorkspaceId,
    contactId: ContactId,
  ) => Effect.Effect<ReadonlyArray<ListId>, StoreError>
  readonly contactsInLists: (
    workspaceId: WorkspaceId,
    listIds: ReadonlyArray<ListId>,
  ) => Effect.Effect<ReadonlyArray<StoredContact>, StoreError>
  /**
   * Register: create the contact (or set the password of an existing contact without one) and
   * store the consent, in one transaction. Conflict when the contact already has a password.
   */
  readonly register: (
    workspaceId: WorkspaceId,
    contact: StoredContact,
    consent: ConsentRecord | null,
  ) => Effect.Effect<StoredContact, StoreError | Conflict>
  readonly setPassword: (
    workspaceId: WorkspaceId,
    contactId: ContactId,
    passwordHash: string,
  ) => Effect.Effect<void, StoreError>
  /** Create a contact with no password (SSO first sign-in, integration upsert). */
  readonly upsert: (workspaceId: WorkspaceId, contact: StoredContact) => Effect.Effect<StoredContact, StoreError>
  /** P-NOT-3: set or clear the contact's unsubscribed state; false when there is no such contact. */
  readonly setUnsubscribed: (
    workspaceId: WorkspaceId,
    contactId: ContactId,
    unsubscribed: boolean,
  ) => Effect.Effect<boolean, StoreError>
  /**
   * P-NOT-3: the contacts who unsubscribed, in the workspace's contact order, at most `limit` of
   * them (filtered in the store), and how many there are in all.
   */
  readonly unsubscribedContacts: (
    workspaceId: WorkspaceId,
    limit: number,
  ) => Effect.Effect<UnsubscribedContacts, StoreError>
  readonly consentsOf: (
    workspaceId: WorkspaceId,
    contactId: ContactId,
  ) => Effect.Effect<ReadonlyArray<ConsentRecord>, StoreError>
}

export class ContactStore extends Context.Service<ContactStore, ContactStoreShape>()("@portal/core/ContactStore") {}
