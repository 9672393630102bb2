import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type InboxId, type ThreadHead, timeMs } from "../../src/domain/index.ts"
import { compareThreads, customerMessages, isThreadAllowed, visibleThread } from "../../src/rules/index.ts"
import * as A from "../support/Arbitraries.ts"

const inboxes = A.knownInboxes
const th = (id: string, channel: ThreadHead["channel"], inboxId: string | null, createdAt: string): ThreadHead => ({
  id: id as never,
  ticketId: "t1" as never,
  channel,
  inboxId: inboxId as InboxId | null,
  createdAt,
})

describe("P-COM-1 only threads on a connected inbox, on the customer channels", () => {
  it.each(["chat", "messenger", "form", "email"] as const)(
    "P-COM-1 a %s thread on an existing inbox is allowed",
    (channel) => {
      expect(isThreadAllowed(th("a", channel, "ib1", "2026-10-01T09:00:00Z"), inboxes)).toBe(true)
    },
  )
  it.each(["chat", "messenger", "form"] as const)("P-COM-1 a %s thread with no inbox is not", (channel) => {
    expect(isThreadAllowed(th("a", channel, null, "2026-10-01T09:00:00Z"), inboxes)).toBe(false)
  })
  it("P-COM-1 a thread on an inbox that no longer exists is not", () => {
    expect(isThreadAllowed(th("a", "chat", "ib-gone", "2026-10-01T09:00:00Z"), inboxes)).toBe(false)
  })
  it("P-COM-1 an unknown channel is not (data from a newer helpdesk)", () => {
    expect(isThreadAllowed({ channel: "whatsapp" as never, inboxId: "ib1" as InboxId }, inboxes)).toBe(false)
  })
  it("P-COM-1 accepts the known inboxes as a set of ids too", () => {
    expect(isThreadAllowed(th("a", "chat", "ib2", "2026-10-01T09:00:00Z"), new Set(["ib2"]))).toBe(true)
    expect(isThreadAllowed(th("a", "chat", "ib1", "2026-10-01T09:00:00Z"), new Set(["ib2"]))).toBe(false)
  })
})

describe("P-COM-2 email through an unconnected address never appears", () => {
  it("P-COM-2 an email thread with inboxId null is refused even when it is the only one", () => {
    expect(visibleThread([th("stray", "email", null, "2026-10-01T08:00:00Z")], inboxes)).toBeNull()
  })
  it("P-COM-2 the earliest thread is skipped when it is an unconnected email", () => {
    const chosen = visibleThread(
      [th("stray", "email", null, "2026-10-01T08:00:00Z"), th("mail", "email", "ib1", "2026-10-01T09:30:00Z")],
      inboxes,
    )
    expect(chosen?.id).toBe("mail")
  })
})

describe("P-COM-3 internal comments and notes never appear", () => {
  it("P-COM-3 comments are filtered out, messages kept in order", () => {
    const messages = [
      { id: "m1", kind: "message" as const },
      { id: "m2", kind: "comment" as const },
      { id: "m3", kind: "message" as const },
      { id: "m4", kind: "comment" as const },
    ]
    expect(customerMessages(messages).map((m) => m.id)).toEqual(["m1", "m3"])
  })
  it("P-COM-3 a thread of only comments shows no message", () => {
    expect(customerMessages([{ kind: "comment" as const }])).toEqual([])
  })
  it("P-COM-3 property: no comment ever passes and no message is dropped", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.nat(), kind: fc.constantFrom("message" as const, "comment" as const) })),
        (ms) => {
          const out = customerMessages(ms)
          expect(out.every((m) => m.kind === "message")).toBe(true)
          expect(out.length).toBe(ms.filter((m) => m.kind === "message").length)
        },
      ),
      A.RUNS,
    )
  })
})

describe("P-COM-4 only the original (earliest) allowed thread appears", () => {
  it("P-COM-4 times are compared as instants, not as strings", () => {
    // "10:00+01:00" is 09:00Z: earlier than 09:30Z although it sorts later as text.
    const chat = th("chat", "chat", "ib1", "2026-10-01T10:00:00+01:00")
    const mail = th("mail", "email", "ib1", "2026-10-01T09:30:00Z")
    expect(visibleThread([mail, chat], inboxes)?.id).toBe("chat")
    expect(visibleThread([chat, mail], inboxes)?.id).toBe("chat")
  })
  it("P-COM-4 ties on the same instant are broken by id", () => {
    const b = th("b", "chat", "ib1", "2026-10-01T09:00:00Z")
    const a = th("a", "form", "ib2", "2026-10-01T10:00:00+01:00")
    expect(visibleThread([b, a], inboxes)?.id).toBe("a")
    expect(compareThreads(a, b)).toBeLessThan(0)
    expect(compareThreads(a, a)).toBe(0)
  })
  it("P-COM-4 no thread at all: none (the ticket still opens, P-VIS-6)", () => {
    expect(visibleThread([], inboxes)).toBeNull()
  })
  it("P-COM-4 property: the choice is allowed, earliest, and independent of input order", () => {
    fc.assert(
      fc.property(A.threads, fc.infiniteStream(fc.nat()), (ts, seeds) => {
        const chosen = visibleThread(ts, inboxes)
        const allowed = ts.filter((t) => isThreadAllowed(t, inboxes))
        expect(chosen === null).toBe(allowed.length === 0)
        if (chosen === null) return
        expect(isThreadAllowed(chosen, inboxes)).toBe(true)
        expect(chosen.inboxId).not.toBeNull()
        for (const other of allowed) {
          const d = timeMs(other.createdAt) - timeMs(chosen.createdAt)
          expect(d > 0 || (d === 0 && other.id >= chosen.id)).toBe(true)
        }
        const shuffled = [...ts].sort(() => (seeds.next().value % 3) - 1)
        expect(visibleThread(shuffled, inboxes)?.id).toBe(chosen.id)
      }),
      A.RUNS,
    )
  })
})
