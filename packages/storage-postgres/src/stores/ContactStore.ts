/**
 * ContactStore on SQL. Emails match case-insensitively through `email_key` (one contact per
 * email in a workspace, a unique index). Register sets the password and stores the consent in one
 * transaction, or fails with Conflict (writing nothing) when the contact already has a password.
 */
import { ContactId, IsoTime, ListId } from "@portal/core/domain"
import {
  Conflict,
  type ConsentRecord,
  ContactStore,
  type ContactStoreShape,
  type StoredContact,
} from "@portal/core/ports"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"
import type { Queryable } from "../Driver.ts"
import { Abort, isUniqueViolation } from "../Errors.ts"
import { findOne } from "../Sql.ts"
import { CONTACT_COLUMNS, ContactRow, contactFrom, emailKey, storedContactFrom } from "./Rows.ts"

/** The contact of a session, read on every signed-in request: a named statement. */
const BY_ID = {
  name: "portal_contact_by_id",
  text: `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE workspace_id = $1 AND contact_id = $2`,
}
/**
 * P-NOT-3: the contacts who unsubscribed, a bounded page in the workspace's contact order, and
 * (in the same statement, so the two agree) how many there are in all.
 */
const UNSUBSCRIBED = `SELECT ${CONTACT_COLUMNS}, count(*) OVER ()::int AS total FROM contacts
  WHERE workspace_id = $1 AND unsubscribed ORDER BY ord LIMIT $2`
const UnsubscribedRow = Schema.Struct({ ...ContactRow.fields, total: Schema.Number })
const BY_EMAIL = `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE workspace_id = $1 AND email_key = $2`

/** The lists of a contact (P-VIS-5's company scope), read on every signed-in request. */
const LIST_IDS_OF = {
  name: "portal_list_ids_of",
  text: `SELECT l.list_id FROM lists l WHERE l.workspace_id = $1 AND EXISTS (SELECT 1 FROM list_members m
           WHERE m.workspace_id = l.workspace_id AND m.list_id = l.list_id AND m.contact_id = $2) ORDER BY l.ord`,
}

const ConsentRow = Schema.Struct({
  contact_id: ContactId,
  notice_text: Schema.String,
  checkbox_label: Schema.String,
  legal_url: Schema.NullOr(Schema.String),
  text_version: Schema.String,
  given_at: IsoTime,
})

const fail = (reason: string): never => {
  throw new Error(reason)
}

const byEmail = async (q: Queryable, workspaceId: string, email: string) => {
  const row = await findOne(q, ContactRow, BY_EMAIL, [workspaceId, emailKey(email)])
  return row === undefined ? undefined : storedContactFrom(row)
}

const checkWorkspace = async (tx: Queryable, workspaceId: string) => {
  const rows = await tx.query("SELECT 1 FROM workspaces WHERE workspace_id = $1 FOR SHARE", [workspaceId])
  if (rows.length === 0) fail(`workspace "${workspaceId}" does not exist`)
}

const checkCompany = async (tx: Queryable, workspaceId: string, contact: StoredContact) => {
  if (contact.primaryCompanyId === undefined) return
  const rows = await tx.query("SELECT 1 FROM companies WHERE workspace_id = $1 AND company_id = $2", [
    workspaceId,
    contact.primaryCompanyId,
  ])
  if (rows.length === 0) fail(`company "${contact.primaryCompanyId}" does not exist`)
}

const insertContact = (tx: Queryable, workspaceId: string, c: StoredContact) =>
  tx.query(
    `INSERT INTO contacts (workspace_id, contact_id, email, email_key, first_name, last_name, primary_company_id, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      workspaceId,
      c.id,
      c.email,
      emailKey(c.email),
      c.firstName ?? null,
      c.lastName ?? null,
      c.primaryCompanyId ?? null,
      c.passwordHash,
    ],
  )

const insertConsent = (tx: Queryable, workspaceId: string, c: ConsentRecord) =>
  tx.query(
    `INSERT INTO consents (workspace_id, contact_id, notice_text, checkbox_label, legal_url, text_version, given_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [workspaceId, c.contactId, c.noticeText, c.checkboxLabel, c.legalUrl, c.textVersion, c.givenAt],
  )

export const makeContactStore = Effect.gen(function* () {
  const db = yield* Database
  const one = (method: string, sql: typeof BY_ID | string, params: ReadonlyArray<unknown>) =>
    db.findOne(method, ContactRow, sql, params).pipe(Effect.map(Option.map(storedContactFrom)))

  const store: ContactStoreShape = {
    findByEmail: (workspaceId, email) => one("ContactStore.findByEmail", BY_EMAIL, [workspaceId, emailKey(email)]),
    findById: (workspaceId, contactId) => one("ContactStore.findById", BY_ID, [workspaceId, contactId]),
    listIdsOf: (workspaceId, contactId) =>
      db
        .findAll("ContactStore.listIdsOf", Schema.Struct({ list_id: ListId }), LIST_IDS_OF, [workspaceId, contactId])
        .pipe(Effect.map((rows) => rows.map((r) => r.list_id))),
    contactsInLists: (workspaceId, listIds) =>
      db
        .findAll(
          "ContactStore.contactsInLists",
          ContactRow,
          `SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.workspace_id = $1 AND EXISTS (SELECT 1 FROM list_members m
             WHERE m.workspace_id = c.workspace_id AND m.contact_id = c.contact_id AND m.list_id = ANY($2::text[]))
           ORDER BY c.ord`,
          [workspaceId, [...listIds]],
        )
        .pipe(Effect.map((rows) => rows.map(storedContactFrom))),
    register: (workspaceId, contact, consent) =>
      db.transaction<StoredContact, Conflict>("ContactStore.register", async (tx) => {
        await checkWorkspace(tx, workspaceId)
        const existing = await byEmail(tx, workspaceId, contact.email)
        let stored: StoredContact
        if (existing !== undefined) {
          if (existing.passwordHash !== null)
            throw new Abort(new Conflict({ reason: `contact "${existing.id}" is already registered` }))
          // Only a contact still without a password: a concurrent registration then conflicts.
          const updated = await tx.query(
            "UPDATE contacts SET password_hash = $3 WHERE workspace_id = $1 AND contact_id = $2 AND password_hash IS NULL RETURNING 1",
            [workspaceId, existing.id, contact.passwordHash],
          )
          if (updated.length === 0)
            throw new Abort(new Conflict({ reason: `contact "${existing.id}" is already registered` }))
          stored = { ...existing, passwordHash: contact.passwordHash }
        } else {
          await checkCompany(tx, workspaceId, contact)
          await insertContact(tx, workspaceId, contact).catch((error: unknown) => {
            // Someone registered the same email concurrently: as if they had come first.
            throw isUniqueViolation(error, "contacts_email")
              ? new Abort(new Conflict({ reason: `email "${contact.email}" is already registered` }))
              : error
          })
          stored = contact
        }
        if (consent !== null) await insertConsent(tx, workspaceId, { ...consent, contactId: stored.id })
        return stored
      }),
    setPassword: (workspaceId, contactId, passwordHash) =>
      db.transaction("ContactStore.setPassword", async (tx) => {
        await checkWorkspace(tx, workspaceId)
        await tx.query("UPDATE contacts SET password_hash = $3 WHERE workspace_id = $1 AND contact_id = $2", [
          workspaceId,
          contactId,
          passwordHash,
        ])
      }),
    upsert: (workspaceId, contact) =>
      db.transaction("ContactStore.upsert", async (tx) => {
        await checkWorkspace(tx, workspaceId)
        await checkCompany(tx, workspaceId, contact)
        const existing = await byEmail(tx, workspaceId, contact.email)
        if (existing === undefined) {
          // The unsubscribed state is the contact's own choice (P-NOT-3): an upsert neither sets nor clears it.
          const { unsubscribed: _, ...given } = contact
          const stored: StoredContact = { ...given, passwordHash: null }
          await insertContact(tx, workspaceId, stored)
          return stored
        }
        // Only the details the caller gave change; id, email and password stay.
        const { id: _, email: __, passwordHash: ___, unsubscribed: ____, ...details } = contact
        const stored: StoredContact = { ...existing, ...details }
        await tx.query(
          `UPDATE contacts SET first_name = $3, last_name = $4, primary_company_id = $5 WHERE workspace_id = $1 AND contact_id = $2`,
          [
            workspaceId,
            existing.id,
            stored.firstName ?? null,
            stored.lastName ?? null,
            stored.primaryCompanyId ?? null,
          ],
        )
        return stored
      }),
    setUnsubscribed: (workspaceId, contactId, unsubscribed) =>
      db.run(
        "ContactStore.setUnsubscribed",
        async (q) =>
          (
            await q.query(
              "UPDATE contacts SET unsubscribed = $3 WHERE workspace_id = $1 AND contact_id = $2 RETURNING 1 AS one",
              [workspaceId, contactId, unsubscribed],
            )
          ).length > 0,
      ),
    unsubscribedContacts: (workspaceId, limit) => {
      // At least one row is read so the count arrives even for limit 0; the window counts before LIMIT.
      const cap = Math.max(0, Math.floor(limit))
      return db
        .findAll("ContactStore.unsubscribedContacts", UnsubscribedRow, UNSUBSCRIBED, [workspaceId, Math.max(1, cap)])
        .pipe(
          Effect.map((rows) => ({
            contacts: rows.slice(0, cap).map(contactFrom),
            total: rows[0]?.total ?? 0,
          })),
        )
    },
    consentsOf: (workspaceId, contactId) =>
      db
        .findAll(
          "ContactStore.consentsOf",
          ConsentRow,
          `SELECT contact_id, notice_text, checkbox_label, legal_url, text_version, given_at FROM consents
           WHERE workspace_id = $1 AND contact_id = $2 ORDER BY ord`,
          [workspaceId, contactId],
        )
        .pipe(
          Effect.map((rows) =>
            rows.map((r) => ({
              contactId: r.contact_id,
              noticeText: r.notice_text,
              checkboxLabel: r.checkbox_label,
              legalUrl: r.legal_url,
              textVersion: r.text_version,
              givenAt: r.given_at,
            })),
          ),
        ),
  }
  return ContactStore.of(store)
})

export const layerContactStore = Layer.effect(ContactStore, makeContactStore)
