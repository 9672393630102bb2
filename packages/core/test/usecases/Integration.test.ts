import { describe, expect, it } from "vitest"
import type { Thread, Ticket, TicketId } from "../../src/domain/index.ts"
import { ValidationFailed } from "../../src/ports/index.ts"
import {
  addNote,
  agentReply,
  moveTicketToStage,
  type ReplyInput,
  syncList,
  syncThread,
  syncTicket,
  type TicketSync,
} from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { expectCoded } from "../support/Issues.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const ticket = (edit: Partial<Ticket> = {}): Ticket =>
  ({
    id: "ext-1",
    subject: "From the helpdesk",
    content: "Body",
    pipelineId: "support",
    stageId: "new",
    requesterId: "p1",
    createdAt: "2026-10-05T10:00:00Z",
    lastActivityAt: "2026-10-05T10:00:00Z",
    properties: { category: "bug" },
    contactIds: ["p1"],
    companyIds: ["c1"],
    ...edit,
  }) as Ticket
const first: TicketSync["first"] = {
  thread: { id: "ext-th" as never, inboxId: "ib1" as never, channel: "email" },
  message: { id: "ext-m" as never, author: { type: "contact", id: "p1" as never }, text: "Original" },
}
const paths = (e: unknown) => (e instanceof ValidationFailed ? expectCoded(e.issues).map((i) => i.path) : e)

describe("syncTicket", () => {
  it("creates a ticket with its first message, then updates it; the same data again changes nothing", async () => {
    const w = makeWorld(fixture())
    const sync = (t: Ticket) => w.run(syncTicket(w.ws, { ticket: t, first, idempotencyKey: "k1" }))
    expect(success(await sync(ticket()))).toEqual({ ticketId: "ext-1", created: true })
    expect(w.state.created.map((c) => [c.thread.id, c.message.text])).toEqual([["ext-th", "Original"]])
    expect(success(await sync(ticket({ subject: "Renamed", stageId: "waiting" as never })))).toEqual({
      ticketId: "ext-1",
      created: false,
    })
    expect(w.state.tickets.get("ext-1")).toMatchObject({ subject: "Renamed", stageId: "waiting" })
    const events = w.state.events.length
    success(await sync(ticket({ subject: "Renamed", stageId: "waiting" as never })))
    expect(w.state.events).toHaveLength(events)
    expect(w.state.created).toHaveLength(1)
  })
  it("P-VIS-6 creates a ticket without a conversation when no first message is given", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(syncTicket(w.ws, { ticket: ticket(), idempotencyKey: "k" })))).toEqual({
      ticketId: "ext-1",
      created: true,
    })
    expect(w.state.calls).toContain("tickets.upsertTicket")
    expect(w.state.created).toEqual([])
  })
  it("a reference the workspace does not have is a 400 naming the field", async () => {
    const w = makeWorld(fixture())
    const bad = (t: Ticket) => w.run(syncTicket(w.ws, { ticket: t, idempotencyKey: "k" }))
    expect(paths(failure(await bad(ticket({ stageId: "nope" as never }))))).toEqual(["ticket.stageId"])
    expect(paths(failure(await bad(ticket({ requesterId: "ghost" as never }))))).toEqual(["ticket.requesterId"])
    expect(paths(failure(await bad(ticket({ contactIds: ["ghost" as never] }))))).toEqual(["ticket.contactIds"])
    expect(w.state.tickets.has("ext-1")).toBe(false)
  })
})

describe("moveTicketToStage", () => {
  it("moves a ticket to an open or a closed stage of its pipeline", async () => {
    const w = makeWorld(fixture())
    const move = (stageId: string) =>
      w.run(moveTicketToStage(w.ws, { ticketId: "t2" as never, stageId: stageId as never }))
    expect(success(await move("waiting"))).toEqual({ ticketId: "t2", stageId: "waiting" })
    expect(w.state.tickets.get("t2")).toMatchObject({ stageId: "waiting", lastActivityAt: w.state.now })
    success(await move("closed"))
    expect(w.state.events.map((e) => e.kind)).toEqual(["stageChanged", "stageChanged"])
  })
  it("a missing ticket is TicketNotFound; a stage of another pipeline or another pipeline id is a 400", async () => {
    const w = makeWorld(fixture())
    const move = (ticketId: string, stageId: string, pipelineId?: string) =>
      w.run(
        moveTicketToStage(w.ws, {
          ticketId: ticketId as never,
          stageId: stageId as never,
          ...(pipelineId === undefined ? {} : { pipelineId: pipelineId as never }),
        }),
      )
    expect(failure(await move("nope", "closed"))._tag).toBe("TicketNotFound")
    expect(paths(failure(await move("t2", "resolved")))).toEqual(["stageId"])
    expect(paths(failure(await move("t2", "resolved", "billing")))).toEqual(["pipelineId"])
    expect(w.state.tickets.get("t2")?.stageId).toBe("closed")
  })
})

describe("agentReply", () => {
  const input = (edit: Partial<ReplyInput> = {}): ReplyInput => ({
    ticketId: "t1" as TicketId,
    text: "We are on it",
    attachments: [],
    idempotencyKey: "a1",
    ...edit,
  })
  it("P-COM-4 goes into the visible thread, also on a closed ticket, with the agent as author", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(agentReply({ workspaceId: w.ws, agentId: "u2" as never }, input()))).threadId).toBe(
      "th-chat",
    )
    const r = success(
      await w.run(
        agentReply(
          { workspaceId: w.ws, agentId: "u1" as never },
          input({ ticketId: "t2" as TicketId, idempotencyKey: "a2" }),
        ),
      ),
    )
    expect(w.state.replies.at(-1)?.thread).toEqual({
      _tag: "New",
      threadId: r.threadId,
      inboxId: "ib1",
      channel: "email",
    })
    // P-SEC-3 The helpdesk's keys live apart from the customers': "a1" here never replays a customer's "a1".
    expect(w.state.replies.map((c) => [c.idempotency.scope, c.idempotency.key])).toEqual([
      ["agent:u2/reply", "a1"],
      ["agent:u1/reply", "a2"],
    ])
    expect(w.state.replies.map((c) => c.message.author)).toEqual([
      { type: "agent", id: "u2" },
      { type: "agent", id: "u1" },
    ])
  })
  it("refuses an unknown agent, a missing ticket and bad input before writing anything", async () => {
    const w = makeWorld(fixture())
    const as = (agentId: string, edit: Partial<ReplyInput> = {}) =>
      w.run(agentReply({ workspaceId: w.ws, agentId: agentId as never }, input(edit)))
    expect(paths(failure(await as("u9")))).toEqual(["agentId"])
    expect(failure(await as("u1", { ticketId: "nope" as TicketId }))._tag).toBe("TicketNotFound")
    expect(paths(failure(await as("u1", { text: " " })))).toEqual(["text"])
    expect(w.state.replies).toEqual([])
  })
})

describe("syncThread, addNote, syncList", () => {
  const thread = (edit: Partial<Thread> = {}): Thread =>
    ({
      id: "th-new",
      ticketId: "t3",
      channel: "email",
      inboxId: "ib1",
      createdAt: "2026-10-03T09:00:00Z",
      messages: [
        {
          id: "x1",
          createdAt: "2026-10-03T09:00:00Z",
          kind: "message",
          author: { type: "contact", id: "p3" },
          text: "hi",
          attachments: [{ name: "a.txt", contentType: "text/plain", dataBase64: "aGk=" }],
        },
      ],
      ...edit,
    }) as Thread
  it("stores a thread's files in the blob store and adds its messages once", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(syncThread(w.ws, thread())))).toEqual({ created: true, added: ["x1"] })
    const [attachment] = [...w.state.attachments.values()]
    expect([...(w.state.blobs.get(attachment?.blobKey ?? "") ?? [])]).toEqual([104, 105])
    expect(success(await w.run(syncThread(w.ws, thread())))).toEqual({ created: false, added: [] })
  })
  it("names the field of a missing reference", async () => {
    const w = makeWorld(fixture())
    expect(paths(failure(await w.run(syncThread(w.ws, thread({ ticketId: "nope" as never })))))).toEqual(["ticketId"])
    const note = { id: "n9", ticketId: "t1", authorId: "u9", createdAt: "2026-10-03T09:00:00Z", text: "x" } as never
    expect(paths(failure(await w.run(addNote(w.ws, note))))).toEqual(["authorId"])
    const list = { id: "l9", name: "VIP", contactIds: ["p1", "ghost"] } as never
    expect(paths(failure(await w.run(syncList(w.ws, list))))).toEqual(["contactIds"])
    expect(w.state.lists.has("l9")).toBe(false)
  })
})
