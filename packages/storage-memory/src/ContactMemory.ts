/**
 * ContactStore over the memory state. Emails are matched case-insensitively (one contact per
 * email in a workspace). Register sets the password and stores the consent in one swap, or fails
 * with Conflict (writing nothing) when the contact already has a password.
 */
import type { ContactId, ListId } from "@portal/core/domain"
import type { ContactStoreShape, StoredContact } from "@portal/core/ports"
import { Option } from "effect"
import {
  check,
  conflict,
  copy,
  type MemoryDb,
  read,
  type WorkspaceData,
  withWorkspace,
  workspaceOf,
  write,
  writeOrConflict,
} from "./State.ts"

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

const checkCompany = (ws: WorkspaceData, contact: StoredContact) => {
  if (contact.primaryCompanyId !== undefined)
    check(
      ws.companies.some((c) => c.id === contact.primaryCompanyId),
      `company "${contact.primaryCompanyId}" does not exist`,
    )
}

const replaceContact = (ws: WorkspaceData, contact: StoredContact): WorkspaceData => ({
  ...ws,
  contacts: ws.contacts.map((c) => (c.id === contact.id ? contact : c)),
})

export const contactStore = (db: MemoryDb): ContactStoreShape => ({
  findByEmail: (workspaceId, email) =>
    read(db, (s) =>
      Option.fromUndefinedOr(s.workspaces.get(workspaceId)?.contacts.find((c) => sameEmail(c.email, email))).pipe(
        Option.map(copy),
      ),
    ),
  findById: (workspaceId, contactId) =>
    read(db, (s) =>
      Option.fromUndefinedOr(s.workspaces.get(workspaceId)?.contacts.find((c) => c.id === contactId)).pipe(
        Option.map(copy),
      ),
    ),
  listIdsOf: (workspaceId, contactId) =>
    read(db, (s) =>
      (s.workspaces.get(workspaceId)?.lists ?? []).filter((l) => l.contactIds.includes(contactId)).map((l) => l.id),
    ),
  contactsInLists: (workspaceId, listIds) =>
    read(db, (s) => {
      const ws = s.workspaces.get(workspaceId)
      if (ws === undefined) return []
      const members = new Set<string>(
        ws.lists.filter((l) => listIds.includes(l.id as ListId)).flatMap((l) => l.contactIds),
      )
      return ws.contacts.filter((c) => members.has(c.id)).map(copy)
    }),
  register: (workspaceId, contact, consent) =>
    writeOrConflict(db, "register", (s) => {
      const ws = workspaceOf(s, workspaceId)
      const existing = ws.contacts.find((c) => sameEmail(c.email, contact.email))
      let stored: StoredContact
      let next: WorkspaceData
      if (existing !== undefined) {
        if (existing.passwordHash !== null) conflict(`contact "${existing.id}" is already registered`)
        stored = { ...existing, passwordHash: contact.passwordHash }
        next = replaceContact(ws, stored)
      } else {
        check(!ws.contacts.some((c) => c.id === contact.id), `contact id "${contact.id}" already exists`)
        checkCompany(ws, contact)
        stored = copy(contact)
        next = { ...ws, contacts: [...ws.contacts, stored] }
      }
      if (consent !== null) next = { ...next, consents: [...next.consents, { ...copy(consent), contactId: stored.id }] }
      return [copy(stored), withWorkspace(s, next)]
    }),
  setPassword: (workspaceId, contactId, passwordHash) =>
    write(db, "setPassword", (s) => {
      const ws = workspaceOf(s, workspaceId)
      const contact = ws.contacts.find((c) => c.id === contactId)
      return contact === undefined
        ? [undefined, s]
        : [undefined, withWorkspace(s, replaceContact(ws, { ...contact, passwordHash }))]
    }),
  upsert: (workspaceId, contact) =>
    write(db, "upsert", (s) => {
      const ws = workspaceOf(s, workspaceId)
      checkCompany(ws, contact)
      const existing = ws.contacts.find((c) => sameEmail(c.email, contact.email))
      if (existing === undefined) {
        check(!ws.contacts.some((c) => c.id === contact.id), `contact id "${contact.id}" already exists`)
        // The unsubscribed state is the contact's own choice (P-NOT-3): an upsert neither sets nor clears it.
        const { unsubscribed: _, ...given } = copy(contact)
        const stored = { ...given, passwordHash: null }
        return [copy(stored), withWorkspace(s, { ...ws, contacts: [...ws.contacts, stored] })]
      }
      const { id: _, email: __, passwordHash: ___, unsubscribed: ____, ...details } = copy(contact)
      const stored: StoredContact = { ...existing, ...details }
      return [copy(stored), withWorkspace(s, replaceContact(ws, stored))]
    }),
  setUnsubscribed: (workspaceId, contactId, unsubscribed) =>
    write(db, "setUnsubscribed", (s) => {
      const ws = workspaceOf(s, workspaceId)
      const contact = ws.contacts.find((c) => c.id === contactId)
      if (contact === undefined) return [false, s]
      const { unsubscribed: _, ...rest } = contact
      return [true, withWorkspace(s, replaceContact(ws, unsubscribed ? { ...rest, unsubscribed: true } : rest))]
    }),
  unsubscribedContacts: (workspaceId, limit) =>
    read(db, (s) => {
      const all = (s.workspaces.get(workspaceId)?.contacts ?? []).filter((c) => c.unsubscribed === true)
      return {
        contacts: all.slice(0, Math.max(0, limit)).map(({ passwordHash: _, ...profile }) => copy(profile)),
        total: all.length,
      }
    }),
  consentsOf: (workspaceId, contactId: ContactId) =>
    read(db, (s) => (s.workspaces.get(workspaceId)?.consents ?? []).filter((c) => c.contactId === contactId).map(copy)),
})
