import { describe, expect, it } from "vitest"
import type { AttachmentId, TicketId } from "../../src/domain/index.ts"
import type { StoredAttachment } from "../../src/ports/index.ts"
import { authorizeDownload, type Downloader, reply } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success, type World } from "../support/World.ts"

const contact = (id: string): Downloader => ({ type: "contact", id: id as never })
const agent = (id: string): Downloader => ({ type: "agent", id: id as never })

/** Ken (p1) replies on t1 with a file: it lands in the visible thread th-chat. */
const world = async () => {
  const w = makeWorld(fixture())
  const file = { name: "invoice.pdf", contentType: "application/pdf", bytes: new Uint8Array([1, 2, 3]) }
  const r = success(
    await w.run(
      reply(w.viewer("p1"), { ticketId: "t1" as TicketId, text: "here", attachments: [file], idempotencyKey: "k" }),
    ),
  )
  expect(r.threadId).toBe("th-chat")
  const [id] = [...w.state.attachments.keys()]
  return { w, id: id as string }
}

/** An attachment on message `messageId` of t1 (bytes stored). */
const attach = (w: World, id: string, messageId: string, ticketId = "t1") => {
  const a = { id, name: `${id}.txt`, contentType: "text/plain", size: 1, blobKey: `b/${id}`, ticketId, messageId }
  w.state.attachments.set(id, a as unknown as StoredAttachment)
  w.state.blobs.set(`b/${id}`, new Uint8Array([9]))
}

const download = (w: World, who: Downloader | null, id: string) => w.run(authorizeDownload(w.ws, who, id))

describe("authorizeDownload (P-VIS-4, P-COM)", () => {
  it("P-COM-1 the contact who sees the message downloads its file, and so does a company colleague", async () => {
    const { w, id } = await world()
    const got = success(await download(w, contact("p1"), id))
    expect([got.attachment.name, [...got.bytes]]).toEqual(["invoice.pdf", [1, 2, 3]])
    expect(success(await download(w, contact("p2"), id)).attachment.id).toBe(id)
  })
  it("P-VIS-4 nobody, a contact who may not see the ticket and a missing file get the same AttachmentNotFound", async () => {
    const { w, id } = await world()
    for (const [who, what] of [
      [null, id],
      [contact("p3"), id],
      [contact("p4"), id],
      [contact("ghost"), id],
      [contact("p1"), "no-such-attachment"],
    ] as const)
      expect(failure(await download(w, who, what))).toMatchObject({ _tag: "AttachmentNotFound", id: what })
  })
  it("P-VIS-4 every refusal costs the contact the same store reads: missing, invisible ticket, internal comment", async () => {
    const { w, id } = await world()
    attach(w, "on-comment", "m2") // a comment in the visible thread of t1, which p1 sees
    const callsOf = async (who: Downloader, what: string) => {
      w.state.calls.length = 0
      failure(await download(w, who, what))
      return [...w.state.calls]
    }
    const missing = await callsOf(contact("p3"), "no-such-attachment")
    expect(missing).toContain("tickets.messagesOf")
    expect(await callsOf(contact("p3"), id)).toEqual(missing)
    expect(await callsOf(contact("p1"), "on-comment")).toEqual(missing)
    expect(await callsOf(contact("p1"), "no-such-attachment")).toEqual(missing)
  })
  it("P-COM-3 P-COM-4 P-COM-2 files of internal comments and of other threads are not the customer's", async () => {
    const { w } = await world()
    attach(w, "on-comment", "m2") // th-chat, an internal comment
    attach(w, "on-later-thread", "m4") // th-mail, not the visible (earliest) thread
    attach(w, "on-stray", "m0") // th-stray, an unconnected address
    attach(w, "on-message", "m3") // th-chat, a message: visible
    for (const id of ["on-comment", "on-later-thread", "on-stray"])
      expect(failure(await download(w, contact("p1"), id))._tag).toBe("AttachmentNotFound")
    expect(success(await download(w, contact("p1"), "on-message")).attachment.id).toBe("on-message")
  })
  it("an agent of the workspace downloads any file; an unknown agent id does not", async () => {
    const { w, id } = await world()
    attach(w, "on-comment", "m2")
    expect(success(await download(w, agent("u2"), "on-comment" as AttachmentId)).attachment.id).toBe("on-comment")
    expect(success(await download(w, agent("u1"), id)).attachment.id).toBe(id)
    expect(failure(await download(w, agent("u9"), id))._tag).toBe("AttachmentNotFound")
  })
  it("a file whose bytes are gone is AttachmentNotFound, not a crash", async () => {
    const { w } = await world()
    attach(w, "gone", "m3")
    w.state.blobs.delete("b/gone")
    expect(failure(await download(w, agent("u1"), "gone"))._tag).toBe("AttachmentNotFound")
  })
})
