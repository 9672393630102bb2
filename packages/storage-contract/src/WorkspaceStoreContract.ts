/**
 * WorkspaceStore: import/export round trips (the demo and random documents), import replacing a
 * workspace without leftovers, a failing import changing nothing, host lookup and the catalog.
 * Hosts are unique across workspaces (P-DOM-1 resolves one workspace per host): importing a
 * document whose host another workspace serves must fail, which is how a failure midway through
 * an import is provoked here. The single catalog writes (agents and their passwords, domains,
 * companies, lists) are in WorkspaceCatalogContract.ts. Attachments keep exactly the ids the
 * import's secrets give (random ones, P-VIS-4), never ids made from message ids.
 */
import type { AttachmentId, ThreadId, WorkspaceDocument, WorkspaceId } from "@portal/core/domain"
import { ContactStore, type ImportSecrets, TicketStore, WorkspaceStore } from "@portal/core/ports"
import { Option } from "effect"
import fc from "fast-check"
import { expect } from "vitest"
import { workspaceDocument, workspaceDocumentWithLogins } from "./Arbitraries.ts"
import { demoDocument, documentCounts, exportDoc, forImport, importDoc, normalize, storedContact } from "./Documents.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const hostOf = (doc: WorkspaceDocument) => doc.domains[0]!.host

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "WorkspaceStore", makeLayer, options, (h) => {
    let n = 0
    const fresh = (label: string) => `${label}-${h.nonce}-${++n}`
    const exported = async (id: string) => {
      const doc = await h.run(exportDoc(id))
      expect(Option.isSome(doc)).toBe(true)
      return Option.getOrThrow(doc)
    }

    h.test(
      "P-DATA-1: imports the demo workspace and exports it back with every login as its hash, never a plain password",
      async () => {
        const doc = demoDocument(fresh("demo"))
        await h.run(importDoc(doc))
        const back = await exported(doc.workspace.id)
        expect(normalize(back)).toEqual(normalize(doc))
        expect([...back.contacts, ...back.agents].filter((p) => "password" in p)).toEqual([])
        const logins = [...doc.contacts, ...doc.agents].filter((p) => p.password !== undefined)
        expect(logins.length).toBeGreaterThan(0)
        expect([...back.contacts, ...back.agents].filter((p) => p.passwordHash !== undefined)).toHaveLength(
          logins.length,
        )
        const counts = await h.counts(doc.workspace.id)
        if (options.backdoor !== undefined) expect(counts).toEqual(documentCounts(doc))
        expect(await h.run(use(WorkspaceStore, (s) => s.listWorkspaceIds()))).toContain(doc.workspace.id)
      },
    )

    h.test(
      "round-trips random workspaces (arrays in order, time strings as given)",
      async () => {
        const id = fresh("random")
        await fc.assert(
          fc.asyncProperty(workspaceDocument(id, `${id}.contract.test`), async (doc) => {
            await h.run(importDoc(doc))
            expect(normalize(await exported(id))).toEqual(normalize(doc))
            if (options.backdoor !== undefined) expect(await h.counts(id)).toEqual(documentCounts(doc))
          }),
          { numRuns: options.numRuns ?? 200 },
        )
      },
      120_000,
    )

    h.test(
      "P-DATA-1: export → import → export gives the same document (login hashes, consents, attachment ids)",
      async () => {
        const id = fresh("lossless")
        await fc.assert(
          fc.asyncProperty(workspaceDocumentWithLogins(id, `${id}.contract.test`), async (doc) => {
            await h.run(importDoc(doc))
            const first = await exported(id)
            // Everything the document carried, the logins' hashes and attachment ids included.
            expect(normalize(first)).toEqual(normalize(doc))
            expect(first.contacts.map((c) => [c.passwordHash, c.consents])).toEqual(
              doc.contacts.map((c) => [c.passwordHash, c.consents]),
            )
            expect(first.agents.map((a) => a.passwordHash)).toEqual(doc.agents.map((a) => a.passwordHash))
            const ids = (d: WorkspaceDocument) =>
              d.threads.flatMap((t) => t.messages.flatMap((m) => (m.attachments ?? []).map((a) => a.id)))
            expect(ids(first)).toEqual(ids(doc))
            await h.run(importDoc(first))
            const second = await exported(id)
            expect(JSON.stringify(second)).toBe(JSON.stringify(first))
            if (options.backdoor !== undefined) expect(await h.counts(id)).toEqual(documentCounts(doc))
          }),
          { numRuns: Math.min(options.numRuns ?? 50, 50) },
        )
      },
      120_000,
    )

    h.test("an import replaces an existing workspace with no leftovers", async () => {
      const id = fresh("replace")
      const first = demoDocument(id)
      await h.run(importDoc(first))
      const [second] = fc.sample(workspaceDocument(id, `new.${id}.contract.test`), { numRuns: 1, seed: 7 })
      await h.run(importDoc(second!))
      expect(normalize(await exported(id))).toEqual(normalize(second!))
      if (options.backdoor !== undefined) expect(await h.counts(id)).toEqual(documentCounts(second!))
      expect(await h.run(use(WorkspaceStore, (s) => s.findByHost(hostOf(first))))).toEqual(Option.none())
      const gone = first.tickets.filter((t) => !second!.tickets.some((u) => u.id === t.id))
      for (const t of gone)
        expect(await h.run(use(TicketStore, (s) => s.getById(id as WorkspaceId, t.id)))).toEqual(Option.none())
      const p1 = await h.run(use(ContactStore, (s) => s.findByEmail(id as WorkspaceId, "ken@globex.test")))
      expect(p1).toEqual(Option.none())
    })

    h.test("a failing import changes nothing", async () => {
      const other = demoDocument(fresh("other"))
      const target = demoDocument(fresh("target"))
      await h.run(importDoc(other))
      await h.run(importDoc(target))
      const before = await exported(target.workspace.id)
      const countsBefore = await h.counts(target.workspace.id)
      // Valid on its own, but its last host belongs to `other`: the store must refuse it whole.
      const [random] = fc.sample(workspaceDocument(target.workspace.id, `moved.${hostOf(target)}`), {
        numRuns: 1,
        seed: 11,
      })
      const clash = {
        ...random!,
        domains: [...random!.domains, { host: hostOf(other).toUpperCase(), language: "ja" as const }],
      }
      const error = await h.fail(importDoc(clash))
      // P-SEC-7: a Conflict naming the host in words, never a raw database message.
      expect(error).toMatchObject({ _tag: "Conflict" })
      expect((error as { reason: string }).reason).toContain(hostOf(other))
      expect(await exported(target.workspace.id)).toEqual(before)
      expectCounts(countsBefore, await h.counts(target.workspace.id))
      const found = await h.run(use(WorkspaceStore, (s) => s.findByHost(hostOf(target))))
      expect(Option.map(found, (f) => f.workspaceId)).toEqual(Option.some(target.workspace.id))
      expect(await h.run(use(WorkspaceStore, (s) => s.findByHost(`moved.${hostOf(target)}`)))).toEqual(Option.none())
      const stillOther = await h.run(use(WorkspaceStore, (s) => s.findByHost(hostOf(other))))
      expect(Option.map(stillOther, (f) => f.workspaceId)).toEqual(Option.some(other.workspace.id))
    })

    h.test(
      "P-VIS-4: attachments keep exactly the ids the import secrets give, not ids made from message ids",
      async () => {
        const doc = demoDocument(fresh("ids"))
        const ws = doc.workspace.id
        const file = (name: string) => ({ name, contentType: "text/plain", dataBase64: "aGk=" })
        // Two files on a message, and one on an internal comment (m2, P-COM-3).
        const withFiles: WorkspaceDocument = {
          ...doc,
          threads: doc.threads.map((t) =>
            t.id !== "th1"
              ? t
              : {
                  ...t,
                  messages: t.messages.map((m) =>
                    m.id === "m1"
                      ? { ...m, attachments: [...(m.attachments ?? []), file("second.txt")] }
                      : m.id === "m2"
                        ? { ...m, attachments: [file("internal.txt")] }
                        : m,
                  ),
                },
          ),
        }
        const files = withFiles.threads.flatMap((t) =>
          t.messages.flatMap((m) =>
            (m.attachments ?? []).map((a, i) => ({ ticketId: t.ticketId, messageId: m.id, index: i, name: a.name })),
          ),
        )
        expect(files.length).toBeGreaterThanOrEqual(4)
        const attachment = (id: string) => h.run(use(TicketStore, (s) => s.attachment(ws, id as AttachmentId)))
        const expectStored = async (ids: ImportSecrets["attachmentIds"]) => {
          for (const f of files) {
            const id = ids.get(f.messageId)?.[f.index]
            expect(id, `${f.messageId}#${f.index}`).toMatch(/^att-/)
            expect(await attachment(id ?? "")).toMatchObject(
              Option.some({ id, messageId: f.messageId, ticketId: f.ticketId, name: f.name }),
            )
          }
        }

        const first = await h.run(importDoc(withFiles))
        await expectStored(first.attachmentIds)
        // Exactly those: one record per given id, and no id made from the message id answers.
        if (options.backdoor !== undefined) expect((await h.counts(ws)).attachments).toBe(files.length)
        for (const f of files) {
          for (const guess of [`${f.messageId}#${f.index}`, `${f.messageId}/${f.index}`, `${f.messageId}-${f.index}`])
            expect(await attachment(guess)).toEqual(Option.none())
          expect(first.attachmentIds.get(f.messageId)?.[f.index]).not.toContain(f.messageId)
        }
        // The customer-visible messages show the given ids, in the document's order.
        const visible = await h.run(use(TicketStore, (s) => s.messagesOf(ws, "th1" as ThreadId)))
        expect(visible.find((m) => m.id === "m1")?.attachments.map((a) => a.id)).toEqual(first.attachmentIds.get("m1"))
        // The export writes the stored ids (P-DATA-1); the rest is the document unchanged.
        const back = await exported(ws)
        expect(normalize(back)).toEqual(normalize(withFiles))
        for (const f of files)
          expect(
            back.threads.flatMap((t) => t.messages).find((m) => m.id === f.messageId)?.attachments?.[f.index]?.id,
          ).toBe(first.attachmentIds.get(f.messageId)?.[f.index])

        // A re-import replaces the workspace: the new ids answer, the old ones no longer do.
        const second = await h.run(importDoc(withFiles))
        await expectStored(second.attachmentIds)
        for (const id of [...first.attachmentIds.values()].flat()) expect(await attachment(id)).toEqual(Option.none())

        // An attachment the secrets give no id fails the import, which changes nothing.
        const before = await h.counts(ws)
        const { doc: stored, secrets } = forImport(withFiles)
        const partial = new Map(secrets.attachmentIds)
        partial.set("m1", (partial.get("m1") ?? []).slice(0, 1))
        await h.fail(use(WorkspaceStore, (s) => s.importDocument(stored, { ...secrets, attachmentIds: partial })))
        expectCounts(before, await h.counts(ws))
        await expectStored(second.attachmentIds)
      },
    )

    h.test("findByHost matches the host case-insensitively and returns the domain", async () => {
      const doc = demoDocument(fresh("host"))
      await h.run(importDoc(doc))
      const found = await h.run(use(WorkspaceStore, (s) => s.findByHost(hostOf(doc).toUpperCase())))
      expect(found).toEqual(Option.some({ workspaceId: doc.workspace.id, domain: doc.domains[0] }))
      expect(await h.run(use(WorkspaceStore, (s) => s.findByHost(`x${hostOf(doc)}`)))).toEqual(Option.none())
    })

    h.test("catalog gives the reference data without passwords or list members", async () => {
      const doc = demoDocument(fresh("catalog"))
      await h.run(importDoc(doc))
      const catalog = await h.run(use(WorkspaceStore, (s) => s.catalog(doc.workspace.id)))
      expect(catalog).toEqual(
        Option.some({
          workspace: doc.workspace,
          domains: doc.domains,
          agents: doc.agents.map(({ password: _, ...a }) => a),
          pipelines: doc.pipelines,
          inboxes: doc.inboxes,
          forms: doc.forms,
          lists: doc.lists.map(({ contactIds: _, ...l }) => l),
        }),
      )
      expect(JSON.stringify(catalog)).not.toMatch(/password/i)
      const missing = "no-such-workspace" as WorkspaceId
      expect(await h.run(use(WorkspaceStore, (s) => s.catalog(missing)))).toEqual(Option.none())
      expect(await h.run(exportDoc(missing))).toEqual(Option.none())
      const stored = await h.run(use(ContactStore, (s) => s.findById(doc.workspace.id, "p1" as never)))
      expect(stored).toEqual(Option.some(storedContact(doc, "p1")))
    })
  })
