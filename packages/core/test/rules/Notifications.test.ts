import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ContactId } from "../../src/domain/index.ts"
import { type NotificationInput, notificationsFor } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const ken = { id: "p1" as ContactId, unsubscribed: false }
const base: NotificationInput = {
  event: { kind: "reply", messageId: "m1" },
  shownMessage: { authorType: "agent", channel: "email" },
  ticketClosed: false,
  requester: ken,
  participants: [],
  settings: undefined,
}
const kinds = (input: Partial<NotificationInput>) => notificationsFor({ ...base, ...input })

describe("which events mail whom (rules/Notifications)", () => {
  it("P-NOT-1: an agent's message the portal shows mails the requester, whatever path wrote it", () => {
    for (const kind of ["reply", "message.agent"])
      expect(kinds({ event: { kind, messageId: "m1" } })).toEqual([{ kind: "agentMessage", contactId: "p1" }])
  })

  it("P-NOT-1, P-COM-3, P-COM-4: a comment, a note or a message on a hidden thread (not shown) mails nobody", () => {
    expect(kinds({ shownMessage: null })).toEqual([])
    expect(kinds({ event: { kind: "message.agent", messageId: "c1" }, shownMessage: null })).toEqual([])
    expect(kinds({ event: { kind: "note.added", messageId: null }, shownMessage: null })).toEqual([])
  })

  it("P-NOT-1: a customer's own message mails nobody", () => {
    expect(kinds({ shownMessage: { authorType: "contact", channel: "email" } })).toEqual([])
    expect(
      kinds({
        event: { kind: "message.customer", messageId: "m" },
        shownMessage: { authorType: "contact", channel: "chat" },
      }),
    ).toEqual([])
  })

  it("P-NOT-2: a support-form ticket sends the confirmation; a ticket an integration created on another channel does not", () => {
    const created = { kind: "ticketCreated", messageId: "m1" }
    expect(kinds({ event: created, shownMessage: { authorType: "contact", channel: "form" } })).toEqual([
      { kind: "formConfirmation", contactId: "p1" },
    ])
    expect(kinds({ event: created, shownMessage: { authorType: "contact", channel: "email" } })).toEqual([])
    expect(kinds({ event: { kind: "ticketCreated", messageId: null }, shownMessage: null })).toEqual([])
  })

  it("P-NOT-2: an agent or integration closing the ticket sends 'closed'; a customer closing it does not", () => {
    for (const kind of ["stageChanged", "ticket.stageChanged", "ticket.closed"])
      expect(kinds({ event: { kind, messageId: null }, shownMessage: null, ticketClosed: true })).toEqual([
        { kind: "closed", contactId: "p1" },
      ])
    expect(
      kinds({ event: { kind: "stageChanged", messageId: null }, shownMessage: null, ticketClosed: false }),
    ).toEqual([])
    expect(kinds({ event: { kind: "close", messageId: null }, shownMessage: null, ticketClosed: true })).toEqual([])
  })

  it("P-NOT-3: an unsubscribed contact gets nothing; a kind switched off in the settings mails nobody", () => {
    expect(kinds({ requester: { ...ken, unsubscribed: true } })).toEqual([])
    expect(kinds({ settings: { agentMessage: false, formConfirmation: true, closed: true } })).toEqual([])
    expect(kinds({ requester: null })).toEqual([])
  })

  it("P-NOT-4: participants get the same emails as the requester, each once, unsubscribed ones none", () => {
    const a = { id: "p2" as ContactId, unsubscribed: false }
    const b = { id: "p3" as ContactId, unsubscribed: true }
    expect(kinds({ participants: [a, b, ken, a] })).toEqual([
      { kind: "agentMessage", contactId: "p1" },
      { kind: "agentMessage", contactId: "p2" },
    ])
  })

  it("P-NOT-1..4: never a mail to an unsubscribed contact, never twice to one contact, whatever the event (property)", () => {
    const recipient = fc.record({
      id: fc.constantFrom("p1", "p2", "p3").map((s) => s as ContactId),
      unsubscribed: fc.boolean(),
    })
    fc.assert(
      fc.property(
        fc.constantFrom("reply", "close", "ticketCreated", "ticketUpdated", "stageChanged", "message.agent", "x"),
        fc.option(
          fc.record({
            authorType: fc.constantFrom("contact" as const, "agent" as const),
            channel: fc.constantFrom("email" as const, "form" as const, "chat" as const),
          }),
          { nil: null },
        ),
        fc.boolean(),
        fc.option(recipient, { nil: null }),
        fc.array(recipient, { maxLength: 4 }),
        (kind, shownMessage, ticketClosed, requester, participants) => {
          const out = notificationsFor({
            event: { kind, messageId: "m" },
            shownMessage,
            ticketClosed,
            requester,
            participants,
            settings: undefined,
          })
          const all = [...(requester ? [requester] : []), ...participants]
          for (const p of out) expect(all.some((r) => r.id === p.contactId && !r.unsubscribed)).toBe(true)
          expect(new Set(out.map((p) => p.contactId)).size).toBe(out.length)
          if (shownMessage === null && !ticketClosed) expect(out).toEqual([])
        },
      ),
      RUNS,
    )
  })
})
