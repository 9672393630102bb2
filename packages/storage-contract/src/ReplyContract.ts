/**
 * TicketStore.reply is one transaction (P-ACT-1, P-ACT-4, P-ACT-5): the message (and a new
 * thread where asked), its attachments, the ticket's lastActivityAt and a "reply" event are
 * written together or not at all. The same idempotency key again returns the first result with
 * `duplicate: true` and writes nothing; a failed reply does not use up its key.
 */
import { BlobStore, TicketStore } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { claim, fixtures, LATER, LATER_STILL, message, replyTo } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "TicketStore reply", makeLayer, options, (h) => {
    const f = fixtures(h, "reply")

    h.test("a reply into an existing thread stores message, attachment, activity time and event", async () => {
      const ws = (await f.workspace()).id
      await h.run(use(BlobStore, (b) => b.put(ws, "upload/r1-log", new Uint8Array([1, 2, 3]))))
      const before = await h.counts(ws)
      const attachment = {
        id: "att-r1" as never,
        name: "log.txt",
        contentType: "text/plain",
        size: 3,
        blobKey: "upload/r1-log",
      }
      const msg = message("r1", { attachments: [attachment] })
      const result = await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", msg, "k1", "e1"))))
      expect(result).toEqual({ messageId: "r1", threadId: "th2", duplicate: false })
      const messages = await h.run(use(TicketStore, (s) => s.messagesOf(ws, "th2" as never)))
      expect(messages.at(-1)).toEqual({
        id: "r1",
        createdAt: LATER,
        author: { type: "contact", id: "p1" },
        authorName: "Ken Ito",
        authorFirstName: "Ken",
        authorLastName: "Ito",
        text: msg.text,
        attachments: [{ id: "att-r1", name: "log.txt", contentType: "text/plain", size: 3 }],
      })
      const stored = await h.run(use(TicketStore, (s) => s.attachment(ws, "att-r1" as never)))
      expect(stored).toEqual(Option.some({ ...attachment, ticketId: "t2", messageId: "r1" }))
      const ticket = await h.run(use(TicketStore, (s) => s.getById(ws, "t2" as never)))
      expect(Option.map(ticket, (t) => t.lastActivityAt)).toEqual(Option.some(LATER))
      expect(await f.events(ws)).toEqual([
        {
          id: "e1",
          workspaceId: ws,
          kind: "reply",
          ticketId: "t2",
          messageId: "r1",
          at: LATER,
          sequence: expect.any(Number),
        },
      ])
      expectCounts(before, await h.counts(ws), { messages: 1, attachments: 1, events: 1 })
      const exported = (await f.snapshot(ws)).document.threads.find((t) => t.id === "th2")!.messages.at(-1)
      expect(exported).toEqual({
        id: "r1",
        createdAt: LATER,
        kind: "message",
        author: { type: "contact", id: "p1" },
        text: msg.text,
        attachments: [{ id: "att-r1", name: "log.txt", contentType: "text/plain", dataBase64: "AQID" }],
      })
    })

    h.test("a reply on a ticket without thread opens a new thread in the given inbox (P-ACT-4)", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const command = {
        ...replyTo(ws, "t4", "unused", message("r-new"), "k-new"),
        thread: {
          _tag: "New" as const,
          threadId: "th-new" as never,
          inboxId: "ib1" as never,
          channel: "email" as const,
        },
      }
      expect(await h.run(use(TicketStore, (s) => s.reply(command)))).toEqual({
        messageId: "r-new",
        threadId: "th-new",
        duplicate: false,
      })
      expect(await h.run(use(TicketStore, (s) => s.threadsOf(ws, "t4" as never)))).toEqual([
        { id: "th-new", ticketId: "t4", channel: "email", inboxId: "ib1", createdAt: LATER },
      ])
      const messages = await h.run(use(TicketStore, (s) => s.messagesOf(ws, "th-new" as never)))
      expect(messages.map((m) => m.id)).toEqual(["r-new"])
      expectCounts(before, await h.counts(ws), { threads: 1, messages: 1, events: 1 })
    })

    h.test("the same idempotency key twice stores one message and returns the first result", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const first = await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message("r1"), "same", "e1"))))
      const again = replyTo(ws, "t2", "th2", message("r1-retry", { createdAt: LATER_STILL }), "same", "e2")
      const second = await h.run(use(TicketStore, (s) => s.reply(again)))
      expect(second).toEqual({ ...first, duplicate: true })
      const ids = (await h.run(use(TicketStore, (s) => s.messagesOf(ws, "th2" as never)))).map((m) => m.id)
      expect(ids.filter((id) => id.startsWith("r1"))).toEqual(["r1"])
      expect((await f.events(ws)).map((e) => e.id)).toEqual(["e1"])
      const ticket = await h.run(use(TicketStore, (s) => s.getById(ws, "t2" as never)))
      expect(Option.map(ticket, (t) => t.lastActivityAt)).toEqual(Option.some(LATER))
      expectCounts(before, await h.counts(ws), { messages: 1, events: 1 })
    })

    h.test("a failing reply changes nothing and does not use up its idempotency key", async () => {
      const ws = (await f.workspace()).id
      for (const key of ["k", "k2"]) await h.run(use(BlobStore, (b) => b.put(ws, key, new Uint8Array([9]))))
      const ok = replyTo(
        ws,
        "t2",
        "th2",
        message("ok-1", {
          attachments: [{ id: "att-ok" as never, name: "a", contentType: "text/plain", size: 1, blobKey: "k" }],
        }),
        "k-ok",
        "e-ok",
      )
      await h.run(use(TicketStore, (s) => s.reply(ok)))
      const reply = (over: Partial<ReturnType<typeof replyTo>>) =>
        use(TicketStore, (s) =>
          s.reply({ ...replyTo(ws, "t2", "th2", message("fresh"), "k-failed", "e-failed"), ...over }),
        )
      // m1 already exists (in th1): the message id must be unique in the workspace.
      await f.failsWithoutChange(ws, reply({ message: message("m1") }))
      await f.failsWithoutChange(ws, reply({ message: message("ok-1") }))
      await f.failsWithoutChange(
        ws,
        reply({
          message: message("fresh", {
            attachments: [{ id: "att-ok" as never, name: "b", contentType: "text/plain", size: 1, blobKey: "k2" }],
          }),
        }),
      )
      await f.failsWithoutChange(ws, reply({ eventId: "e-ok" }))
      await f.failsWithoutChange(
        ws,
        reply({ thread: { _tag: "New", threadId: "th1" as never, inboxId: "ib1" as never, channel: "email" } }),
      )
      await f.failsWithoutChange(ws, reply({ thread: { _tag: "Existing", threadId: "th1" as never } }))
      await f.failsWithoutChange(ws, reply({ ticketId: "no-such-ticket" as never }))
      await f.failsWithoutChange(
        ws,
        reply({
          idempotency: claim("k-ok", { fingerprint: "another reply" }),
          ticketId: "t1" as never,
          thread: { _tag: "Existing", threadId: "th1" as never },
        }),
        { _tag: "Conflict", reason: "idempotency_key_reused" },
      )
      const result = await h.run(reply({}))
      expect(result).toEqual({ messageId: "fresh", threadId: "th2", duplicate: false })
    })
  })
