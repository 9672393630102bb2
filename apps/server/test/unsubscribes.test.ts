/**
 * Issue 11's last gaps, end to end through the API and a real local SMTP server:
 * - P-NOT-3: admins (portal.settings) see who unsubscribed from notification emails and can
 *   subscribe a contact again; an agent without the permission and a customer are refused.
 * - P-NOT-2: a support-form submission mails the confirmation once, in the portal's language,
 *   with the link to the new ticket; an unsubscribed contact gets none.
 */
import { unsubscribeToken } from "@portal/core/rules"
import { consumeEvents, deliverOutbox } from "@portal/core/usecases"
import type { ReceivedMail } from "@portal/mail/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Client, data, error } from "./support/Http.ts"
import {
  ACME_TOKEN,
  ADMIN,
  AGENT_NO_SETTINGS,
  CUSTOMER_PASSWORD,
  startWorld,
  WORLD_SECRET,
  type World,
} from "./support/World.ts"

let world: World
const acme = { authorization: `Bearer ${ACME_TOKEN}` }

beforeAll(async () => {
  world = await startWorld()
})
afterAll(() => world.close())

/** One notifier round to completion: every event consumed, every due mail sent. */
const settle = async () => {
  const options = { secret: world.server.secret, linkOrigin: world.server.linkOrigin }
  await world.server.runtime.runPromise(consumeEvents(options))
  for (;;) {
    const r = await world.server.runtime.runPromise(deliverOutbox())
    if (r.claimed === 0) return
  }
}

const mailsTo = (address: string) => world.smtp.messages.filter((m) => m.to === address)

const agentReply = (ticketId: string, text: string, key: string) =>
  world.client().mutate("integration.messages.create", { ticketId, agentId: "u1", text, idempotencyKey: key }, acme)

/** The one-click unsubscribe (RFC 8058) of the link a notification carries. */
const oneClick = (mail: ReceivedMail) => {
  const link = new URL(/<(.+)>/.exec(mail.headers["list-unsubscribe"] ?? "")?.[1] ?? "")
  return new Client(world.port, "localhost").request(link.pathname, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  })
}

/** The one-click unsubscribe of a contact, with the token its notifications would carry. */
const oneClickToken = (workspaceId: string, contactId: string, host: string) =>
  new Client(world.port, host).request(
    `/unsubscribe/${unsubscribeToken(WORLD_SECRET, workspaceId as never, contactId as never)}`,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    },
  )

const signedIn = async (email: string, password: string, agent = false, host = "localhost") => {
  const client = world.client(host)
  await client.signIn(email, password, agent)
  return client
}

describe("admins see who unsubscribed (P-NOT-3)", () => {
  it("P-NOT-3, P-SET-1: an agent without portal.settings, a customer and nobody are refused, and change nothing", async () => {
    const agent = await signedIn(AGENT_NO_SETTINGS.email, AGENT_NO_SETTINGS.password, true)
    const customer = await signedIn("ken@globex.test", CUSTOMER_PASSWORD)
    const anonymous = world.client()
    // mia unsubscribes, so a refused call that leaked the list or subscribed her again would show.
    expect((await oneClickToken("acme", "p3", "localhost")).status).toBe(200)
    for (const [client, status] of [
      [agent, 403],
      [customer, 403],
      [anonymous, 401],
    ] as const) {
      const list = await client.query("admin.unsubscribes.list")
      expect(list.status).toBe(status)
      expect(list.text).not.toContain("mia@initech.test")
      expect((await client.mutate("admin.unsubscribes.resubscribe", { contactId: "p3" })).status).toBe(status)
    }
    const admin = await signedIn(ADMIN.email, ADMIN.password, true)
    expect(data(await admin.query("admin.unsubscribes.list"))).toMatchObject({
      contacts: [{ id: "p3", email: "mia@initech.test" }],
      total: 1,
    })
    expect((await admin.mutate("admin.unsubscribes.resubscribe", { contactId: "p3" })).status).toBe(200)
  })

  it("P-NOT-3: after a one-click unsubscribe the admin list shows the contact; subscribing again makes mail flow again", async () => {
    const admin = await signedIn(ADMIN.email, ADMIN.password, true)
    expect(data(await admin.query("admin.unsubscribes.list"))).toEqual({ contacts: [], total: 0 })

    const before = mailsTo("ken@globex.test").length
    expect((await agentReply("t1", "First answer.", "unsub-admin-1")).status).toBe(200)
    await settle()
    const first = mailsTo("ken@globex.test").slice(before)
    expect(first).toHaveLength(1)
    expect((await oneClick(first[0] as ReceivedMail)).status).toBe(200)

    expect(data(await admin.query("admin.unsubscribes.list"))).toEqual({
      contacts: [{ id: "p1", name: "Ken Ito", email: "ken@globex.test", firstName: "Ken", lastName: "Ito" }],
      total: 1,
    })
    // Unsubscribed: an agent's reply mails nobody.
    expect((await agentReply("t1", "Second answer.", "unsub-admin-2")).status).toBe(200)
    await settle()
    expect(mailsTo("ken@globex.test").slice(before)).toHaveLength(1)

    // Hostile input: an unknown contact is 404, a malformed one 400; neither changes the list.
    const unknown = await admin.mutate("admin.unsubscribes.resubscribe", { contactId: "nobody" })
    expect(unknown.status).toBe(404)
    const malformed = await admin.mutate("admin.unsubscribes.resubscribe", { contactId: "p1\u0000" })
    expect(malformed.status).toBe(400)
    expect(error(malformed)?.data.httpStatus).toBe(400)
    expect((await admin.mutate("admin.unsubscribes.resubscribe", { contactId: "p1", extra: 1 })).status).toBe(400)
    expect(data(await admin.query("admin.unsubscribes.list"))?.total).toBe(1)

    expect(data(await admin.mutate("admin.unsubscribes.resubscribe", { contactId: "p1" }))).toEqual({
      contactId: "p1",
    })
    expect(data(await admin.query("admin.unsubscribes.list"))).toEqual({ contacts: [], total: 0 })
    expect((await agentReply("t1", "Third answer.", "unsub-admin-3")).status).toBe(200)
    await settle()
    const after = mailsTo("ken@globex.test").slice(before)
    expect(after).toHaveLength(2)
    expect(after[1]?.text).toContain("Third answer.")
  })

  it("P-NOT-3: the list is the workspace's own: a contact unsubscribed on another portal is not listed", async () => {
    // sakura's p2 unsubscribes (the signed token of that workspace and contact).
    expect((await oneClickToken("sakura", "p2", "127.0.0.1")).status).toBe(200)
    const admin = await signedIn(ADMIN.email, ADMIN.password, true)
    expect(data(await admin.query("admin.unsubscribes.list"))).toEqual({ contacts: [], total: 0 })
    const sakuraAdmin = await signedIn("hana@sakura.test", ADMIN.password, true, "127.0.0.1")
    expect(data(await sakuraAdmin.query("admin.unsubscribes.list"))).toMatchObject({
      contacts: [{ id: "p2", name: "田中 由紀", email: "yuki@globex.test" }],
      total: 1,
    })
  })
})

describe("the support form's confirmation (P-NOT-2)", () => {
  const submit = (client: Client, subject: string, key: string) =>
    client.mutate("form.submit", { values: { subject, content: "Please help", category: "bug" }, idempotencyKey: key })

  it("P-NOT-2: a form submission mails the confirmation once, in English, with the link to the new ticket", async () => {
    const ken = await signedIn("ken@globex.test", CUSTOMER_PASSWORD)
    const before = mailsTo("ken@globex.test").length
    const created = data(await submit(ken, "Printer on fire", "confirm-en-1"))
    expect(created.ticketId).toEqual(expect.any(String))
    // The same submission again (its idempotency key) creates nothing and mails nothing more.
    expect(data(await submit(ken, "Printer on fire", "confirm-en-1"))).toEqual({
      ticketId: created.ticketId,
      duplicate: true,
    })
    await settle()
    await settle()
    const mails = mailsTo("ken@globex.test").slice(before)
    expect(mails).toHaveLength(1)
    const mail = mails[0] as ReceivedMail
    expect(mail.subject).toBe("[Acme Support] We received your request: Printer on fire")
    expect(mail.text).toContain('We received your request "Printer on fire"')
    const link = new RegExp(`http://localhost:${world.port}/tickets/${created.ticketId}\\b`).exec(mail.text)
    expect(link).not.toBeNull()
    expect(mail.html).toContain(`/tickets/${created.ticketId}`)
    // The link names the new ticket, which the customer opens.
    const detail = data(await ken.query("tickets.get", { ticketId: created.ticketId }))
    expect(detail.ticket.subject).toBe("Printer on fire")
  })

  it("P-NOT-2, P-DOM-4: on the Japanese portal the confirmation is in Japanese, with its own origin", async () => {
    const ken = await signedIn("ken@globex.test", CUSTOMER_PASSWORD, false, "127.0.0.1")
    const before = mailsTo("ken@globex.test").length
    const created = data(await submit(ken, "プリンターが動きません", "confirm-ja-1"))
    await settle()
    const mails = mailsTo("ken@globex.test").slice(before)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.subject).toBe("[さくら商事 サポート] お問い合わせを受け付けました: プリンターが動きません")
    expect(mails[0]?.text).toContain("お問い合わせ「プリンターが動きません」を受け付けました。")
    expect(mails[0]?.text).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${world.port}/tickets/${created.ticketId}\\b`))
  })

  it("P-NOT-2, P-NOT-3: an unsubscribed contact's form submission creates the ticket and mails nothing", async () => {
    expect((await oneClickToken("acme", "p2", "localhost")).status).toBe(200)
    const yuki = await signedIn("yuki@globex.test", CUSTOMER_PASSWORD)
    const before = world.smtp.messages.length
    const created = data(await submit(yuki, "Quiet please", "confirm-unsub-1"))
    expect(created.ticketId).toEqual(expect.any(String))
    await settle()
    expect(world.smtp.messages.length).toBe(before)
    expect(data(await yuki.query("tickets.get", { ticketId: created.ticketId })).ticket.subject).toBe("Quiet please")
  })
})
