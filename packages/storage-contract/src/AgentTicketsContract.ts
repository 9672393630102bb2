/**
 * The agent workspace's TicketStore methods (P-AGT-1..3):
 * - `agentList` pages (followed to the end) and counts equal core's pure `agentListPure`, for
 *   random workspaces, random owner/stage changes made first (so the keys the adapter keeps on a
 *   row must follow them), and random filters, searches, sorts (every column, both directions)
 *   and page sizes; `agentRow` equals the pure row.
 * - Versions: every write that changes a ticket bumps its version exactly once (customer replies
 *   and closes, integration writes, agent writes); a write that changes nothing leaves it; a
 *   change against an old version is TicketVersionConflict and writes nothing.
 * - `conversation` gives every thread, message, comment and note, with the notes' files; a
 *   note's files never list as a message's (P-COM-3).
 */
import type {
  AgentTicketQuery,
  AgentTicketRow,
  OwnerCondition,
  StageId,
  Ticket,
  TicketId,
  WorkspaceDocument,
  WorkspaceId,
} from "@portal/core/domain"
import { TicketStore } from "@portal/core/ports"
import { agentListPure } from "@portal/core/rules"
import { type Effect, Option } from "effect"
import fc from "fast-check"
import { expect } from "vitest"
import { search, workspaceDocument } from "./Arbitraries.ts"
import { importDoc } from "./Documents.ts"
import { claim, fixtures, LATER, LATER_STILL, message, newTicket, replyTo } from "./Fixtures.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const COLUMNS = ["subject", "created", "lastActivity", "status", "owner", "requester"] as const

const agentQuery = (doc: WorkspaceDocument): fc.Arbitrary<AgentTicketQuery> => {
  const maybe = <T>(values: ReadonlyArray<T>) => fc.constantFrom<T | null>(null, null, ...values)
  const owner: fc.Arbitrary<OwnerCondition> = fc.oneof(
    fc.constant({ _tag: "Any" as const }),
    fc.constant({ _tag: "Unassigned" as const }),
    fc.constantFrom("u1", "U2", "nobody").map((id) => ({ _tag: "Agent" as const, agentId: id as never })),
  )
  return fc.record({
    state: maybe(["open", "closed"] as const),
    pipelineId: maybe(doc.pipelines.map((p) => p.id)),
    stageId: maybe(doc.pipelines.flatMap((p) => p.stages.map((s) => s.id))),
    owner,
    companyId: maybe(doc.companies.map((c) => c.id)),
    requesterId: maybe(doc.contacts.map((c) => c.id)),
    search: search(doc),
    sort: fc.record({
      column: fc.constantFrom(...COLUMNS),
      direction: fc.constantFrom("asc" as const, "desc" as const),
    }),
    cursor: fc.constant(null),
    limit: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.constant(100) },
    ),
  })
}

/** A change an agent makes before the queries: a ticket, maybe a stage of its pipeline, maybe an owner. */
const change = (doc: WorkspaceDocument) =>
  doc.tickets.length === 0
    ? fc.constant([])
    : fc.array(
        fc.record({
          ticket: fc.constantFrom(...doc.tickets.map((t) => t.id)),
          stagePick: fc.nat(),
          owner: fc.constantFrom<string | null | undefined>(undefined, null, ...doc.agents.map((a) => a.id)),
        }),
        { maxLength: 3 },
      )

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore agent workspace", makeLayer, options, (h) => {
    const id = `agent-${h.nonce}`
    const host = `${id}.contract.test`
    const { workspace, events, failsWithoutChange } = fixtures(h, "agent")

    const world = workspaceDocument(id, host).chain((doc) =>
      fc.record({
        doc: fc.constant(doc),
        changes: change(doc),
        queries: fc.array(agentQuery(doc), { minLength: 1, maxLength: 3 }),
      }),
    )

    const allPages = async (
      first: (
        cursor: string | null,
      ) => Promise<{ items: ReadonlyArray<AgentTicketRow>; nextCursor: string | null; counts: unknown }>,
      max: number,
    ) => {
      const pages: Array<unknown> = []
      let cursor: string | null = null
      do {
        const page: Awaited<ReturnType<typeof first>> = await first(cursor)
        pages.push(page)
        cursor = page.nextCursor === null ? null : page.nextCursor
        if (pages.length > max) throw new Error("the cursor does not advance")
      } while (cursor !== null)
      // Cursors are opaque: compare the rows and counts of each page.
      return pages.map((p) => {
        const { nextCursor: _, ...rest } = p as { nextCursor: unknown }
        return rest
      })
    }

    h.test(
      "agentList pages and counts, and agentRow, agree with the pure agent list rule (P-AGT-1)",
      async () => {
        await fc.assert(
          fc.asyncProperty(world, async ({ doc, changes, queries }) => {
            await h.run(importDoc(doc))
            const ws = doc.workspace.id
            const versions = new Map<string, number>()
            let tickets: Array<Ticket> = doc.tickets.map((t) => ({ ...t }))
            for (const [i, c] of changes.entries()) {
              const ticket = tickets.find((t) => t.id === c.ticket)!
              const stages = doc.pipelines.find((p) => p.id === ticket.pipelineId)!.stages
              const stageId = stages[c.stagePick % stages.length]!.id as StageId
              const version = versions.get(ticket.id) ?? 1
              const result = await h.run(
                use(TicketStore, (s) =>
                  s.updateTicket({
                    workspaceId: ws,
                    ticketId: ticket.id,
                    expectedVersion: version,
                    stageId,
                    ...(c.owner === undefined ? {} : { ownerId: c.owner as never }),
                    at: LATER,
                    eventIds: { stage: `s-${i}`, owner: `o-${i}` },
                  }),
                ),
              )
              const stageChanged = stageId !== ticket.stageId
              const ownerChanged = c.owner !== undefined && (c.owner ?? undefined) !== ticket.ownerId
              expect(result.changed).toBe(stageChanged || ownerChanged)
              if (!result.changed) continue
              versions.set(ticket.id, version + 1)
              expect(result.version).toBe(version + 1)
              const { ownerId: _, ...rest } = ticket
              const owner = ownerChanged ? (c.owner ?? undefined) : ticket.ownerId
              const updated: Ticket = {
                ...rest,
                ...(owner === undefined ? {} : { ownerId: owner as never }),
                stageId,
                lastActivityAt: stageChanged ? LATER : ticket.lastActivityAt,
              }
              tickets = tickets.map((t) => (t.id === ticket.id ? updated : t))
            }
            const data = { ...doc, tickets, versionOf: (t: string) => versions.get(t) ?? 1 }
            for (const q of queries) {
              const query = (cursor: string | null): AgentTicketQuery => ({ ...q, cursor })
              const max = doc.tickets.length + 2
              const expected = await allPages(
                async (cursor) => Option.getOrThrow(agentListPure(data, query(cursor))),
                max,
              )
              const actual = await allPages(
                (cursor) => h.run(use(TicketStore, (s) => s.agentList(ws, query(cursor)))),
                max,
              )
              expect(actual).toEqual(expected)
            }
            const all = Option.getOrThrow(
              agentListPure(data, {
                ...queries[0]!,
                state: null,
                pipelineId: null,
                stageId: null,
                owner: { _tag: "Any" },
                companyId: null,
                requesterId: null,
                search: null,
                limit: 100,
              }),
            )
            for (const row of all.items)
              expect(await h.run(use(TicketStore, (s) => s.agentRow(ws, row.id)))).toEqual(Option.some(row))
            expect(await h.run(use(TicketStore, (s) => s.agentRow(ws, "no-such-ticket" as TicketId)))).toEqual(
              Option.none(),
            )
          }),
          { numRuns: options.numRuns ?? 60 },
        )
      },
      240_000,
    )

    h.test("a cursor of another sort or not one of ours fails in the error channel", async () => {
      const doc = await workspace()
      const base: AgentTicketQuery = {
        state: null,
        pipelineId: null,
        stageId: null,
        owner: { _tag: "Any" },
        companyId: null,
        requesterId: null,
        search: null,
        sort: { column: "subject", direction: "asc" },
        cursor: null,
        limit: 2,
      }
      const first = await h.run(use(TicketStore, (s) => s.agentList(doc.id, base)))
      expect(first.nextCursor).not.toBeNull()
      const other = {
        ...base,
        sort: { column: "created" as const, direction: "asc" as const },
        cursor: first.nextCursor,
      }
      expect(await h.fail(use(TicketStore, (s) => s.agentList(doc.id, other)))).toMatchObject({ _tag: "StorageError" })
      for (const cursor of ["%%%", "bm9wZQ", "WzEsMiwzXQ"])
        expect(await h.fail(use(TicketStore, (s) => s.agentList(doc.id, { ...base, cursor })))).toBeDefined()
    })

    const versionOf = async (ws: WorkspaceId, ticketId: string) =>
      Option.getOrThrow(await h.run(use(TicketStore, (s) => s.agentRow(ws, ticketId as TicketId)))).version

    h.test(
      "every write that changes a ticket bumps its version once; one that changes nothing leaves it (P-AGT-3)",
      async () => {
        const doc = await workspace()
        const ws = doc.id
        const bumps = async (
          ticketId: string,
          write: Effect.Effect<unknown, unknown, never> | Parameters<typeof h.run>[0],
          by: number,
        ) => {
          const before = await versionOf(ws, ticketId)
          await h.run(write)
          expect(await versionOf(ws, ticketId)).toBe(before + by)
        }
        expect(await versionOf(ws, "t1")).toBe(1)
        await bumps(
          "t1",
          use(TicketStore, (s) => s.reply(replyTo(ws, "t1", "th1", message("v-m1"), "v-k1"))),
          1,
        )
        // The same request again stores nothing.
        await bumps(
          "t1",
          use(TicketStore, (s) => s.reply(replyTo(ws, "t1", "th1", message("v-m1"), "v-k1"))),
          0,
        )
        await bumps(
          "t2",
          use(TicketStore, (s) =>
            s.close({
              workspaceId: ws,
              ticketId: "t2" as TicketId,
              stageId: "closed" as StageId,
              at: LATER,
              by: "p1" as never,
              eventId: "v-close",
            }),
          ),
          1,
        )
        await bumps(
          "t4",
          use(TicketStore, (s) =>
            s.setStage({
              workspaceId: ws,
              ticketId: "t4" as TicketId,
              stageId: "waiting" as StageId,
              at: LATER,
              eventId: "v-st",
            }),
          ),
          1,
        )
        await bumps(
          "t4",
          use(TicketStore, (s) =>
            s.setStage({
              workspaceId: ws,
              ticketId: "t4" as TicketId,
              stageId: "waiting" as StageId,
              at: LATER,
              eventId: "v-st2",
            }),
          ),
          0,
        )
        const t7 = doc.tickets.find((t) => t.id === "t7")!
        await bumps(
          "t7",
          use(TicketStore, (s) =>
            s.upsertTicket({ workspaceId: ws, ticket: { ...t7, subject: "Renamed" }, at: LATER, eventId: "v-up" }),
          ),
          1,
        )
        await bumps(
          "t7",
          use(TicketStore, (s) =>
            s.upsertTicket({ workspaceId: ws, ticket: { ...t7, subject: "Renamed" }, at: LATER, eventId: "v-up2" }),
          ),
          0,
        )
        await bumps(
          "t7",
          use(TicketStore, (s) =>
            s.addNote(ws, {
              id: "v-n1" as never,
              ticketId: "t7" as TicketId,
              authorId: "u1" as never,
              createdAt: LATER,
              text: "note",
            }),
          ),
          1,
        )
        await bumps(
          "t7",
          use(TicketStore, (s) =>
            s.upsertThread({
              workspaceId: ws,
              thread: {
                id: "v-th" as never,
                ticketId: "t7" as TicketId,
                channel: "email",
                inboxId: "ib1" as never,
                createdAt: LATER,
              },
              messages: [],
            }),
          ),
          1,
        )
        await bumps(
          "t3",
          use(TicketStore, (s) =>
            s.updateTicket({
              workspaceId: ws,
              ticketId: "t3" as TicketId,
              expectedVersion: 1,
              ownerId: null,
              at: LATER,
              eventIds: { stage: "v-s1", owner: "v-o1" },
            }),
          ),
          1,
        )
        await bumps(
          "t3",
          use(TicketStore, (s) =>
            s.updateTicket({
              workspaceId: ws,
              ticketId: "t3" as TicketId,
              expectedVersion: 2,
              ownerId: "u2" as never,
              stageId: "new" as StageId,
              at: LATER_STILL,
              eventIds: { stage: "v-s2", owner: "v-o2" },
            }),
          ),
          1,
        )
        await bumps(
          "t3",
          use(TicketStore, (s) =>
            s.updateTicket({
              workspaceId: ws,
              ticketId: "t3" as TicketId,
              expectedVersion: 3,
              ownerId: "u2" as never,
              stageId: "new" as StageId,
              at: LATER_STILL,
              eventIds: { stage: "v-s3", owner: "v-o3" },
            }),
          ),
          0,
        )
        const created = newTicket("v-new")
        await h.run(
          use(TicketStore, (s) =>
            s.createTicket({
              workspaceId: ws,
              ticket: created,
              thread: { id: "v-new-th" as never, inboxId: "ib1" as never, channel: "form" },
              message: message("v-new-m"),
              idempotency: claim("v-new"),
              eventId: "v-new-e",
            }),
          ),
        )
        expect(await versionOf(ws, "v-new")).toBe(1)
        const kinds = (await events(ws)).map((e) => [e.kind, e.ticketId])
        expect(kinds).toContainEqual(["ticket.ownerChanged", "t3"])
        expect(kinds).toContainEqual(["stageChanged", "t3"])
        const row = Option.getOrThrow(await h.run(use(TicketStore, (s) => s.agentRow(ws, "t3" as TicketId))))
        expect(row).toMatchObject({
          owner: { id: "u2" },
          stage: { id: "new" },
          state: "open",
          lastActivityAt: LATER_STILL,
        })
      },
    )

    h.test("a change against an old version is TicketVersionConflict and writes nothing (P-AGT-3)", async () => {
      const doc = await workspace()
      const ws = doc.id
      await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t1", "th1", message("c-m1"), "c-k1"))))
      const conflict = { _tag: "TicketVersionConflict", ticketId: "t1", currentVersion: 2 }
      await failsWithoutChange(
        ws,
        use(TicketStore, (s) =>
          s.agentReply({
            ...replyTo(ws, "t1", "th1", message("c-m2", { author: { type: "agent", id: "u1" as never } }), "c-k2"),
            expectedVersion: 1,
          }),
        ),
        conflict,
      )
      await failsWithoutChange(
        ws,
        use(TicketStore, (s) =>
          s.agentNote({
            workspaceId: ws,
            ticketId: "t1" as TicketId,
            expectedVersion: 1,
            note: { id: "c-n" as never, authorId: "u1" as never, createdAt: LATER, text: "x", attachments: [] },
            idempotency: claim("c-n", { scope: "agent:u1/note" }),
            eventId: "c-ne",
          }),
        ),
        conflict,
      )
      await failsWithoutChange(
        ws,
        use(TicketStore, (s) =>
          s.updateTicket({
            workspaceId: ws,
            ticketId: "t1" as TicketId,
            expectedVersion: 1,
            ownerId: null,
            at: LATER,
            eventIds: { stage: "c-s", owner: "c-o" },
          }),
        ),
        conflict,
      )
      // At the current version the same changes go through, each one bump.
      const replied = await h.run(
        use(TicketStore, (s) =>
          s.agentReply({
            ...replyTo(ws, "t1", "th1", message("c-m2", { author: { type: "agent", id: "u1" as never } }), "c-k2"),
            expectedVersion: 2,
          }),
        ),
      )
      expect(replied).toMatchObject({ duplicate: false, version: 3 })
      const noted = await h.run(
        use(TicketStore, (s) =>
          s.agentNote({
            workspaceId: ws,
            ticketId: "t1" as TicketId,
            expectedVersion: 3,
            note: { id: "c-n" as never, authorId: "u1" as never, createdAt: LATER, text: "x", attachments: [] },
            idempotency: claim("c-n", { scope: "agent:u1/note" }),
            eventId: "c-ne",
          }),
        ),
      )
      expect(noted).toMatchObject({ noteId: "c-n", duplicate: false, version: 4 })
      // The same note again (same key): its first result, whatever the version now.
      const again = await h.run(
        use(TicketStore, (s) =>
          s.agentNote({
            workspaceId: ws,
            ticketId: "t1" as TicketId,
            expectedVersion: 1,
            note: { id: "c-n2" as never, authorId: "u1" as never, createdAt: LATER, text: "x", attachments: [] },
            idempotency: claim("c-n", { scope: "agent:u1/note" }),
            eventId: "c-ne2",
          }),
        ),
      )
      expect(again).toMatchObject({ noteId: "c-n", duplicate: true, version: 4 })
      expect((await events(ws)).filter((e) => e.kind === "note.added")).toHaveLength(1)
    })

    h.test(
      "conversation: every thread, message, comment and note with its files; note files are no message's (P-AGT-2, P-COM-3)",
      async () => {
        const doc = await workspace()
        const ws = doc.id
        const blob = {
          id: "c-att" as never,
          name: "n.txt",
          contentType: "text/plain",
          size: 3,
          blobKey: "attachments/c-att",
        }
        await h.run(
          use(TicketStore, (s) =>
            s.agentNote({
              workspaceId: ws,
              ticketId: "t1" as TicketId,
              expectedVersion: 1,
              note: {
                id: "c-note" as never,
                authorId: "u2" as never,
                createdAt: LATER,
                text: "internal",
                attachments: [blob],
              },
              idempotency: claim("c-note", { scope: "agent:u2/note" }),
              eventId: "c-note-e",
            }),
          ),
        )
        const conv = await h.run(use(TicketStore, (s) => s.conversation(ws, "t1" as TicketId)))
        const docThreads = doc.threads.filter((t) => t.ticketId === "t1")
        expect(conv.threads.map((t) => t.id).sort()).toEqual(docThreads.map((t) => t.id).sort())
        for (const t of conv.threads) {
          const src = docThreads.find((d) => d.id === t.id)!
          expect(t.messages.map((m) => [m.id, m.kind]).sort()).toEqual(src.messages.map((m) => [m.id, m.kind]).sort())
          const visible = await h.run(use(TicketStore, (s) => s.messagesOf(ws, t.id)))
          for (const m of visible) expect(m.attachments.map((a) => a.id)).not.toContain("c-att")
        }
        const note = conv.notes.find((n) => n.id === "c-note")
        expect(note).toMatchObject({
          authorId: "u2",
          authorName: expect.any(String),
          text: "internal",
          attachments: [{ id: "c-att", name: "n.txt", contentType: "text/plain", size: 3 }],
        })
        expect(conv.notes.map((n) => n.id)).toEqual(
          expect.arrayContaining(doc.notes.filter((n) => n.ticketId === "t1").map((n) => n.id)),
        )
        const t1 = doc.tickets.find((t) => t.id === "t1")!
        expect(conv.contacts.map((c) => c.id)).toEqual(t1.contactIds)
        expect(conv.companies.map((c) => c.id)).toEqual(t1.companyIds)
        expect(await h.run(use(TicketStore, (s) => s.conversation(ws, "nope" as TicketId)))).toEqual({
          threads: [],
          notes: [],
          contacts: [],
          companies: [],
        })
      },
    )
  })
