/**
 * Notifications end to end (P-NOT-1..3) through a real local SMTP server: the integration API
 * writes an event, the notifier's rounds (core consumeEvents + deliverOutbox, as Notifier.ts runs
 * them) put the mail in the outbox and send it over SMTP; the customer follows its link, and the
 * one-click unsubscribe link stops further mail.
 */
import { OutboxStore } from "@portal/core/ports"
import { replyAddress, verifyReplyToken } from "@portal/core/rules"
import { consumeEvents, deliverOutbox, type ReplyAddressInput } from "@portal/core/usecases"
import type { ReceivedMail } from "@portal/mail/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { silentLogger } from "../src/Logger.ts"
import { startNotifier } from "../src/Notifier.ts"
import { Client, data } from "./support/Http.ts"
import { ACME_TOKEN, CUSTOMER_PASSWORD, SAKURA_TOKEN, startWorld, type World } from "./support/World.ts"

let world: World
const acme = { authorization: `Bearer ${ACME_TOKEN}` }
const sakura = { authorization: `Bearer ${SAKURA_TOKEN}` }

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

const agentReply = (ticketId: string, text: string, key: string, headers = acme) =>
  world
    .client(headers === acme ? "localhost" : "127.0.0.1")
    .mutate("integration.messages.create", { ticketId, agentId: "u1", text, idempotencyKey: key }, headers)

const linkFrom = (mail: ReceivedMail, path: RegExp): URL => {
  const match = path.exec(mail.text)
  if (match === null) throw new Error(`no link matching ${path} in:\n${mail.text}`)
  return new URL(match[0])
}

describe("agent messages mail the requester (P-NOT-1)", () => {
  it("P-NOT-1: an integration-API agent reply mails the requester once, in English, with a working link", async () => {
    const before = mailsTo("ken@globex.test").length
    expect((await agentReply("t1", "We corrected the invoice.\nIt is attached.", "notify-1")).status).toBe(200)
    await settle()
    await settle() // a second round sends nothing more: one email per event and recipient
    const mails = mailsTo("ken@globex.test").slice(before)
    expect(mails).toHaveLength(1)
    const mail = mails[0] as ReceivedMail
    expect(mail.subject).toBe("[Acme Support] New reply: Invoice is wrong")
    expect(mail.text).toContain("We corrected the invoice.\nIt is attached.")
    expect(mail.html).toContain("We corrected the invoice.")
    // The link is on the portal's configured origin (P-SEC-5), to the ticket's page.
    const link = linkFrom(mail, /http:\/\/localhost:\d+\/tickets\/t1\b/)
    expect(link.port).toBe(String(world.port))
    // Threading and one-click unsubscribe headers (RFC 8058).
    expect(mail.headers["message-id"]).toMatch(/^<n\.[0-9a-f]{32}@localhost>$/)
    expect(mail.headers["in-reply-to"]).toMatch(/^<ticket\.[0-9a-f]{32}@localhost>$/)
    expect(mail.headers.references).toBe(mail.headers["in-reply-to"])
    expect(mail.headers["list-unsubscribe"]).toMatch(
      /^<http:\/\/localhost:\d+\/unsubscribe\/[A-Za-z0-9_-]+\.[0-9a-f]{32}>$/,
    )
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click")
    // The link names a ticket the signed-in customer opens, with the agent's message (the page itself: e2e).
    const ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const detail = data(await ken.query("tickets.get", { ticketId: "t1" }))
    expect(detail.messages.at(-1).text).toBe("We corrected the invoice.\nIt is attached.")
  })

  it("P-NOT-1, P-DOM-4: a Japanese portal mails in Japanese", async () => {
    const before = mailsTo("ken@globex.test").length
    expect((await agentReply("t1", "請求書を修正しました。", "notify-ja-1", sakura)).status).toBe(200)
    await settle()
    const mails = mailsTo("ken@globex.test").slice(before)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.subject).toBe("[さくら商事 サポート] 「請求書の金額が違います」に返信がありました")
    expect(mails[0]?.text).toContain("請求書を修正しました。")
    expect(mails[0]?.text).toMatch(/http:\/\/127\.0\.0\.1:\d+\/tickets\/t1\b/)
  })

  it("P-NOT-1, P-COM-3: an internal comment mails nobody; P-COM-2: neither does a message on a thread the portal hides", async () => {
    const before = world.smtp.messages.length
    const thread = (id: string, inboxId: string | null, kind: "comment" | "message", messageId: string) => ({
      id,
      ticketId: "t2",
      channel: "email",
      inboxId,
      createdAt: "2026-01-01T00:00:00Z",
      messages: [
        { id: messageId, createdAt: "2026-12-05T10:00:00Z", kind, author: { type: "agent", id: "u1" }, text: "x" },
      ],
    })
    // t2's visible thread is th2 (chat); a comment there, and a message on a new unconnected email thread.
    const shown = await world.client().mutate(
      "integration.threads.upsert",
      {
        id: "th2",
        ticketId: "t2",
        channel: "chat",
        inboxId: "ib1",
        createdAt: "2026-09-01T09:00:00Z",
        messages: [
          {
            id: "m-comment-1",
            createdAt: "2026-12-05T10:00:00Z",
            kind: "comment",
            author: { type: "agent", id: "u1" },
            text: "internal only",
          },
        ],
      },
      acme,
    )
    expect(shown.status).toBe(200)
    const hidden = await world
      .client()
      .mutate("integration.threads.upsert", thread("th-hidden", null, "message", "m-h1"), acme)
    expect(hidden.status).toBe(200)
    await settle()
    expect(world.smtp.messages.length).toBe(before)
    // The events were read (the cursor moved past them) and wrote no mail.
    const outbox = await world.server.runtime.runPromise(OutboxStore.use((s) => s.list("acme" as never, 100)))
    expect(outbox.some((m) => m.ticketId === "t2")).toBe(false)
  })

  it("P-NOT-2: moving a ticket to a closed stage sends a 'closed' email with the link", async () => {
    const before = mailsTo("ken@globex.test").length
    const moved = await world
      .client()
      .mutate("integration.tickets.setStage", { ticketId: "t2", stageId: "closed" }, acme)
    expect(moved.status).toBe(200)
    await settle()
    const mails = mailsTo("ken@globex.test").slice(before)
    expect(mails.map((m) => m.subject)).toEqual(["[Acme Support] Closed: Cannot export reports"])
    expect(mails[0]?.text).toMatch(/http:\/\/localhost:\d+\/tickets\/t2\b/)
  })
})

describe("the reply address (P-NOT-5 seam)", () => {
  it("P-NOT-1: with replies by email on, a notification names the signed reply address in Reply-To", async () => {
    const before = mailsTo("ken@globex.test").length
    await agentReply("t1", "Reply to this email if you like.", "notify-reply-to-1")
    const options = {
      secret: world.server.secret,
      linkOrigin: world.server.linkOrigin,
      replyAddress: (i: ReplyAddressInput) =>
        replyAddress(
          world.server.secret,
          { workspaceId: i.workspaceId, ticketId: i.ticketId, contactId: i.contactId },
          i.replyDomain,
        ),
    }
    await world.server.runtime.runPromise(consumeEvents(options))
    await settle()
    const mail = mailsTo("ken@globex.test").slice(before)[0] as ReceivedMail
    const address = mail.headers["reply-to"] ?? ""
    expect(address).toMatch(/^reply\+[a-z2-7]+@localhost$/)
    const token = address.slice("reply+".length, address.indexOf("@"))
    expect(verifyReplyToken(world.server.secret, token)).toEqual({
      workspaceId: "acme",
      ticketId: "t1",
      contactId: "p1",
    })
  })
})

describe("unsubscribe (P-NOT-3)", () => {
  it("P-NOT-3: the one-click link works without signing in and stops further mail; a forged token changes nothing", async () => {
    const before = mailsTo("ken@globex.test").length
    await agentReply("t1", "First answer.", "notify-unsub-1")
    await settle()
    const mail = mailsTo("ken@globex.test").slice(before)[0] as ReceivedMail
    const link = new URL(/<(.+)>/.exec(mail.headers["list-unsubscribe"] ?? "")?.[1] ?? "")
    const anonymous = new Client(world.port, "localhost")
    const forged = await anonymous.request(`${link.pathname.slice(0, -1)}0`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    })
    expect(forged.status).toBe(404)
    const confirm = await anonymous.request(link.pathname)
    expect(confirm.status).toBe(200)
    expect(confirm.text).toContain('<form method="post">')
    // Still subscribed after the GET (a link scanner unsubscribes nobody).
    await agentReply("t1", "Second answer.", "notify-unsub-2")
    await settle()
    expect(mailsTo("ken@globex.test").slice(before)).toHaveLength(2)
    const oneClick = await anonymous.request(link.pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    })
    expect(oneClick.status).toBe(200)
    await agentReply("t1", "Third answer.", "notify-unsub-3")
    await settle()
    expect(mailsTo("ken@globex.test").slice(before)).toHaveLength(2)
  })
})

describe("the notifier loop (Notifier.ts)", () => {
  it("P-NOT-3: started and stopped cleanly, it delivers what is committed", async () => {
    const notifier = startNotifier({
      runtime: world.server.runtime,
      logger: silentLogger(),
      secret: world.server.secret,
      linkOrigin: world.server.linkOrigin,
      pollMs: 50,
    })
    try {
      const before = mailsTo("yuki@globex.test").length
      expect((await agentReply("t4", "Looking into it.", "notify-loop-1")).status).toBe(200)
      await world.smtp.waitFor((m) => m.to === "yuki@globex.test" && m.text.includes("Looking into it."))
      expect(mailsTo("yuki@globex.test").length).toBe(before + 1)
    } finally {
      await notifier.stop()
    }
  })
})
