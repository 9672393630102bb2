/**
 * Webhooks end to end (P-HOOK-1) with a real local HTTP receiver: an admin registers an endpoint,
 * the integration API writes events, the worker's rounds (core consumeWebhookEvents +
 * deliverWebhooks, as WebhookWorker.ts runs them) sign and POST them; the receiver verifies each
 * with the `standardwebhooks` package. A 500 is retried on the schedule with the same webhook-id,
 * "send again" re-sends it, and an endpoint failing for 3 days is disabled until re-enabled.
 * The server runs with PORTAL_WEBHOOK_ALLOW_PRIVATE (the receiver is on 127.0.0.1, over http).
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { consumeWebhookEvents, deliverWebhooks } from "@portal/core/usecases"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

let world: World
let admin: Client
let receiver: Server
let receiverUrl: string
const received: Array<Received> = []
/** The statuses the receiver answers next, in order; then 204. */
const answers: Array<number> = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (c: string) => {
      body += c
    })
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body })
      res.statusCode = answers.shift() ?? 204
      res.end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  world = await startWorld({ webhookAllowPrivate: true })
  admin = world.client()
  await admin.signIn(ADMIN.email, ADMIN.password, true)
})
afterAll(async () => {
  await world.close()
  await new Promise((resolve) => receiver.close(resolve))
})

/** Worker rounds to completion: every event consumed, every due delivery sent. */
const settle = async () => {
  await world.server.runtime.runPromise(consumeWebhookEvents())
  for (;;) {
    const r = await world.server.runtime.runPromise(deliverWebhooks())
    if (r.claimed === 0) return
  }
}

const acme = { authorization: `Bearer ${ACME_TOKEN}` }
const agentReply = (ticketId: string, text: string, key: string) =>
  world.client().mutate("integration.messages.create", { ticketId, agentId: "u1", text, idempotencyKey: key }, acme)

const register = async (path: string, events: ReadonlyArray<string>) => {
  const res = await admin.mutate("admin.webhooks.create", { url: `${receiverUrl}${path}`, events })
  expect(res.status).toBe(200)
  return data(res) as { id: string; secret: string; url: string }
}

const at = (path: string) => received.filter((r) => r.path === path)

const verified = (r: Received, secret: string) =>
  new Webhook(secret).verify(r.body, {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  }) as { type: string; timestamp: string; data: Record<string, unknown> }

const deliveriesOf = async (endpointId: string) =>
  data(await admin.query("admin.webhooks.deliveries", { endpointId })) as {
    items: Array<{
      id: string
      status: string
      attempts: number
      lastStatus: number | null
      nextAttemptAt: string | null
    }>
  }

describe("P-HOOK-1: signed deliveries to a real receiver", () => {
  it("P-HOOK-1: an agent message is POSTed once, signed as Standard Webhooks says, with the message text", async () => {
    const hook = await register("/signed", ["message.agent", "ticket.stageChanged"])
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
    expect((await agentReply("t1", "We corrected the invoice.", "wh-signed-1")).status).toBe(200)
    await settle()
    await settle()
    const got = at("/signed")
    expect(got).toHaveLength(1)
    const r = got[0] as Received
    expect(r.headers["content-type"]).toBe("application/json")
    expect(String(r.headers["webhook-id"])).toMatch(/^msg_[0-9a-f]{32}$/)
    expect(String(r.headers["webhook-signature"])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    const payload = verified(r, hook.secret)
    expect(payload).toMatchObject({
      type: "message.agent",
      data: {
        ticketId: "t1",
        subject: "Invoice is wrong",
        message: { text: "We corrected the invoice.", authorType: "agent" },
      },
    })
    // A wrong secret does not verify: the signature is real.
    expect(() => verified(r, `whsec_${Buffer.alloc(32, 7).toString("base64")}`)).toThrow()
    const log = await deliveriesOf(hook.id)
    expect(log.items).toEqual([
      expect.objectContaining({ id: r.headers["webhook-id"], status: "delivered", attempts: 1, lastStatus: 204 }),
    ])
    await admin.mutate("admin.webhooks.delete", { id: hook.id })
  })

  it("P-HOOK-1, P-EXT-2: a customer's rating is POSTed as ticket.rated with the rating and comment", async () => {
    const hook = await register("/rated", ["ticket.rated"])
    const ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(
      (await ken.mutate("tickets.rate", { ticketId: "t10", rating: "good", comment: "Quick and kind" })).status,
    ).toBe(200)
    await settle()
    const got = at("/rated")
    expect(got).toHaveLength(1)
    expect(verified(got[0] as Received, hook.secret)).toMatchObject({
      type: "ticket.rated",
      data: { ticketId: "t10", rating: { rating: "good", comment: "Quick and kind" } },
    })
    await admin.mutate("admin.webhooks.delete", { id: hook.id })
  })

  it("P-HOOK-1: a 500 is retried on the schedule with the same webhook-id; 'send again' sends it once more", async () => {
    const hook = await register("/retry", ["message.agent"])
    answers.push(500)
    await agentReply("t1", "Second answer", "wh-retry-1")
    await settle()
    let log = await deliveriesOf(hook.id)
    expect(log.items[0]).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500 })
    expect(at("/retry")).toHaveLength(1)
    // Not before its time (5 s after the first attempt) …
    await settle()
    expect(at("/retry")).toHaveLength(1)
    world.advanceClock(6000)
    await settle()
    log = await deliveriesOf(hook.id)
    expect(log.items[0]).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 204 })
    const [first, second] = at("/retry")
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"])
    // Send again: the same id once more.
    const resent = await admin.mutate("admin.webhooks.resend", { id: log.items[0]?.id })
    expect(data(resent)).toMatchObject({ status: "pending", attempts: 0 })
    await settle()
    expect(at("/retry")).toHaveLength(3)
    expect(at("/retry")[2]?.headers["webhook-id"]).toBe(first?.headers["webhook-id"])
    verified(at("/retry")[2] as Received, hook.secret)
    // Unknown ids are a 400 with a code, never a 500.
    const unknown = await admin.mutate("admin.webhooks.resend", { id: "msg_nope" })
    expect(unknown.status).toBe(400)
    expect(error(unknown)?.data.issues).toEqual([expect.objectContaining({ code: "unknown_webhook_delivery" })])
    await admin.mutate("admin.webhooks.delete", { id: hook.id })
  })

  it("P-HOOK-1: an endpoint failing for 3 days is disabled and says so; re-enabled it delivers again", async () => {
    const hook = await register("/down", ["message.agent"])
    answers.push(...Array.from({ length: 20 }, () => 503))
    await agentReply("t1", "Third answer", "wh-down-1")
    await settle()
    // Retries over the days: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 10 h … past 3 days.
    for (let i = 0; i < 12; i++) {
      world.advanceClock(11 * 60 * 60 * 1000)
      await settle()
    }
    // The admin's session did not live through the days the clock moved.
    await admin.signIn(ADMIN.email, ADMIN.password, true)
    const [endpoint] = (data(await admin.query("admin.webhooks.list")) as Array<Record<string, unknown>>).filter(
      (e) => e.id === hook.id,
    )
    const log = await deliveriesOf(hook.id)
    // Given up after the schedule (9 attempts), or disabled: either way it stops and the admin is told.
    expect(log.items[0]?.attempts).toBeLessThanOrEqual(9)
    if (endpoint?.enabled === true) {
      // The schedule ran out before 3 days: a new event fails once more, and that disables it.
      await agentReply("t1", "Fourth answer", "wh-down-2")
      await settle()
    }
    const after = (data(await admin.query("admin.webhooks.list")) as Array<Record<string, unknown>>).find(
      (e) => e.id === hook.id,
    )
    expect(after).toMatchObject({ enabled: false, disabledAt: expect.any(String), failingSince: expect.any(String) })
    const sent = at("/down").length
    await agentReply("t1", "Fifth answer", "wh-down-3")
    await settle()
    expect(at("/down")).toHaveLength(sent)
    // Re-enabled: the waiting deliveries go out.
    answers.length = 0
    const on = data(await admin.mutate("admin.webhooks.update", { id: hook.id, enabled: true }))
    expect(on).toMatchObject({ enabled: true, disabledAt: null, failingSince: null })
    await settle()
    expect(at("/down").length).toBeGreaterThan(sent)
  })

  it("P-HOOK-1: bad input is a 400 with a code and changes nothing", async () => {
    const before = data(await admin.query("admin.webhooks.list"))
    for (const input of [
      { url: `${receiverUrl}/x`, events: [] },
      { url: `${receiverUrl}/x`, events: ["ticket.deleted"] },
      { url: "not a url", events: ["ticket.created"] },
      { url: `ftp://example.com/x`, events: ["ticket.created"] },
      { url: `${receiverUrl}/x`, events: ["ticket.created"], extra: 1 },
      { url: "https://user:pw@example.com/x", events: ["ticket.created"] },
    ]) {
      const res = await admin.mutate("admin.webhooks.create", input)
      expect(res.status, JSON.stringify(input)).toBe(400)
    }
    expect((await admin.mutate("admin.webhooks.update", { id: "nope", enabled: true })).status).toBe(400)
    expect(data(await admin.query("admin.webhooks.list"))).toEqual(before)
    // Someone without portal.settings gets 403.
    const agent = world.client()
    await agent.signIn("taro@acme.test", "agent-demo-2026", true)
    expect((await agent.query("admin.webhooks.list")).status).toBe(403)
  })
})
