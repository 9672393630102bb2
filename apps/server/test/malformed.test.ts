/**
 * Malformed inputs get a clear 4xx, never a 500 and never a stack trace: a property over random
 * JSON values sent to every procedure (fast-check), by a customer, an admin and an integration,
 * plus broken bodies, unknown procedures and wrong methods.
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Client, HttpResponse } from "./support/Http.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let customer: Client
let admin: Client
let integration: Client
beforeAll(async () => {
  world = await startWorld({
    apiConfig: {
      absoluteSessionHours: 24,
      rateLimits: {
        signInPerIp: { limit: 100_000, windowSeconds: 60 },
        signInPerIpEmail: { limit: 100_000, windowSeconds: 60 },
        emailsPerIp: { limit: 100_000, windowSeconds: 60 },
        registerPerIp: { limit: 100_000, windowSeconds: 60 },
      },
    },
  })
  customer = world.client()
  await customer.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  admin = world.client()
  await admin.signIn(ADMIN.email, ADMIN.password, true)
  integration = world.client()
})
afterAll(() => world.close())

const QUERIES = [
  "portal.info",
  "auth.me",
  "tickets.list",
  "tickets.get",
  "form.get",
  "admin.settings.get",
  "admin.domains.list",
  "admin.accessGroups.lists",
  "admin.catalog",
  "admin.preview",
  "integration.events",
]
const MUTATIONS = [
  "auth.signIn",
  "auth.agentSignIn",
  "auth.register",
  "auth.completeRegistration",
  "auth.acceptInvitation",
  "auth.requestPasswordReset",
  "auth.resetPassword",
  "tickets.reply",
  "tickets.close",
  "form.submit",
  "admin.settings.update",
  "admin.enable",
  "admin.disable",
  "admin.consent",
  "admin.domains.set",
  "admin.accessGroups.invite",
  "integration.tickets.upsert",
  "integration.contacts.upsert",
  "integration.messages.create",
  "integration.tickets.setStage",
]

const clientFor = (path: string) =>
  path.startsWith("admin.") ? admin : path.startsWith("integration.") ? integration : customer
const headersFor = (path: string): Record<string, string> =>
  path.startsWith("integration.") ? { authorization: `Bearer ${ACME_TOKEN}` } : {}

const expectClean4xx = (res: HttpResponse, label: string) => {
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500)
  expect(res.text).not.toMatch(/"stack"|at .*\.ts:\d+|node_modules/)
}

/** Values shaped like the real inputs but wrong, and arbitrary JSON. */
const inputs = fc.oneof(
  fc.jsonValue(),
  fc.record({ ticketId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
  fc.record({ email: fc.string(), password: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
  fc.record({ values: fc.dictionary(fc.string(), fc.jsonValue()), idempotencyKey: fc.string() }, { requiredKeys: [] }),
  fc.record(
    { settings: fc.jsonValue(), version: fc.oneof(fc.integer(), fc.double(), fc.string()) },
    { requiredKeys: [] },
  ),
  fc.record({ after: fc.oneof(fc.integer(), fc.double()), limit: fc.integer() }, { requiredKeys: [] }),
)

describe("malformed inputs never cause a 500", () => {
  it.each(QUERIES)("query %s", async (path) => {
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        expectClean4xx(await clientFor(path).query(path, input, headersFor(path)), path)
      }),
      { numRuns: 200 },
    )
  })

  it.each(MUTATIONS)("mutation %s", async (path) => {
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        expectClean4xx(await clientFor(path).mutate(path, input, headersFor(path)), path)
      }),
      { numRuns: 200 },
    )
  })

  it("answers broken JSON, unknown procedures and wrong methods with 4xx", async () => {
    const broken = await customer.request("/trpc/tickets.reply", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    })
    expect(broken.status).toBe(400)
    expectClean4xx(await customer.request("/trpc/tickets.get?input=%7Bnot"), "bad query input")
    expect((await customer.query("tickets.nope")).status).toBe(404)
    expect((await customer.request("/trpc/tickets.reply")).status).toBe(405)
    expect((await customer.mutate("tickets.list", {})).status).toBe(405)
    const huge = await customer.mutate("tickets.get", { ticketId: "x".repeat(100_000) })
    expectClean4xx(huge, "huge id")
    const extra = await customer.mutate("tickets.close", { ticketId: "t1", admin: true })
    expect(extra.status).toBe(400)
  })
})
