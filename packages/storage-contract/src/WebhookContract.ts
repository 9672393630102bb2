/**
 * WebhookStore (P-HOOK-1): endpoints start at the stream's head; the consumer's compare-and-set
 * commit writes each (endpoint, event) delivery once; claims skip disabled endpoints, are leased
 * and never shared; failures set the endpoint's failing time (a success clears it) and can
 * disable it; the log pages newest first; "send again" keeps the delivery's id; the document
 * carries the endpoints (export → import → export).
 */
import type { WorkspaceId } from "@portal/core/domain"
import { type NewWebhookDelivery, TicketStore, WebhookStore, type WebhookStoreShape } from "@portal/core/ports"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import { exportDoc, importDoc } from "./Documents.ts"
import { fixtures, message, replyTo } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const SECRET = `whsec_${"A".repeat(43)}=`

const delivery = (endpointId: string, eventId: string): NewWebhookDelivery => ({
  id: `msg_${endpointId}_${eventId}`,
  endpointId,
  eventId,
  type: "message.customer",
  payload: { type: "message.customer", timestamp: "2026-12-05T00:00:00Z", data: { ticketId: "t1", text: "日本語 ✓" } },
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "WebhookStore", makeLayer, options, (h) => {
    const f = fixtures(h, "hooks")
    const hooks = <A, E>(f: (s: WebhookStoreShape) => Effect.Effect<A, E>) => h.run(use(WebhookStore, f))
    const consumer = () => `test-${h.nonce}-${Math.random().toString(36).slice(2, 8)}`
    const endpoint = (ws: WorkspaceId, id: string, createdMs = 1) =>
      hooks((s) =>
        s.create({
          id: `${id}-${h.nonce}`,
          workspaceId: ws,
          url: `https://hooks.example.test/${id}`,
          events: ["message.customer", "ticket.closed"],
          secret: SECRET,
          createdMs,
        }),
      )
    const mine = async (ws: WorkspaceId, now: number, limit = 100) =>
      (await hooks((s) => s.claim(now, 1000, limit))).filter((d) => d.workspaceId === ws)

    h.test("P-HOOK-1: an endpoint starts at the stream's head, enabled; update, re-enable and delete", async () => {
      const ws = (await f.workspace()).id
      await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message("wh1"), "k-wh1", "e-wh1"))))
      const head = await h.run(use(TicketStore, (s) => s.lastEventSequence(ws)))
      const e = await endpoint(ws, "a")
      expect(e).toMatchObject({ workspaceId: ws, enabled: true, failingSinceMs: null, startSequence: head })
      expect(await hooks((s) => s.list(ws))).toEqual([e])
      const off = await hooks((s) => s.update(ws, e.id, { enabled: false, events: ["ticket.rated"] }))
      expect(off).toMatchObject({ enabled: false, events: ["ticket.rated"], url: e.url })
      expect(await hooks((s) => s.update("other" as WorkspaceId, e.id, { enabled: true }))).toBeNull()
      expect(await hooks((s) => s.remove("other" as WorkspaceId, e.id))).toBe(false)
      expect(await hooks((s) => s.remove(ws, e.id))).toBe(true)
      expect(await hooks((s) => s.list(ws))).toEqual([])
    })

    h.test("P-HOOK-1: commit writes once per (endpoint, event); a stale cursor writes nothing", async () => {
      const ws = (await f.workspace()).id
      const a = await endpoint(ws, "a")
      const b = await endpoint(ws, "b", 2)
      const c = consumer()
      const before = await h.counts(ws)
      const first = await hooks((s) =>
        s.commit(c, ws, 0, 2, [delivery(a.id, "e1"), delivery(a.id, "e1"), delivery(b.id, "e1")], 1000),
      )
      expect(first).toEqual({ advanced: true, inserted: 2 })
      // Read around the adapter: exactly two rows were written, nothing else.
      expectCounts(before, await h.counts(ws), { webhook_deliveries: 2 })
      expect(await hooks((s) => s.commit(c, ws, 0, 2, [delivery(a.id, "e2")], 1000))).toEqual({
        advanced: false,
        inserted: 0,
      })
      // Again from a later batch: ignored; an unknown endpoint's delivery is skipped.
      const later = await hooks((s) =>
        s.commit(c, ws, 2, 3, [delivery(a.id, "e1"), delivery(a.id, "e2"), delivery("gone", "e2")], 1000),
      )
      expect(later).toEqual({ advanced: true, inserted: 1 })
      const log = await hooks((s) => s.deliveries(ws, a.id, { limit: 10 }))
      expect(log.map((d) => [d.id, d.eventId, d.status, d.attempts, d.nextAttemptMs])).toEqual([
        [`msg_${a.id}_e2`, "e2", "pending", 0, 1000],
        [`msg_${a.id}_e1`, "e1", "pending", 0, 1000],
      ])
      expect(log[1]?.payload).toEqual(delivery(a.id, "e1").payload)
      // Paging: newest first, then before the last seen.
      const [newest] = await hooks((s) => s.deliveries(ws, a.id, { limit: 1 }))
      const older = await hooks((s) => s.deliveries(ws, a.id, { limit: 10, beforeSeq: newest?.seq }))
      expect(older.map((d) => d.eventId)).toEqual(["e1"])
    })

    h.test("P-HOOK-1: claims are leased and never shared; a disabled endpoint's deliveries wait", async () => {
      const ws = (await f.workspace()).id
      const a = await endpoint(ws, "a")
      await hooks((s) =>
        s.commit(
          consumer(),
          ws,
          0,
          1,
          [1, 2, 3, 4, 5, 6].map((i) => delivery(a.id, `c${i}`)),
          0,
        ),
      )
      const [x, y] = await Promise.all([mine(ws, 10, 3), mine(ws, 10, 3)])
      const ids = [...(x ?? []), ...(y ?? [])].map((d) => d.id)
      expect(new Set(ids).size).toBe(ids.length)
      const claimed = (x ?? [])[0]
      expect(claimed).toMatchObject({ status: "sending", attempts: 1, url: a.url, secret: SECRET })
      // The lease holds; after it, another worker takes them again.
      await hooks((s) => s.update(ws, a.id, { enabled: false }))
      expect(await mine(ws, 5000)).toEqual([])
      await hooks((s) => s.update(ws, a.id, { enabled: true }))
      expect((await mine(ws, 5000)).length).toBe(6)
    })

    h.test(
      "P-HOOK-1: a failure sets the failing time and the retry; a success clears it; disable and resend",
      async () => {
        const ws = (await f.workspace()).id
        const a = await endpoint(ws, "a")
        await hooks((s) => s.commit(consumer(), ws, 0, 1, [delivery(a.id, "f1"), delivery(a.id, "f2")], 0))
        const [d1, d2] = await mine(ws, 10)
        await hooks((s) =>
          s.markFailed(d1?.id ?? "", { status: 500, error: "HTTP 500", retryAtMs: 5000, nowMs: 10, disable: false }),
        )
        expect((await hooks((s) => s.list(ws)))[0]).toMatchObject({ failingSinceMs: 10, enabled: true })
        await hooks((s) =>
          s.markFailed(d2?.id ?? "", { status: null, error: "timeout", retryAtMs: null, nowMs: 20, disable: false }),
        )
        // The failing time is the first failure's.
        expect((await hooks((s) => s.list(ws)))[0]).toMatchObject({ failingSinceMs: 10 })
        expect(await mine(ws, 4999)).toEqual([])
        const [again] = await mine(ws, 5000)
        expect(again).toMatchObject({ id: d1?.id, attempts: 2, lastStatus: 500, lastError: "HTTP 500" })
        await hooks((s) => s.markDelivered(again?.id ?? "", 204, 5001))
        expect((await hooks((s) => s.list(ws)))[0]).toMatchObject({ failingSinceMs: null })
        const log = await hooks((s) => s.deliveries(ws, a.id, { limit: 10 }))
        expect(log.map((d) => [d.eventId, d.status, d.lastStatus, d.deliveredMs])).toEqual([
          ["f2", "failed", null, null],
          ["f1", "delivered", 204, 5001],
        ])
        // Send again: the same id, pending now, from attempt 0; another workspace cannot.
        expect(await hooks((s) => s.resend("other" as WorkspaceId, d2?.id ?? "", 6000))).toBeNull()
        const queued = await hooks((s) => s.resend(ws, d2?.id ?? "", 6000))
        expect(queued).toMatchObject({ id: d2?.id, status: "pending", attempts: 0, nextAttemptMs: 6000 })
        const [retried] = await mine(ws, 6000)
        expect(retried).toMatchObject({ id: d2?.id, attempts: 1 })
        // Failing for long enough: the core says disable; the endpoint is off and marked.
        await hooks((s) =>
          s.markFailed(retried?.id ?? "", {
            status: 503,
            error: "HTTP 503",
            retryAtMs: 9000,
            nowMs: 7000,
            disable: true,
          }),
        )
        expect((await hooks((s) => s.list(ws)))[0]).toMatchObject({
          enabled: false,
          disabledAtMs: 7000,
          failingSinceMs: 7000,
        })
        expect(await mine(ws, 99_999)).toEqual([])
        const on = await hooks((s) => s.update(ws, a.id, { enabled: true }))
        expect(on).toMatchObject({ enabled: true, disabledAtMs: null, failingSinceMs: null })
        expect((await mine(ws, 99_999)).map((d) => d.id)).toEqual([d2?.id])
        // Deleting the endpoint deletes its log (read around the adapter too).
        const before = await h.counts(ws)
        await hooks((s) => s.remove(ws, a.id))
        expectCounts(before, await h.counts(ws), { webhook_endpoints: -1, webhook_deliveries: -2 })
        expect(await hooks((s) => s.deliveries(ws, a.id, { limit: 10 }))).toEqual([])
      },
    )

    h.test("P-HOOK-1, P-DATA-1: export writes the endpoints with their secrets; import restores them", async () => {
      const doc = await f.workspace()
      const ws = doc.id
      const a = await endpoint(ws, "a", 1)
      const b = await endpoint(ws, "b", 2)
      const exported = Option.getOrThrow(await h.run(exportDoc(ws)))
      expect(exported.webhooks).toEqual([
        { id: a.id, url: a.url, events: a.events, secret: SECRET },
        { id: b.id, url: b.url, events: b.events, secret: SECRET },
      ])
      await hooks((s) => s.remove(ws, a.id))
      await h.run(Effect.asVoid(importDoc(exported)))
      const again = Option.getOrThrow(await h.run(exportDoc(ws)))
      expect(again.webhooks).toEqual(exported.webhooks)
      const head = await h.run(use(TicketStore, (s) => s.lastEventSequence(ws)))
      expect((await hooks((s) => s.list(ws))).map((e) => [e.id, e.enabled, e.startSequence])).toEqual([
        [a.id, true, head],
        [b.id, true, b.startSequence],
      ])
      // A document without webhooks removes them.
      const { webhooks: _, ...without } = exported
      await h.run(Effect.asVoid(importDoc(without)))
      expect(await hooks((s) => s.list(ws))).toEqual([])
      expect(Option.getOrThrow(await h.run(exportDoc(ws))).webhooks).toBeUndefined()
    })
  })
