import { describe, expect, it } from "vitest"
import type { TicketId } from "../../src/domain/index.ts"
import { ValidationFailed } from "../../src/ports/index.ts"
import {
  displayFileName,
  getTicket,
  MIB,
  REPLY_MAX_FILE_BYTES,
  REPLY_MAX_FILES,
  REPLY_MAX_TEXT_LENGTH,
  REPLY_MAX_TOTAL_BYTES,
  type ReplyInput,
  reply,
  type UploadedFile,
} from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { expectCoded } from "../support/Issues.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const file = (name: string, size: number, contentType = "application/pdf"): UploadedFile => ({
  name,
  contentType,
  bytes: new Uint8Array(size),
})
const input = (edit: Partial<ReplyInput> = {}): ReplyInput => ({
  ticketId: "t1" as TicketId,
  text: "Thanks, here is the invoice",
  attachments: [],
  idempotencyKey: "key-1",
  ...edit,
})
const issuePaths = (e: unknown) => (e instanceof ValidationFailed ? expectCoded(e.issues).map((i) => i.path) : [])

describe("reply input limits (P-ACT-1)", () => {
  it.each([
    ["empty text and no file", input({ text: "  " }), ["text"]],
    ["text over 20,000 characters", input({ text: "x".repeat(REPLY_MAX_TEXT_LENGTH + 1) }), ["text"]],
    [
      "11 files",
      input({ attachments: Array.from({ length: REPLY_MAX_FILES + 1 }, (_, i) => file(`f${i}.txt`, 1)) }),
      ["attachments"],
    ],
    ["a file over 10 MiB", input({ attachments: [file("big.bin", REPLY_MAX_FILE_BYTES + 1)] }), ["attachments[0]"]],
    [
      "26 MiB in all",
      input({ attachments: [file("a", 9 * MIB), file("b", 9 * MIB), file("c", 8 * MIB)] }),
      ["attachments"],
    ],
    [
      "a nameless file with a bad type",
      input({ attachments: [file("/", 1, "pdf")] }),
      ["attachments[0].name", "attachments[0].contentType"],
    ],
    ["no idempotency key", input({ idempotencyKey: "" }), ["idempotencyKey"]],
  ])("P-ACT-1 refuses %s and writes nothing", async (_, bad, paths) => {
    const w = makeWorld(fixture())
    expect(issuePaths(failure(await w.run(reply(w.viewer("p1"), bad))))).toEqual(paths)
    expect(w.state.replies).toEqual([])
    expect(w.state.blobs.size).toBe(0)
  })
  it("P-ACT-1 the limits themselves are accepted: 20,000 characters, 10 files, 10 MiB each, 25 MiB in all", async () => {
    const w = makeWorld(fixture())
    const atLimit = [
      file("a", REPLY_MAX_FILE_BYTES),
      file("b", REPLY_MAX_FILE_BYTES),
      file("c", REPLY_MAX_TOTAL_BYTES - 2 * REPLY_MAX_FILE_BYTES),
    ]
    const files = [...atLimit, ...Array.from({ length: 7 }, (_, i) => file(`e${i}`, 0))]
    success(await w.run(reply(w.viewer("p1"), input({ text: "x".repeat(REPLY_MAX_TEXT_LENGTH), attachments: files }))))
    expect(w.state.blobs.size).toBe(10)
  })
  it("P-ACT-1 a file alone, without text, is a reply", async () => {
    const w = makeWorld(fixture())
    success(await w.run(reply(w.viewer("p1"), input({ text: "", attachments: [file("x.png", 3, "image/png")] }))))
    expect(w.state.replies).toHaveLength(1)
  })
  it("P-ACT-1 file names are display-only: path and control characters removed", () => {
    expect(displayFileName("C:\\Users\\ken\\invoice.pdf")).toBe("invoice.pdf")
    expect(displayFileName("../../etc/passwd")).toBe("passwd")
    expect(displayFileName("a\u0000b\nc.txt")).toBe("abc.txt")
  })
})

describe("reply (P-ACT-1, P-ACT-2, P-ACT-4, P-ACT-5)", () => {
  it("P-ACT-1 a reply with several files goes into the visible thread; bytes go to the blob store", async () => {
    const w = makeWorld(fixture())
    const result = success(
      await w.run(reply(w.viewer("p1"), input({ attachments: [file("a.pdf", 5), file("b.png", 7, "image/png")] }))),
    )
    expect(result).toMatchObject({ threadId: "th-chat", duplicate: false })
    const [command] = w.state.replies
    expect(command?.thread).toEqual({ _tag: "Existing", threadId: "th-chat" })
    expect(command?.message.author).toEqual({ type: "contact", id: "p1" })
    expect(command?.message.createdAt).toBe(w.state.now)
    expect(command?.eventId).toMatch(/^evt-/)
    expect(command?.message.attachments.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ["a.pdf", "application/pdf", 5],
      ["b.png", "image/png", 7],
    ])
    for (const a of command?.message.attachments ?? []) expect(w.state.blobs.get(a.blobKey)?.byteLength).toBe(a.size)
    expect(new Set(command?.message.attachments.map((a) => a.blobKey)).size).toBe(2)
  })
  it("P-ACT-4 a ticket with no thread gets a new email thread in the default inbox, then shows it", async () => {
    const w = makeWorld(fixture())
    success(await w.run(reply(w.viewer("p1"), input({ ticketId: "t6" as TicketId }))))
    expect(w.state.replies[0]?.thread).toMatchObject({ _tag: "New", inboxId: "ib1", channel: "email" })
    const detail = success(await w.run(getTicket(w.viewer("p1"), "t6" as TicketId)))
    expect(detail.messages.map((m) => m.text)).toEqual(["Thanks, here is the invoice"])
  })
  it("P-ACT-4 with no default inbox the reply is refused: no_default_inbox", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.defaultInboxId = null
      }),
    )
    const e = failure(
      await w.run(reply(w.viewer("p1"), input({ ticketId: "t6" as TicketId, attachments: [file("a", 1)] }))),
    )
    expect(e).toMatchObject({ _tag: "ActionNotAllowed", action: "reply", code: "no_default_inbox" })
    expect("reason" in e && e.reason).toMatch(/default inbox/)
    expect(w.state.blobs.size).toBe(0)
    expect(w.state.replies).toEqual([])
  })
  it("P-ACT-2 a closed ticket refuses replies unless allowed: closed_ticket_reply_disabled", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(reply(w.viewer("p2"), input({ ticketId: "t2" as TicketId }))))).toMatchObject({
      _tag: "ActionNotAllowed",
      action: "reply",
      code: "closed_ticket_reply_disabled",
      reason: "This ticket is closed. Replies to closed tickets are not allowed on this portal.",
    })
    expect(w.state.replies).toEqual([])
    const allowed = makeWorld(
      fixture((d) => {
        d.portal.actions.allowReplyToClosed = true
      }),
    )
    success(await allowed.run(reply(allowed.viewer("p2"), input({ ticketId: "t2" as TicketId }))))
    expect(allowed.state.replies).toHaveLength(1)
  })
  it("P-VIS-4 replying to an invisible ticket is TicketNotFound; nothing is stored", async () => {
    const w = makeWorld(fixture())
    expect(
      failure(await w.run(reply(w.viewer("p1"), input({ ticketId: "t4" as TicketId, attachments: [file("a", 1)] }))))
        ._tag,
    ).toBe("TicketNotFound")
    expect(w.state.blobs.size).toBe(0)
  })
  it("P-ACT-5 the same idempotency key again stores nothing new", async () => {
    const w = makeWorld(fixture())
    const first = success(await w.run(reply(w.viewer("p1"), input())))
    const again = success(await w.run(reply(w.viewer("p1"), input())))
    expect(again).toEqual({ ...first, duplicate: true })
    expect(w.state.replies).toHaveLength(1)
  })
})
