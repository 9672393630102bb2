import { describe, expect, it } from "vitest"
import type { ContactId, TicketId, WorkspaceId } from "../../src/domain/index.ts"
import { replyAddress } from "../../src/rules/index.ts"
import { emailReplyRecipient, type InboundEmail, receiveEmailReply } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const SECRET = "core-test-secret-0123456789abcdef"
const KEN = "ken@globex.test"
const to = (ticketId: string, contactId = "p1", workspaceId = "acme") =>
  replyAddress(
    SECRET,
    {
      workspaceId: workspaceId as WorkspaceId,
      ticketId: ticketId as TicketId,
      contactId: contactId as ContactId,
    },
    "support.acme.test",
  )
const mail = (edit: Partial<InboundEmail> = {}): InboundEmail => ({
  recipient: to("t1"),
  envelopeSender: KEN,
  from: [KEN],
  body: "Thanks!\n\nOn Mon, Oct 5, 2026 Sato Hana <hana@acme.test> wrote:\n> Fixed.",
  attachments: [],
  messageKey: "<m1@globex.test>",
  ...edit,
})

describe("P-NOT-5 replies by email go through the portal's reply use-case", () => {
  it("P-NOT-5 the reply is the contact's message on the visible thread, without the quote", async () => {
    const w = makeWorld(fixture())
    success(await w.run(receiveEmailReply(SECRET, mail())))
    const [command] = w.state.replies
    expect(command?.message.author).toEqual({ type: "contact", id: "p1" })
    expect(command?.message.text).toBe("Thanks!")
    expect(command?.thread).toEqual({ _tag: "Existing", threadId: "th-chat" })
  })
  it("P-NOT-5 P-ACT-5 the same Message-ID to the same ticket is one message; to another ticket, another", async () => {
    const w = makeWorld(fixture())
    const first = success(await w.run(receiveEmailReply(SECRET, mail())))
    expect(success(await w.run(receiveEmailReply(SECRET, mail())))).toEqual({ ...first, duplicate: true })
    success(await w.run(receiveEmailReply(SECRET, mail({ recipient: to("t6") }))))
    expect(w.state.replies).toHaveLength(2)
  })
  it("P-NOT-5 P-VIS-4 a ticket the contact may not see, an unknown contact or workspace: unknown_recipient", async () => {
    const w = makeWorld(fixture())
    for (const recipient of [to("t4"), to("t5"), to("t1", "nobody"), to("t1", "p1", "other"), "ken@globex.test"])
      expect(failure(await w.run(emailReplyRecipient(SECRET, recipient, KEN)))).toMatchObject({
        _tag: "EmailReplyRefused",
        code: "unknown_recipient",
      })
    expect(w.state.replies).toEqual([])
  })
  it("P-NOT-5 another sender, in the envelope or the From header, or several From addresses: sender_mismatch", async () => {
    const w = makeWorld(fixture())
    for (const edit of [
      { envelopeSender: "mallory@evil.test" },
      { envelopeSender: "" },
      { from: ["mallory@evil.test"] },
      { from: [] },
      { from: [KEN, "mallory@evil.test"] },
    ])
      expect(failure(await w.run(receiveEmailReply(SECRET, mail(edit))))).toMatchObject({
        _tag: "EmailReplyRefused",
        code: "sender_mismatch",
      })
    expect(w.state.replies).toEqual([])
  })
  it("P-NOT-5 P-ACT-2 a closed ticket refuses the mail as it refuses the portal reply", async () => {
    const w = makeWorld(fixture())
    const mia = "mia@globex.test"
    expect(
      failure(
        await w.run(receiveEmailReply(SECRET, mail({ recipient: to("t2", "p2"), envelopeSender: mia, from: [mia] }))),
      ),
    ).toMatchObject({ _tag: "ActionNotAllowed", code: "closed_ticket_reply_disabled" })
    expect(w.state.replies).toEqual([])
  })
  it("P-NOT-5 P-EXT-5 where replies to closed tickets are on, a mail reopens the ticket into the pipeline's stage", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.actions.allowReplyToClosed = true
        Object.assign(d.portal.actions, { reopenStageByPipeline: { support: "waiting" } })
      }),
    )
    const mia = "mia@globex.test"
    success(
      await w.run(receiveEmailReply(SECRET, mail({ recipient: to("t2", "p2"), envelopeSender: mia, from: [mia] }))),
    )
    expect(w.state.replies[0]?.reopen?.stageId).toBe("waiting")
    expect(w.state.tickets.get("t2")?.stageId).toBe("waiting")
  })
  it("P-NOT-5 a mail that is only a quote is the portal's empty-reply refusal", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(receiveEmailReply(SECRET, mail({ body: "> only a quote" }))))).toMatchObject({
      _tag: "ValidationFailed",
    })
    expect(w.state.replies).toEqual([])
  })
})
