/**
 * The integration API over real HTTP: Bearer tokens per workspace, the event feed (P-ACT-5),
 * ticket upsert (create and update), an agent's reply the customer then sees, stage changes to
 * open and closed stages, and the CRM data and conversations (companies, lists, notes, threads).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { ACME_TOKEN, CUSTOMER_PASSWORD, SAKURA_TOKEN, startWorld, type World } from "./support/World.ts"

let world: World
let api: Client
const bearer = { authorization: `Bearer ${ACME_TOKEN}` }
beforeAll(async () => {
  world = await startWorld()
  api = world.client()
})
afterAll(() => world.close())

describe("integration authentication", () => {
  it("needs a valid token of the workspace; another workspace's token is refused on this host", async () => {
    expect((await api.query("integration.events")).status).toBe(401)
    expect(
      (await api.query("integration.events", {}, { authorization: "Bearer wrong-token-0123456789abcdef" })).status,
    ).toBe(401)
    expect((await api.query("integration.events", {}, { authorization: `Bearer ${SAKURA_TOKEN}` })).status).toBe(401)
    expect(
      (await world.client("127.0.0.1").query("integration.events", {}, { authorization: `Bearer ${SAKURA_TOKEN}` }))
        .status,
    ).toBe(200)
    // A customer session is not an API token.
    const ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect((await ken.query("integration.events")).status).toBe(401)
  })
})

describe("integration procedures", () => {
  it("feeds the customer's actions as events, paged by sequence", async () => {
    const ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const before = data(await api.query("integration.events", { after: 0 }, bearer))
    await ken.mutate("tickets.reply", { ticketId: "t2", text: "any news?", idempotencyKey: "feed-1" })
    await ken.mutate("tickets.close", { ticketId: "t2" })
    const after = data(await api.query("integration.events", { after: before.next }, bearer))
    expect(after.events.map((e: { kind: string; ticketId: string }) => [e.kind, e.ticketId])).toEqual([
      ["reply", "t2"],
      ["close", "t2"],
    ])
    const one = data(await api.query("integration.events", { after: before.next, limit: 1 }, bearer))
    expect(one.events).toHaveLength(1)
    expect(one.next).toBe(after.events[0].sequence)
  })

  it("upserts a ticket with its first message; the customer sees it; the same again changes nothing; an update shows", async () => {
    const input = {
      ticket: {
        id: "ext-1",
        subject: "From the helpdesk",
        content: "Created by the integration",
        pipelineId: "support",
        stageId: "new",
        requesterId: "p3",
        createdAt: "2026-10-05T10:00:00Z",
        lastActivityAt: "2026-10-05T10:00:00Z",
        properties: { category: "bug" },
        contactIds: ["p3"],
        companyIds: ["c2"],
      },
      thread: { id: "ext-th-1", inboxId: "ib1", channel: "email" },
      message: { id: "ext-m-1", author: { type: "contact", id: "p3" }, text: "Original email" },
      idempotencyKey: "ext-1",
    }
    expect(data(await api.mutate("integration.tickets.upsert", input, bearer))).toEqual({
      ticketId: "ext-1",
      created: true,
    })
    expect(data(await api.mutate("integration.tickets.upsert", input, bearer))).toEqual({
      ticketId: "ext-1",
      created: false,
    })
    const bad = await api.mutate(
      "integration.tickets.upsert",
      { ...input, ticket: { ...input.ticket, id: "ext-2", stageId: "nope" }, idempotencyKey: "ext-2" },
      bearer,
    )
    expect(bad.status).toBe(400)
    expect(error(bad)?.data.issues).toEqual([expect.objectContaining({ path: "ticket.stageId" })])
    const company = await api.mutate(
      "integration.tickets.upsert",
      {
        ...input,
        ticket: { ...input.ticket, id: "ext-3", companyIds: ["ghost"] },
        thread: { ...input.thread, id: "ext-th-3" },
        message: { ...input.message, id: "ext-m-3" },
        idempotencyKey: "ext-3",
      },
      bearer,
    )
    expect(company.status).toBe(400)
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const detail = data(await mia.query("tickets.get", { ticketId: "ext-1" }))
    expect(detail.messages.map((m: { text: string }) => m.text)).toEqual(["Original email"])
    const events = data(await api.query("integration.events", { after: 0, limit: 500 }, bearer)).events.length
    const renamed = {
      ticket: { ...input.ticket, subject: "Renamed by the helpdesk", stageId: "closed" },
      idempotencyKey: "ext-1b",
    }
    expect(data(await api.mutate("integration.tickets.upsert", renamed, bearer))).toEqual({
      ticketId: "ext-1",
      created: false,
    })
    const after = data(await mia.query("tickets.get", { ticketId: "ext-1" }))
    expect([after.ticket.subject, after.ticket.status.state]).toEqual(["Renamed by the helpdesk", "closed"])
    const feed = data(await api.query("integration.events", { after: 0, limit: 500 }, bearer)).events
    expect(feed.slice(events).map((e: { kind: string }) => e.kind)).toEqual(["ticketUpdated"])
    const half = await api.mutate("integration.tickets.upsert", { ...renamed, thread: input.thread }, bearer)
    expect(error(half)?.data.issues).toEqual([expect.objectContaining({ path: "thread" })])
  })

  it("posts an agent's reply into the visible thread, then moves the ticket to an open and a closed stage", async () => {
    const reply = await api.mutate(
      "integration.messages.create",
      { ticketId: "t6", agentId: "u1", text: "We added the users.", idempotencyKey: "agent-reply-1" },
      bearer,
    )
    expect(reply.status).toBe(200)
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const detail = data(await mia.query("tickets.get", { ticketId: "t6" }))
    // P-SEC-6: the customer sees an agent's message without the agent's id.
    expect(detail.messages.at(-1)).toMatchObject({ text: "We added the users.", author: { type: "agent" } })
    expect(detail.messages.at(-1).author).toEqual({ type: "agent" })
    const open = await api.mutate("integration.tickets.setStage", { ticketId: "t6", stageId: "waiting" }, bearer)
    expect(data(open)).toEqual({ ticketId: "t6", stageId: "waiting" })
    // P-SEC-6: under Open/Closed the customer gets the state, not the stage.
    expect(data(await mia.query("tickets.get", { ticketId: "t6" })).ticket.status).toEqual({ state: "open" })
    const elsewhere = await api.mutate("integration.tickets.setStage", { ticketId: "t6", stageId: "resolved" }, bearer)
    expect(error(elsewhere)?.data.issues).toEqual([expect.objectContaining({ path: "stageId" })])
    const closed = await api.mutate("integration.tickets.setStage", { ticketId: "t6", stageId: "closed" }, bearer)
    expect(data(closed)).toEqual({ ticketId: "t6", stageId: "closed" })
    expect(data(await mia.query("tickets.get", { ticketId: "t6" })).ticket.status.state).toBe("closed")
    const missing = await api.mutate("integration.tickets.setStage", { ticketId: "nope", stageId: "closed" }, bearer)
    expect(missing.status).toBe(404)
  })

  it("upserts contacts by email, keeping an existing login; refuses unknown companies and bad emails with 400", async () => {
    const created = await api.mutate(
      "integration.contacts.upsert",
      { id: "crm-77", email: "New.Person@Example.test", firstName: "New", lastName: "Person" },
      bearer,
    )
    expect(data(created)).toEqual({ contactId: "crm-77", email: "new.person@example.test" })
    const updated = await api.mutate(
      "integration.contacts.upsert",
      { id: "ignored", email: "ken@globex.test", firstName: "Kenji", primaryCompanyId: "c1" },
      bearer,
    )
    expect(data(updated)).toEqual({ contactId: "p1", email: "ken@globex.test" })
    const ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(data(await ken.query("auth.me")).subject.name).toBe("Kenji Ito")
    const company = await api.mutate(
      "integration.contacts.upsert",
      { id: "crm-78", email: "x@example.test", primaryCompanyId: "ghost" },
      bearer,
    )
    expect(company.status).toBe(400)
    const email = await api.mutate("integration.contacts.upsert", { id: "crm-79", email: "not an email" }, bearer)
    expect(email.status).toBe(400)
    expect(error(email)?.data.issues).toEqual([expect.objectContaining({ path: "email" })])
  })

  it("syncs companies, lists, notes and threads; the customer sees the thread's messages, never its comments", async () => {
    const company = await api.mutate("integration.companies.upsert", { id: "c9", name: "Umbrella" }, bearer)
    expect(data(company)).toEqual({ companyId: "c9", created: true })
    const list = await api.mutate("integration.lists.upsert", { id: "l9", name: "VIP", contactIds: ["p3"] }, bearer)
    expect(data(list)).toEqual({ created: true })
    const ghost = await api.mutate(
      "integration.lists.upsert",
      { id: "l9", name: "VIP", contactIds: ["nobody"] },
      bearer,
    )
    expect(error(ghost)?.data.issues).toEqual([expect.objectContaining({ path: "contactIds" })])
    const note = { id: "n-ext", ticketId: "t6", authorId: "u1", createdAt: "2026-10-06T09:00:00Z", text: "internal" }
    expect(data(await api.mutate("integration.notes.add", note, bearer))).toEqual({ created: true })
    expect((await api.mutate("integration.notes.add", { ...note, text: "changed" }, bearer)).status).toBe(409)
    const thread = {
      id: "th-ext",
      ticketId: "t6",
      channel: "email",
      inboxId: "ib1",
      createdAt: "2026-10-01T00:00:00Z",
      messages: [
        {
          id: "mx1",
          createdAt: "2026-10-06T09:00:00Z",
          kind: "message",
          author: { type: "agent", id: "u1" },
          text: "Synced answer",
          attachments: [{ name: "notes.txt", contentType: "text/plain", dataBase64: "aGVsbG8=" }],
        },
        {
          id: "mx2",
          createdAt: "2026-10-06T09:01:00Z",
          kind: "comment",
          author: { type: "agent", id: "u1" },
          text: "internal",
        },
      ],
    }
    expect(data(await api.mutate("integration.threads.upsert", thread, bearer))).toEqual({
      created: true,
      added: ["mx1", "mx2"],
    })
    // The earliest allowed thread is the one customers see (P-COM-4): now this one, without its comment.
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const detail = data(await mia.query("tickets.get", { ticketId: "t6" }))
    expect(detail.messages.map((m: { text: string }) => m.text)).toEqual(["Synced answer"])
    const file = await mia.request(`/files/${detail.messages[0].attachments[0].id}`)
    expect([file.status, file.text]).toEqual([200, "hello"])
  })
})
