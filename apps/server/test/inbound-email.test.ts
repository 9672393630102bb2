/**
 * P-NOT-5 Replies by email, end to end: a real SMTP client (nodemailer, and a raw socket where the
 * client would be too polite) against the inbound listener on a free port, over the in-memory store
 * and real PostgreSQL. A reply lands as the customer's message on the visible thread, quotes
 * stripped; forged tokens, other senders, oversized mail, closed tickets are refused with SMTP errors
 * and change nothing; a re-delivery stores one message.
 */
import { createConnection } from "node:net"
import type { ContactId, TicketId, WorkspaceId } from "@portal/core/domain"
import { TicketStore } from "@portal/core/ports"
import { replyAddress } from "@portal/core/rules"
import { getTicket } from "@portal/core/usecases"
import { Effect } from "effect"
import fc from "fast-check"
import { createTransport } from "nodemailer"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freshDatabase } from "./support/Postgres.ts"
import { startWorld, WORLD_SECRET, type World } from "./support/World.ts"

const KEN = "ken@globex.test" // p1: requester of t1 (open) and t10 (closed)
const address = (ticketId: string, contactId = "p1", secret = WORLD_SECRET) =>
  replyAddress(
    secret,
    { workspaceId: "acme" as WorkspaceId, ticketId: ticketId as TicketId, contactId: contactId as ContactId },
    "localhost",
  )

const QUOTE = "\n\nOn Sat, Dec 5, 2026 at 10:00 AM Hana Sato <hana@acme.test> wrote:\n> We fixed the invoice.\n> Hana\n"

interface SmtpFailure {
  readonly responseCode?: number
  readonly response?: string
}

const send = (world: World, mail: Record<string, unknown>) =>
  createTransport({
    host: "127.0.0.1",
    port: world.server.inbound?.port ?? 0,
    secure: false,
    ignoreTLS: true,
  }).sendMail({ from: KEN, subject: "Re: Invoice is wrong", ...mail })

const refusal = async (world: World, mail: Record<string, unknown>): Promise<SmtpFailure> => {
  const error = await send(world, mail).then(
    () => null,
    (e: SmtpFailure) => e,
  )
  expect(error, "the mail was accepted").not.toBeNull()
  return error as SmtpFailure
}

/** One raw SMTP session: each command's reply (first line's code and text), in order. */
const dialogue = (port: number, commands: ReadonlyArray<string>): Promise<ReadonlyArray<string>> =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port })
    const replies: Array<string> = []
    let buffer = ""
    let sent = 0
    socket.setEncoding("utf8")
    socket.on("error", reject)
    socket.on("data", (chunk: string) => {
      buffer += chunk
      for (;;) {
        const end = buffer.indexOf("\r\n")
        if (end < 0) break
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (/^\d{3}-/.test(line)) continue // a multi-line reply goes on
        replies.push(line)
        if (sent < commands.length) socket.write(`${commands[sent++]}\r\n`)
        else socket.end()
      }
    })
    socket.on("close", () => resolve(replies.slice(1)))
  })

const messagesOf = (world: World, ticketId = "t1") =>
  world.server.runtime
    .runPromise(getTicket({ workspaceId: "acme" as WorkspaceId, contactId: "p1" as ContactId }, ticketId as TicketId))
    .then((v) => v.messages)

const eventCount = (world: World) =>
  world.server.runtime.runPromise(
    TicketStore.use((s) => s.events("acme" as WorkspaceId, 0, 10_000)).pipe(Effect.map((events) => events.length)),
  )

/** What a refusal must leave as it was: the ticket's messages and the event stream. */
const snapshot = async (world: World) => ({
  messages: (await messagesOf(world)).length,
  events: await eventCount(world),
})

const stores = [
  ["memory", async () => ({ storage: undefined, drop: async () => undefined })],
  [
    "PostgreSQL",
    async () => {
      const db = await freshDatabase("inbound")
      return { storage: db?.storage, drop: async () => db?.drop() }
    },
  ],
] as const

describe.each(stores)("P-NOT-5 replies by email on the %s store", (_name, storeOf) => {
  let world: World
  let drop: () => Promise<unknown>
  beforeAll(async () => {
    const store = await storeOf()
    drop = store.drop
    world = await startWorld({
      inboundSmtp: { maxBytes: 256 * 1024 },
      ...(store.storage ? { storage: store.storage } : {}),
    })
  }, 60_000)
  afterAll(async () => {
    await world?.close()
    await drop?.()
  })

  it("P-NOT-5 a reply to the notification's address lands as the customer's message, quotes stripped, files kept", async () => {
    const before = await snapshot(world)
    const info = await send(world, {
      to: address("t1"),
      messageId: "<first-reply@globex.test>",
      text: `Thanks, the new invoice is right.${QUOTE}`,
      attachments: [
        { filename: "receipt.pdf", content: Buffer.from("%PDF-1.4 receipt"), contentType: "application/pdf" },
      ],
    })
    expect(info.accepted).toEqual([address("t1")])
    const messages = await messagesOf(world)
    expect(messages).toHaveLength(before.messages + 1)
    const last = messages[messages.length - 1]
    expect(last?.author).toEqual({ type: "contact", id: "p1" })
    expect(last?.text).toBe("Thanks, the new invoice is right.")
    expect(last?.attachments.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ["receipt.pdf", "application/pdf", 16],
    ])
    expect(await eventCount(world)).toBe(before.events + 1)
  })

  it("P-NOT-5 P-ACT-5 a re-delivered mail (same Message-ID) stores one message; the MTA hears success both times", async () => {
    const mail = { to: address("t1"), messageId: "<redelivered@globex.test>", text: `Second answer.${QUOTE}` }
    const before = await snapshot(world)
    await send(world, mail)
    await send(world, mail)
    expect(await snapshot(world)).toEqual({ messages: before.messages + 1, events: before.events + 1 })
    // The same mail without a Message-ID is keyed by its bytes: sent twice as is, stored once.
    const raw = `From: ${KEN}\r\nTo: ${address("t1")}\r\nSubject: Re\r\nDate: Sat, 05 Dec 2026 10:00:00 +0000\r\n\r\nThird answer.\r\n`
    await send(world, { envelope: { from: KEN, to: [address("t1")] }, raw })
    await send(world, { envelope: { from: KEN, to: [address("t1")] }, raw })
    expect(await snapshot(world)).toEqual({ messages: before.messages + 2, events: before.events + 2 })
  })

  it("P-NOT-5 a forged token, another contact's or ticket's address, or another server's key is refused at RCPT with 550; nothing changes", async () => {
    const before = await snapshot(world)
    const good = address("t1")
    const local = good.split("@")[0] as string
    const at = local.length - 3
    const forged = `${local.slice(0, at)}${local[at] === "a" ? "b" : "a"}${local.slice(at + 1)}@localhost`
    for (const to of [
      forged,
      address("t1", "p2"), // another contact's address for this ticket: Ken is not p2
      address("t4", "p2"), // another contact's ticket
      address("t8"), // an internal ticket p1 is on but may not see
      address("t1", "p1", "another-server-secret-0123456789"),
      "ken@localhost",
    ]) {
      const error = await refusal(world, { to, text: "Let me in" })
      expect(error.responseCode, to).toBe(550)
      expect(error.response).toMatch(/^550 5\.(1\.1|7\.1) /)
    }
    expect(await snapshot(world)).toEqual(before)
  })

  it("P-NOT-5 a sender other than the contact is refused (envelope at RCPT, From header at DATA); nothing changes", async () => {
    const before = await snapshot(world)
    const envelope = await refusal(world, {
      to: address("t1"),
      from: "mallory@evil.test",
      text: "I am Ken",
    })
    expect(envelope.responseCode).toBe(550)
    expect(envelope.response).toMatch(/5\.7\.1/)
    const header = await refusal(world, {
      envelope: { from: KEN, to: [address("t1")] },
      from: "Mallory <mallory@evil.test>",
      to: address("t1"),
      text: "I am Ken too",
    })
    expect(header.responseCode).toBe(550)
    expect(header.response).toMatch(/5\.7\.1/)
    // The other customer of the same company, with a real address of the workspace: still not p1.
    const colleague = await refusal(world, { to: address("t1"), from: "yuki@globex.test", text: "Hi" })
    expect(colleague.responseCode).toBe(550)
    expect(await snapshot(world)).toEqual(before)
  })

  it("P-NOT-5 the envelope sender matches the contact whatever its case", async () => {
    const before = await snapshot(world)
    await send(world, { to: address("t1").toUpperCase(), from: "Ken Ito <KEN@Globex.Test>", text: "Upper case works" })
    expect((await snapshot(world)).messages).toBe(before.messages + 1)
  })

  it("P-NOT-5 an oversized mail is refused with 552, whether it declares its size or not; nothing changes", async () => {
    const before = await snapshot(world)
    const big = "x".repeat(300 * 1024)
    const declared = await refusal(world, { to: address("t1"), text: `Big one\n${big}` })
    expect(declared.responseCode).toBe(552)
    // Without SIZE=: the listener counts the data itself.
    const lines = big.match(/.{1,998}/g) ?? []
    const replies = await dialogue(world.server.inbound?.port ?? 0, [
      "EHLO client.test",
      `MAIL FROM:<${KEN}>`,
      `RCPT TO:<${address("t1")}>`,
      "DATA",
      [`From: ${KEN}`, `To: ${address("t1")}`, "Subject: big", "", ...lines, "."].join("\r\n"),
      "QUIT",
    ])
    expect(replies.map((r) => r.slice(0, 3))).toEqual(["250", "250", "250", "354", "552", "221"])
    expect(await snapshot(world)).toEqual(before)
  })

  it("P-NOT-5 P-ACT-2 a closed ticket that takes no replies refuses the mail as the portal refuses the reply", async () => {
    const before = (await messagesOf(world, "t10")).length
    const error = await refusal(world, { to: address("t10"), text: "Please reopen" })
    expect(error.responseCode).toBe(550)
    expect(error.response).toMatch(/closed/i)
    expect(await messagesOf(world, "t10")).toHaveLength(before)
  })

  it("P-NOT-5 a mail that is only quoted history is refused: there is nothing to store", async () => {
    const before = await snapshot(world)
    const error = await refusal(world, { to: address("t1"), text: QUOTE.trim() })
    expect(error.responseCode).toBe(550)
    expect(error.response).toMatch(/5\.6\.0/)
    expect(await snapshot(world)).toEqual(before)
  })

  it("P-NOT-5 an out-of-office answer (Auto-Submitted, Precedence) is accepted and dropped, so nothing loops", async () => {
    const before = await snapshot(world)
    await send(world, { to: address("t1"), text: "I am out of office", headers: { "Auto-Submitted": "auto-replied" } })
    await send(world, { to: address("t1"), text: "Vacation", headers: { Precedence: "auto_reply" } })
    expect(await snapshot(world)).toEqual(before)
  })

  it("P-NOT-5 an HTML-only reply is stored as its text; the images a client embeds (logos) are not files", async () => {
    const before = await snapshot(world)
    const logo = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex")
    await send(world, {
      to: address("t1"),
      html: '<div dir="ltr">HTML <b>answer</b><br><img src="cid:logo@acme"></div><div class="gmail_quote"><div>2026年12月5日(土) 10:00 Hana Sato &lt;hana@acme.test&gt;:<br></div><blockquote>Old text</blockquote></div>',
      attachments: [{ filename: "logo.png", content: logo, cid: "logo@acme" }],
    })
    const messages = await messagesOf(world)
    expect(messages).toHaveLength(before.messages + 1)
    const last = messages[messages.length - 1]
    expect(last?.text).toBe("HTML answer")
    expect(last?.attachments).toEqual([])
  })

  it("P-NOT-5 property: random reply+ local parts never reach the store", async () => {
    const before = await snapshot(world)
    const locals = fc.sample(
      fc.oneof(
        fc.stringMatching(/^[a-z2-7]{1,80}$/),
        fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/[\s<>"\\\r\n]/.test(s)),
      ),
      120,
    )
    const replies = await dialogue(world.server.inbound?.port ?? 0, [
      "EHLO client.test",
      `MAIL FROM:<${KEN}>`,
      ...locals.map((l) => `RCPT TO:<reply+${l}@localhost>`),
      "QUIT",
    ])
    const rcpt = replies.slice(2, 2 + locals.length)
    expect(rcpt).toHaveLength(locals.length)
    for (const r of rcpt) expect(r.slice(0, 1), r).toBe("5")
    expect(await snapshot(world)).toEqual(before)
  })
})
