/**
 * P-SEC-3 Idempotency keys are scoped to (workspace, caller, operation): two customers sending the
 * same key each get their own ticket; the same key with another payload is a 409
 * `idempotency_key_reused`; the same key for a reply and a form submission are independent; a key
 * reused on another ticket is a 409, never a 500 and never the first request's result.
 * Over real HTTP, on real PostgreSQL (TEST_DATABASE_URL; PGlite without a server).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error, type HttpResponse } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase, storageOf } from "./support/Postgres.ts"
import { ACME_TOKEN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let database: FreshDatabase | null = null
let world: World
let ken: Client
let yuki: Client
let api: Client
const bearer = { authorization: `Bearer ${ACME_TOKEN}` }

beforeAll(async () => {
  database = await freshDatabase("idempotency")
  world = await startWorld({ storage: storageOf(database) })
  ken = world.client()
  await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  yuki = world.client()
  await yuki.signIn("yuki@globex.test", CUSTOMER_PASSWORD)
  api = world.client()
})
afterAll(async () => {
  await world?.close()
  await database?.drop()
})

const form = (subject: string, key: string) => ({
  values: { subject, content: `${subject} (details)`, category: "bug" },
  idempotencyKey: key,
})

const expectReused = (res: HttpResponse) => {
  expect(res.status, res.text.slice(0, 300)).toBe(409)
  expect(error(res)?.data).toMatchObject({ code: "CONFLICT", reason: "idempotency_key_reused" })
}

describe("P-SEC-3 idempotency keys are scoped to (workspace, caller, operation)", () => {
  it("P-SEC-3 two customers submitting the form with the same key get two tickets, each their own", async () => {
    const first = data(await ken.mutate("form.submit", form("Ken's printer", "F")))
    const second = data(await yuki.mutate("form.submit", form("Yuki's laptop", "F")))
    expect(first.duplicate).toBe(false)
    expect(second.duplicate).toBe(false)
    expect(second.ticketId).not.toBe(first.ticketId)
    expect(data(await yuki.query("tickets.get", { ticketId: second.ticketId })).ticket.subject).toBe("Yuki's laptop")
    expect(data(await ken.query("tickets.get", { ticketId: first.ticketId })).ticket.subject).toBe("Ken's printer")
  })

  it("P-SEC-3 the same key with the same values is the first ticket; with other values a 409", async () => {
    const first = data(await ken.mutate("form.submit", form("Double click", "F2")))
    expect(data(await ken.mutate("form.submit", form("Double click", "F2")))).toEqual({
      ticketId: first.ticketId,
      duplicate: true,
    })
    const before = data(await ken.query("tickets.list", { limit: 100 })).items.length
    expectReused(await ken.mutate("form.submit", form("Something else", "F2")))
    expect(data(await ken.query("tickets.list", { limit: 100 })).items.length).toBe(before)
  })

  it("P-SEC-3 one key for a reply and a form submission: both are done, independently", async () => {
    const reply = await ken.mutate("tickets.reply", { ticketId: "t2", text: "Any news?", idempotencyKey: "K" })
    expect(reply.status, reply.text).toBe(200)
    const submitted = await ken.mutate("form.submit", form("New issue", "K"))
    expect(submitted.status, submitted.text).toBe(200)
    expect(data(submitted).duplicate).toBe(false)
    expect(data(await ken.query("tickets.get", { ticketId: data(submitted).ticketId })).ticket.subject).toBe(
      "New issue",
    )
  })

  it("P-SEC-3 a reply key reused on another ticket or with other text is a 409, not a 500", async () => {
    const first = await ken.mutate("tickets.reply", { ticketId: "t2", text: "First", idempotencyKey: "R" })
    expect(first.status, first.text).toBe(200)
    const t1Before = data(await ken.query("tickets.get", { ticketId: "t1" })).messages.length
    expectReused(await ken.mutate("tickets.reply", { ticketId: "t1", text: "First", idempotencyKey: "R" }))
    expectReused(await ken.mutate("tickets.reply", { ticketId: "t2", text: "Second", idempotencyKey: "R" }))
    expect(data(await ken.query("tickets.get", { ticketId: "t1" })).messages.length).toBe(t1Before)
    expect(data(await ken.mutate("tickets.reply", { ticketId: "t2", text: "First", idempotencyKey: "R" }))).toEqual({
      ...data(first),
      duplicate: true,
    })
  })

  it("P-SEC-3 another customer's reply key is independent of Ken's", async () => {
    await ken.mutate("tickets.reply", { ticketId: "t2", text: "Ken here", idempotencyKey: "shared" })
    const yukis = await yuki.mutate("tickets.reply", { ticketId: "t4", text: "Yuki here", idempotencyKey: "shared" })
    expect(yukis.status, yukis.text).toBe(200)
    expect(data(yukis).duplicate).toBe(false)
  })

  it("P-SEC-3 an integration key reused for another ticket is a 409", async () => {
    const ticket = (id: string) => ({
      id,
      subject: `Synced ${id}`,
      content: "From the helpdesk",
      pipelineId: "support",
      stageId: "new",
      requesterId: "p1",
      createdAt: "2026-10-05T10:00:00Z",
      lastActivityAt: "2026-10-05T10:00:00Z",
      properties: {},
      contactIds: ["p1"],
      companyIds: [],
    })
    const upsert = (id: string) => ({
      ticket: ticket(id),
      thread: { id: `th-${id}`, inboxId: "ib1", channel: "email" },
      message: { id: `m-${id}`, author: { type: "contact", id: "p1" }, text: "Original" },
      idempotencyKey: "sync-1",
    })
    expect(data(await api.mutate("integration.tickets.upsert", upsert("idem-a"), bearer))).toEqual({
      ticketId: "idem-a",
      created: true,
    })
    expectReused(await api.mutate("integration.tickets.upsert", upsert("idem-b"), bearer))
    expect((await ken.query("tickets.get", { ticketId: "idem-b" })).status).toBe(404)
  })
})
