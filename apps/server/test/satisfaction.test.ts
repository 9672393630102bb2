/**
 * P-EXT-2 (rating a closed ticket once) and P-EXT-5 (a customer reply reopening a closed ticket)
 * over real HTTP, on the demo workspace: the codes a client gets, what changes, and the events
 * the integration feed (and so webhooks and notifications) sees.
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { ACME_TOKEN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

const bearer = { authorization: `Bearer ${ACME_TOKEN}` }
type Event = { kind: string; ticketId: string; messageId: string | null }
const eventsOf = async (world: World, ticketId: string): Promise<Array<Event>> =>
  (
    data(await world.client().query("integration.events", { after: 0, limit: 500 }, bearer)).events as Array<Event>
  ).filter((e) => e.ticketId === ticketId)

describe("P-EXT-2 tickets.rate", () => {
  let world: World
  let ken: Client
  beforeAll(async () => {
    world = await startWorld()
    ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  })
  afterAll(() => world.close())

  it("P-EXT-2 rates a closed ticket once with a ticket.rated event; the second rating is 409 already_rated", async () => {
    const before = data(await ken.query("tickets.get", { ticketId: "t10" }))
    expect(before).toMatchObject({ satisfaction: null, canRate: true })
    const res = await ken.mutate("tickets.rate", { ticketId: "t10", rating: "good", comment: "Quick and kind" })
    expect(res.status).toBe(200)
    expect(data(res).satisfaction).toMatchObject({ rating: "good", comment: "Quick and kind" })
    const after = data(await ken.query("tickets.get", { ticketId: "t10" }))
    expect(after.satisfaction).toEqual(data(res).satisfaction)
    expect(after.canRate).toBe(false)
    expect((await eventsOf(world, "t10")).map((e) => e.kind)).toEqual(["ticket.rated"])
    const again = await ken.mutate("tickets.rate", { ticketId: "t10", rating: "bad" })
    expect(again.status).toBe(409)
    expect(error(again)?.data.reason).toBe("already_rated")
    expect(data(await ken.query("tickets.get", { ticketId: "t10" })).satisfaction).toEqual(after.satisfaction)
    expect(await eventsOf(world, "t10")).toHaveLength(1)
  })

  it("P-EXT-2 an open ticket is refused with 412 rating_needs_closed_ticket, and stays unrated", async () => {
    const res = await ken.mutate("tickets.rate", { ticketId: "t1", rating: "bad" })
    expect(res.status).toBe(412)
    expect(error(res)?.data).toMatchObject({ action: "rate", refusalCode: "rating_needs_closed_ticket" })
    expect(data(await ken.query("tickets.get", { ticketId: "t1" })).satisfaction).toBeNull()
  })

  it("P-EXT-2 P-VIS-4 a ticket the customer may not see answers exactly like a missing one, and is not rated", async () => {
    const missing = await ken.mutate("tickets.rate", { ticketId: "no-such-ticket", rating: "good" })
    expect(missing.status).toBe(404)
    const shape = (r: typeof missing) => ({ status: r.status, error: error(r) })
    // t5 and t6 are Mia's (another company), t7 a stranger's; t5 is closed, so only visibility refuses it.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom("t5", "t6", "t7"), fc.string({ minLength: 1, maxLength: 20 })),
        async (ticketId) => {
          fc.pre(!["t1", "t2", "t3", "t4", "t8", "t9", "t10"].includes(ticketId))
          const res = await ken.mutate("tickets.rate", { ticketId, rating: "good" })
          expect(shape(res)).toEqual({
            ...shape(missing),
            error: { ...shape(missing).error, data: { ...shape(missing).error?.data } },
          })
        },
      ),
      { numRuns: 25 },
    )
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    expect(data(await mia.query("tickets.get", { ticketId: "t5" }))).toMatchObject({
      satisfaction: null,
      canRate: true,
    })
    expect(await eventsOf(world, "t5")).toEqual([])
  })

  it("P-EXT-2 bad input is a 400 with a code and changes nothing", async () => {
    const bad = await ken.mutate("tickets.rate", { ticketId: "t3", rating: "meh" })
    expect(bad.status).toBe(400)
    expect(error(bad)?.data.issues).toMatchObject([{ path: "rating", code: "invalid_input" }])
    const long = await ken.mutate("tickets.rate", { ticketId: "t3", rating: "bad", comment: "x".repeat(2001) })
    expect(long.status).toBe(400)
    expect(error(long)?.data.issues).toMatchObject([{ path: "comment", code: "too_long" }])
    const control = await ken.mutate("tickets.rate", { ticketId: "t3", rating: "bad", comment: "a\u0000b" })
    expect(control.status).toBe(400)
    expect(data(await ken.query("tickets.get", { ticketId: "t3" })).satisfaction).toBeNull()
  })
})

describe("P-EXT-5 a customer reply reopens a closed ticket", () => {
  let world: World
  let ken: Client
  beforeAll(async () => {
    world = await startWorld({
      edit: (acme) => {
        acme.portal.actions.allowReplyToClosed = true
        acme.portal.actions.reopenStageByPipeline = { support: "waiting" }
      },
    })
    ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  })
  afterAll(() => world.close())

  it("P-EXT-5 moves the ticket to the pipeline's reopen stage with the reply and a stageChanged event", async () => {
    expect(data(await ken.query("tickets.get", { ticketId: "t10" })).ticket.status.state).toBe("closed")
    const input = { ticketId: "t10", text: "It broke again", idempotencyKey: "reopen-1" }
    const res = await ken.mutate("tickets.reply", input)
    expect(res.status).toBe(200)
    expect(data(await ken.query("tickets.get", { ticketId: "t10" })).ticket.status.state).toBe("open")
    expect((await eventsOf(world, "t10")).map((e) => e.kind)).toEqual(["reply", "stageChanged"])
    // The same post again is the first one: no second message, no second move.
    expect(data(await ken.mutate("tickets.reply", input)).duplicate).toBe(true)
    expect(await eventsOf(world, "t10")).toHaveLength(2)
  })

  it("P-EXT-5 a pipeline without a reopen stage keeps the ticket closed", async () => {
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const res = await mia.mutate("tickets.reply", { ticketId: "t5", text: "One more thing", idempotencyKey: "mia-1" })
    expect(res.status).toBe(200)
    expect(data(await mia.query("tickets.get", { ticketId: "t5" })).ticket.status.state).toBe("closed")
    expect((await eventsOf(world, "t5")).map((e) => e.kind)).toEqual(["reply"])
  })

  it("P-EXT-5 P-SEC-7 the admin settings refuse a closed or unknown reopen stage with its path", async () => {
    const admin = world.client()
    await admin.signIn("hana@acme.test", "admin-demo-2026", true)
    const current = data(await admin.query("admin.settings.get"))
    const save = (reopenStageByPipeline: Record<string, string>) =>
      admin.mutate("admin.settings.update", {
        version: current.version,
        settings: { ...current.settings, actions: { ...current.settings.actions, reopenStageByPipeline } },
      })
    const bad = await save({ support: "closed", billing: "nope" })
    expect(bad.status).toBe(400)
    expect(error(bad)?.data.issues).toMatchObject([
      { path: "actions.reopenStageByPipeline.support", code: "stage_not_open" },
      { path: "actions.reopenStageByPipeline.billing", code: "unknown_stage" },
    ])
  })
})
