/**
 * TicketStore reads agree with the pure rules, for random workspaces, viewers, settings and
 * queries: `list` pages (followed to the end) equal `listTicketsPure`'s, `get` is Some exactly
 * when `getTicketPure` is (P-VIS-4), and threads/messages/attachments equal the document's
 * (messages of kind "message" only, P-COM-3; both ordered by time, then id).
 * Each run imports one small workspace (always the same id, so every run also re-imports).
 */

import { Buffer } from "node:buffer"
import {
  type TicketListQuery,
  type TicketPage,
  type TicketSummary,
  timeMs,
  type ViewerScope,
  type WorkspaceDocument,
} from "@portal/core/domain"
import { BlobStore, ContactStore, TicketStore } from "@portal/core/ports"
import {
  authorNames,
  contactRef,
  getTicketPure,
  type ListingData,
  listTicketsPure,
  viewerScope,
} from "@portal/core/rules"
import { Effect, Option } from "effect"
import fc from "fast-check"
import { expect } from "vitest"
import { listQuery, scopeSettings, viewer, workspaceDocument } from "./Arbitraries.ts"
import { importDoc } from "./Documents.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

type Page = ReadonlyArray<TicketSummary>

/** Every page from the first, following nextCursor until null (with a guard against loops). */
const allPages = async (
  first: (cursor: string | null) => Promise<TicketPage>,
  maxPages: number,
): Promise<Array<Page>> => {
  const pages: Array<Page> = []
  let cursor: string | null = null
  do {
    const page: TicketPage = await first(cursor)
    pages.push(page.items)
    cursor = page.nextCursor
    if (pages.length > maxPages) throw new Error(`more than ${maxPages} pages: the cursor does not advance`)
  } while (cursor !== null)
  return pages
}

const scopeFor = (
  doc: WorkspaceDocument,
  settings: Parameters<typeof viewerScope>[1],
  contact: Parameters<typeof viewerScope>[2],
) =>
  viewerScope(
    doc.workspace.id,
    settings,
    contact,
    doc.lists.filter((l) => l.contactIds.includes(contact.id)).map((l) => l.id),
  )

const byTimeThenId = <T extends { readonly createdAt: string; readonly id: string }>(a: T, b: T) =>
  timeMs(a.createdAt) - timeMs(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore reads", makeLayer, options, (h) => {
    const id = `reads-${h.nonce}`
    const host = `${id}.contract.test`

    const world = workspaceDocument(id, host).chain((doc) =>
      fc.record({
        doc: fc.constant(doc),
        cases: fc.array(fc.record({ viewer: viewer(doc), settings: scopeSettings(doc), query: listQuery(doc) }), {
          minLength: 1,
          maxLength: 2,
        }),
      }),
    )

    h.test(
      "list pages (every sort, both directions) and get agree with the pure visibility and list rules (P-VIS-1…5, P-LIST-1, P-EXT-4)",
      async () => {
        await fc.assert(
          fc.asyncProperty(world, async ({ doc, cases }) => {
            await h.run(importDoc(doc))
            const data: ListingData = doc
            for (const c of cases) {
              const scope: ViewerScope = scopeFor(doc, c.settings, c.viewer)
              const query = (cursor: string | null): TicketListQuery => ({ ...c.query, cursor })
              const maxPages = doc.tickets.length + 2
              const expected = await allPages(
                async (cursor) => Effect.runSync(listTicketsPure(data, scope, query(cursor))),
                maxPages,
              )
              const actual = await allPages(
                (cursor) => h.run(use(TicketStore, (s) => s.list(scope, query(cursor)))),
                maxPages,
              )
              expect(actual).toEqual(expected)
              // P-EXT-4: paging through every page gives each visible ticket exactly once.
              const paged = actual.flat().map((t) => t.id)
              expect(new Set(paged).size).toBe(paged.length)
              const whole = Effect.runSync(listTicketsPure(data, scope, { ...query(null), limit: 100 }))
              expect([...paged].sort()).toEqual(whole.items.map((t) => t.id).sort())
              for (const ticketId of [...doc.tickets.map((t) => t.id), "no-such-ticket"]) {
                const got = await h.run(use(TicketStore, (s) => s.get(scope, ticketId as never)))
                const want = getTicketPure(data, scope, ticketId)
                expect(Option.map(got, (g) => g.summary)).toEqual(want)
                if (Option.isSome(got)) {
                  const { satisfaction, ...stored } = doc.tickets.find((t) => t.id === ticketId)!
                  expect(got.value.ticket).toEqual(stored)
                  // Read with the ticket (issue 9): its threads as threadsOf lists them, its rating.
                  expect(got.value.threads).toEqual(
                    doc.threads
                      .filter((t) => t.ticketId === ticketId)
                      .map(({ messages: _, ...head }) => head)
                      .sort(byTimeThenId),
                  )
                  expect(got.value.satisfaction).toEqual(satisfaction ?? null)
                }
                // getWithMessages (tickets.get, issue 9): the same read, each thread with its
                // messages of kind "message" as messagesOf lists them (that one equals the document's,
                // next test). No message of a comment, none of another ticket.
                const withMessages = await h.run(use(TicketStore, (s) => s.getWithMessages(scope, ticketId as never)))
                expect(
                  Option.map(withMessages, ({ threads, ...rest }) => ({
                    ...rest,
                    threads: threads.map(({ messages: _, ...head }) => head),
                  })),
                ).toEqual(got)
                if (Option.isSome(withMessages))
                  for (const thread of withMessages.value.threads)
                    expect(thread.messages).toEqual(
                      await h.run(use(TicketStore, (s) => s.messagesOf(doc.workspace.id, thread.id))),
                    )
              }
            }
          }),
          { numRuns: options.numRuns ?? 200 },
        )
      },
      180_000,
    )

    h.test(
      "threads, visible messages, attachments and list memberships equal the document's",
      async () => {
        await fc.assert(
          fc.asyncProperty(workspaceDocument(id, host), async (doc) => {
            await h.run(importDoc(doc))
            const ws = doc.workspace.id
            for (const ticket of doc.tickets) {
              const heads = await h.run(use(TicketStore, (s) => s.threadsOf(ws, ticket.id)))
              const want = doc.threads
                .filter((t) => t.ticketId === ticket.id)
                .map(({ messages: _, ...head }) => head)
                .sort(byTimeThenId)
              expect(heads).toEqual(want)
              // The rating (P-EXT-2) is read apart (satisfactionOf), not as part of the ticket.
              const { satisfaction, ...stored } = ticket
              expect(await h.run(use(TicketStore, (s) => s.getById(ws, ticket.id)))).toEqual(Option.some(stored))
              expect(await h.run(use(TicketStore, (s) => s.satisfactionOf(ws, ticket.id)))).toEqual(
                Option.fromNullishOr(satisfaction),
              )
            }
            for (const thread of doc.threads) {
              const got = await h.run(use(TicketStore, (s) => s.messagesOf(ws, thread.id)))
              const want = thread.messages
                .filter((m) => m.kind === "message")
                .sort(byTimeThenId)
                .map((m) => ({
                  id: m.id,
                  createdAt: m.createdAt,
                  author: m.author,
                  ...authorNames(
                    m.author.type === "agent"
                      ? { id: m.author.id, name: doc.agents.find((a) => a.id === m.author.id)!.name }
                      : contactRef(doc.contacts.find((c) => c.id === m.author.id)!),
                  ),
                  text: m.text,
                  attachments: (m.attachments ?? []).map((a) => ({
                    name: a.name,
                    contentType: a.contentType,
                    size: Buffer.from(a.dataBase64, "base64").length,
                  })),
                }))
              expect(got.map((m) => ({ ...m, attachments: m.attachments.map(({ id: _, ...a }) => a) }))).toEqual(want)
              for (const m of got) {
                for (const [j, meta] of m.attachments.entries()) {
                  const stored = await h.run(use(TicketStore, (s) => s.attachment(ws, meta.id)))
                  expect(Option.isSome(stored)).toBe(true)
                  if (Option.isNone(stored)) continue
                  expect(stored.value).toMatchObject({ ...meta, ticketId: thread.ticketId, messageId: m.id })
                  const bytes = await h.run(use(BlobStore, (b) => b.get(ws, stored.value.blobKey)))
                  const source = thread.messages.find((x) => x.id === m.id)?.attachments?.[j]
                  expect(Option.map(bytes, (b) => Buffer.from(b).toString("base64"))).toEqual(
                    Option.some(source?.dataBase64),
                  )
                }
              }
            }
            for (const contact of doc.contacts) {
              const lists = await h.run(use(ContactStore, (s) => s.listIdsOf(ws, contact.id)))
              const want = doc.lists.filter((l) => l.contactIds.includes(contact.id)).map((l) => l.id)
              expect([...lists].sort()).toEqual([...want].sort())
            }
            expect(await h.run(use(TicketStore, (s) => s.messagesOf(ws, "no-such-thread" as never)))).toEqual([])
            expect(await h.run(use(TicketStore, (s) => s.threadsOf(ws, "no-such-ticket" as never)))).toEqual([])
          }),
          { numRuns: options.numRuns ?? 200 },
        )
      },
      180_000,
    )

    h.test("a malformed cursor fails in the error channel instead of crashing", async () => {
      const [doc] = fc.sample(workspaceDocument(id, host), { numRuns: 1, seed: 42 })
      await h.run(importDoc(doc!))
      const scope: ViewerScope = {
        workspaceId: doc!.workspace.id,
        contactId: "p1" as never,
        companyId: null,
        filters: [],
      }
      for (const cursor of ["%%%", "bm9wZQ", "MTIz"]) {
        const query: TicketListQuery = { view: "all", status: null, search: null, sort: "created", cursor, limit: 5 }
        expect(await h.fail(use(TicketStore, (s) => s.list(scope, query)))).toBeDefined()
      }
    })
  })
