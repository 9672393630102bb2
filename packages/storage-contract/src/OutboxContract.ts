/**
 * OutboxStore (P-NOT-3): the consumer's compare-and-set commit (mails and cursor together, once),
 * the unique (event, contact, kind) key, claims that two workers never share, leases that expire,
 * retries and giving up.
 */
import { type NewOutboxMail, OutboxStore, TicketStore } from "@portal/core/ports"
import { expect } from "vitest"
import { fixtures, message, replyTo } from "./Fixtures.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const mail = (eventId: string, contactId = "p1", kind: NewOutboxMail["kind"] = "agentMessage"): NewOutboxMail => ({
  eventId,
  ticketId: "t1" as never,
  contactId: contactId as never,
  kind,
  content: {
    to: `${contactId}@example.test`,
    subject: `s ${eventId}`,
    text: "t",
    html: "<p>t</p>",
    headers: { "Message-ID": `<${eventId}@x>` },
  },
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "OutboxStore", makeLayer, options, (h) => {
    const f = fixtures(h, "outbox")
    const consumer = () => `test-${h.nonce}-${Math.random().toString(36).slice(2, 8)}`

    h.test(
      "P-NOT-3: a workspace with events past the cursor is in the backlog until the cursor reaches its head",
      async () => {
        const ws = (await f.workspace()).id
        const c = consumer()
        await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message("ob1"), "k-ob1", "e-ob1"))))
        const backlog = (await h.run(use(OutboxStore, (s) => s.backlog(c)))).find((b) => b.workspaceId === ws)
        expect(backlog).toMatchObject({ workspaceId: ws, cursor: 0 })
        const head = backlog?.head ?? 0
        expect(head).toBeGreaterThan(0)
        expect(await h.run(use(OutboxStore, (s) => s.commit(c, ws, 0, head, [], 1000)))).toEqual({
          advanced: true,
          inserted: 0,
        })
        expect((await h.run(use(OutboxStore, (s) => s.backlog(c)))).some((b) => b.workspaceId === ws)).toBe(false)
      },
    )

    h.test("P-NOT-3: commit writes once: a stale cursor writes nothing, a repeated mail is ignored", async () => {
      const ws = (await f.workspace()).id
      const c = consumer()
      const first = await h.run(use(OutboxStore, (s) => s.commit(c, ws, 0, 2, [mail("e1"), mail("e1")], 1000)))
      expect(first).toEqual({ advanced: true, inserted: 1 })
      // A second process that read from 0 too: the cursor moved, nothing is written.
      const stale = await h.run(use(OutboxStore, (s) => s.commit(c, ws, 0, 2, [mail("e1"), mail("e2")], 1000)))
      expect(stale).toEqual({ advanced: false, inserted: 0 })
      // The same mail again from a later batch is ignored; another contact or kind is another mail.
      const later = await h.run(
        use(OutboxStore, (s) =>
          s.commit(c, ws, 2, 3, [mail("e1"), mail("e1", "p2"), mail("e1", "p1", "closed")], 1000),
        ),
      )
      expect(later).toEqual({ advanced: true, inserted: 2 })
      const rows = await h.run(use(OutboxStore, (s) => s.list(ws, 10)))
      expect(rows.map((r) => [r.eventId, r.contactId, r.kind, r.status, r.attempts])).toEqual([
        ["e1", "p1", "closed", "pending", 0],
        ["e1", "p2", "agentMessage", "pending", 0],
        ["e1", "p1", "agentMessage", "pending", 0],
      ])
      expect(rows[2]?.content).toEqual(mail("e1").content)
    })

    h.test(
      "P-NOT-3: a claimed mail is leased: not claimed again until the lease ends; sent mail never again",
      async () => {
        const ws = (await f.workspace()).id
        await h.run(use(OutboxStore, (s) => s.commit(consumer(), ws, 0, 1, [mail(`lease-${h.nonce}`)], 0)))
        const mine = async (now: number) =>
          (await h.run(use(OutboxStore, (s) => s.claim(now, 1000, 100)))).filter((m) => m.workspaceId === ws)
        const [claimed] = await mine(10)
        expect(claimed).toMatchObject({ status: "sending", attempts: 1 })
        expect(await mine(20)).toEqual([])
        // The process died: after the lease another worker takes it.
        const [again] = await mine(2000)
        expect(again).toMatchObject({ id: claimed?.id, attempts: 2 })
        await h.run(use(OutboxStore, (s) => s.markSent(claimed?.id ?? "", 2100)))
        expect(await mine(999_999_999)).toEqual([])
        const [row] = await h.run(use(OutboxStore, (s) => s.list(ws, 1)))
        expect(row).toMatchObject({ status: "sent", sentMs: 2100, lastError: null })
      },
    )

    h.test(
      "P-NOT-3: a failed send is pending again from its retry time; given up it is 'failed' for good",
      async () => {
        const ws = (await f.workspace()).id
        await h.run(use(OutboxStore, (s) => s.commit(consumer(), ws, 0, 1, [mail(`retry-${h.nonce}`)], 0)))
        const mine = async (now: number) =>
          (await h.run(use(OutboxStore, (s) => s.claim(now, 1000, 100)))).filter((m) => m.workspaceId === ws)
        const [a] = await mine(10)
        await h.run(use(OutboxStore, (s) => s.markFailed(a?.id ?? "", "connection refused", 5000)))
        expect(await mine(4999)).toEqual([])
        const [b] = await mine(5000)
        expect(b).toMatchObject({ attempts: 2, lastError: "connection refused" })
        await h.run(use(OutboxStore, (s) => s.markFailed(b?.id ?? "", "still refused", null)))
        expect(await mine(999_999_999)).toEqual([])
        const [row] = await h.run(use(OutboxStore, (s) => s.list(ws, 1)))
        expect(row).toMatchObject({ status: "failed", attempts: 2, lastError: "still refused" })
      },
    )
  })
