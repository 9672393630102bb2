/**
 * ContactStore: lookups (email case-insensitive), list memberships, and registration with its
 * consent in one transaction (P-AUTH-3, P-CON-2): a second registration is a Conflict that
 * writes nothing.
 */
import type { WorkspaceId } from "@portal/core/domain"
import { type ConsentRecord, ContactStore, type StoredContact } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { storedContact, testHash } from "./Documents.ts"
import { fixtures, LATER } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const consentFor = (contactId: string): ConsentRecord => ({
  contactId: contactId as ConsentRecord["contactId"],
  noticeText: "Acme processes your data to answer your requests.",
  checkboxLabel: "I agree to let Acme process my data.",
  legalUrl: null,
  textVersion: "v1",
  givenAt: LATER,
})

const newcomer: StoredContact = {
  id: "new-contact" as StoredContact["id"],
  email: "Newcomer@Example.test",
  firstName: "Nina",
  lastName: "Neu",
  passwordHash: "hash-of-nina",
}

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "ContactStore", makeLayer, options, (h) => {
    const f = fixtures(h, "contacts")
    const find = (ws: WorkspaceId, email: string) => h.run(use(ContactStore, (s) => s.findByEmail(ws, email)))

    h.test("findByEmail ignores case and carries the imported password hash (null without one)", async () => {
      const doc = await f.workspace()
      expect(await find(doc.id, "KEN@Globex.test")).toEqual(Option.some(storedContact(doc, "p1")))
      expect(Option.map(await find(doc.id, "ken@globex.test"), (c) => c.passwordHash)).toEqual(
        Option.some(testHash("customer-demo-2026")),
      )
      expect(Option.map(await find(doc.id, "solo@example.test"), (c) => c.passwordHash)).toEqual(Option.some(null))
      expect(await find(doc.id, "nobody@example.test")).toEqual(Option.none())
      expect(await h.run(use(ContactStore, (s) => s.findById(doc.id, "p4" as never)))).toEqual(
        Option.some(storedContact(doc, "p4")),
      )
    })

    h.test("listIdsOf and contactsInLists follow the document's lists", async () => {
      const doc = await f.workspace()
      expect(await h.run(use(ContactStore, (s) => s.listIdsOf(doc.id, "p1" as never)))).toEqual(["l1"])
      expect(await h.run(use(ContactStore, (s) => s.listIdsOf(doc.id, "p2" as never)))).toEqual([])
      const members = await h.run(use(ContactStore, (s) => s.contactsInLists(doc.id, ["l1" as never])))
      expect([...members].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        storedContact(doc, "p1"),
        storedContact(doc, "p3"),
      ])
      expect(await h.run(use(ContactStore, (s) => s.contactsInLists(doc.id, [])))).toEqual([])
    })

    h.test("register creates the contact and stores its consent together", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const stored = await h.run(use(ContactStore, (s) => s.register(ws, newcomer, consentFor(newcomer.id))))
      expect(stored).toEqual(newcomer)
      expect(await find(ws, "newcomer@example.test")).toEqual(Option.some(newcomer))
      expect(await h.run(use(ContactStore, (s) => s.consentsOf(ws, newcomer.id)))).toEqual([consentFor(newcomer.id)])
      expectCounts(before, await h.counts(ws), { contacts: 1, consents: 1 })
      const exported = (await f.snapshot(ws)).document.contacts.find((c) => c.id === newcomer.id)
      // P-DATA-1: the export carries the login's hash and the consent as given.
      expect(exported).toEqual({
        id: "new-contact",
        email: "Newcomer@Example.test",
        firstName: "Nina",
        lastName: "Neu",
        passwordHash: newcomer.passwordHash,
        consents: [
          {
            textVersion: "v1",
            text: "Acme processes your data to answer your requests.",
            checkboxLabel: "I agree to let Acme process my data.",
            givenAt: LATER,
          },
        ],
      })
    })

    h.test("register sets the password of an existing contact without one, keeping its id", async () => {
      const doc = await f.workspace()
      const attempt = { ...newcomer, id: "other-id" as StoredContact["id"], email: "SOLO@example.test" }
      const stored = await h.run(use(ContactStore, (s) => s.register(doc.id, attempt, consentFor("p4"))))
      expect(stored).toMatchObject({ id: "p4", passwordHash: "hash-of-nina" })
      expect(Option.map(await find(doc.id, "solo@example.test"), (c) => [c.id, c.passwordHash])).toEqual(
        Option.some(["p4", "hash-of-nina"]),
      )
      expect(await h.run(use(ContactStore, (s) => s.consentsOf(doc.id, "p4" as never)))).toEqual([consentFor("p4")])
      expect(await h.run(use(ContactStore, (s) => s.findById(doc.id, "other-id" as never)))).toEqual(Option.none())
    })

    h.test("register of an already registered contact is a Conflict and writes nothing", async () => {
      const doc = await f.workspace()
      const before = await f.snapshot(doc.id)
      const again = { ...storedContact(doc, "p1"), passwordHash: "another-hash" }
      const error = await h.fail(use(ContactStore, (s) => s.register(doc.id, again, consentFor("p1"))))
      expect(error).toMatchObject({ _tag: "Conflict" })
      expect(await f.snapshot(doc.id)).toEqual(before)
      expect(Option.map(await find(doc.id, "ken@globex.test"), (c) => c.passwordHash)).toEqual(
        Option.some(testHash("customer-demo-2026")),
      )
      expect(await h.run(use(ContactStore, (s) => s.consentsOf(doc.id, "p1" as never)))).toEqual([])
    })

    h.test("upsert creates a contact without password, and keeps an existing one's id and password", async () => {
      const ws = (await f.workspace()).id
      const created = await h.run(use(ContactStore, (s) => s.upsert(ws, { ...newcomer, passwordHash: null })))
      expect(created).toEqual({ ...newcomer, passwordHash: null })
      const existing = {
        ...newcomer,
        id: "sso-id" as StoredContact["id"],
        email: "ken@GLOBEX.test",
        passwordHash: null,
      }
      const kept = await h.run(use(ContactStore, (s) => s.upsert(ws, existing)))
      expect(kept).toMatchObject({ id: "p1", passwordHash: testHash("customer-demo-2026") })
      expect(await h.run(use(ContactStore, (s) => s.findById(ws, "sso-id" as never)))).toEqual(Option.none())
    })

    h.test(
      "P-NOT-3: unsubscribedContacts lists who unsubscribed (bounded, in contact order, no credentials) and counts them all",
      async () => {
        const doc = await f.workspace()
        const list = (limit: number) => h.run(use(ContactStore, (s) => s.unsubscribedContacts(doc.id, limit)))
        expect(await list(10)).toEqual({ contacts: [], total: 0 })
        for (const id of ["p4", "p1", "p3"])
          expect(await h.run(use(ContactStore, (s) => s.setUnsubscribed(doc.id, id as never, true)))).toBe(true)
        const { passwordHash: _, ...p1 } = storedContact(doc, "p1")
        const all = await list(10)
        expect(all.total).toBe(3)
        expect(all.contacts.map((c) => c.id)).toEqual(["p1", "p3", "p4"])
        expect(all.contacts[0]).toEqual({ ...p1, unsubscribed: true })
        expect(all.contacts.some((c) => "passwordHash" in c)).toBe(false)
        const cut = await list(2)
        expect(cut.total).toBe(3)
        expect(cut.contacts.map((c) => c.id)).toEqual(["p1", "p3"])
        expect(await list(0)).toEqual({ contacts: [], total: 3 })
        // Subscribing again takes the contact off the list; another workspace sees none of them.
        await h.run(use(ContactStore, (s) => s.setUnsubscribed(doc.id, "p3" as never, false)))
        expect((await list(10)).contacts.map((c) => c.id)).toEqual(["p1", "p4"])
        const other = (await f.workspace()).id
        expect(await h.run(use(ContactStore, (s) => s.unsubscribedContacts(other, 10)))).toEqual({
          contacts: [],
          total: 0,
        })
      },
    )

    h.test("setPassword replaces the password hash", async () => {
      const ws = (await f.workspace()).id
      await h.run(use(ContactStore, (s) => s.setPassword(ws, "p2" as never, "new-hash")))
      expect(Option.map(await find(ws, "yuki@globex.test"), (c) => c.passwordHash)).toEqual(Option.some("new-hash"))
    })
  })
