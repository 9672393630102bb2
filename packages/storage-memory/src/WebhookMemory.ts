/**
 * WebhookStore in memory: the same rules as on SQL (stores/WebhookStore.ts). `commit` is one state
 * swap (cursor check, deliveries, new cursor: all-or-nothing); a claimed delivery is "sending"
 * until its lease ends, so a second worker on the same state skips it.
 */
import type { WebhookDelivery, WebhookEndpoint, WebhookStoreShape } from "@portal/core/ports"
import { abort, copy, type MemoryDb, type MemoryState, read, write } from "./State.ts"

type Row = MemoryState["webhookDeliveries"][number]

const cursorKey = (consumer: string, workspaceId: string) => JSON.stringify([consumer, workspaceId])

const publicOf = ({ dueMs, ...d }: Row): WebhookDelivery =>
  copy({ ...d, nextAttemptMs: d.status === "pending" ? dueMs : null })

/** The state with the workspace's endpoint `id` replaced (ids are unique per workspace only). */
const mapEndpoint = (
  s: MemoryState,
  workspaceId: string,
  id: string,
  f: (e: WebhookEndpoint) => WebhookEndpoint,
): MemoryState => ({
  ...s,
  webhooks: s.webhooks.map((e) => (e.workspaceId === workspaceId && e.id === id ? f(e) : e)),
})

export const webhookStore = (db: MemoryDb): WebhookStoreShape => ({
  list: (workspaceId) =>
    read(db, (s) =>
      copy(
        s.webhooks
          .filter((e) => e.workspaceId === workspaceId)
          .sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1)),
      ),
    ),
  create: (endpoint) =>
    write(db, "webhooks.create", (s) => {
      if (!s.workspaces.has(endpoint.workspaceId)) abort(`workspace "${endpoint.workspaceId}" does not exist`)
      const created: WebhookEndpoint = {
        ...copy(endpoint),
        enabled: true,
        failingSinceMs: null,
        disabledAtMs: null,
        startSequence: s.sequences.get(endpoint.workspaceId) ?? 0,
      }
      return [copy(created), { ...s, webhooks: [...s.webhooks, created] }]
    }),
  update: (workspaceId, id, patch) =>
    write(db, "webhooks.update", (s) => {
      const found = s.webhooks.find((e) => e.workspaceId === workspaceId && e.id === id)
      if (found === undefined) return [null, s]
      const next: WebhookEndpoint = {
        ...found,
        ...(patch.url === undefined ? {} : { url: patch.url }),
        ...(patch.events === undefined ? {} : { events: [...patch.events] }),
        ...(patch.secret === undefined ? {} : { secret: patch.secret }),
        ...(patch.enabled === undefined
          ? {}
          : patch.enabled
            ? { enabled: true, failingSinceMs: null, disabledAtMs: null }
            : { enabled: false }),
      }
      return [copy(next), mapEndpoint(s, workspaceId, id, () => next)]
    }),
  remove: (workspaceId, id) =>
    write(db, "webhooks.remove", (s) => {
      if (!s.webhooks.some((e) => e.workspaceId === workspaceId && e.id === id)) return [false, s]
      return [
        true,
        {
          ...s,
          webhooks: s.webhooks.filter((e) => !(e.workspaceId === workspaceId && e.id === id)),
          webhookDeliveries: s.webhookDeliveries.filter((d) => !(d.workspaceId === workspaceId && d.endpointId === id)),
        },
      ]
    }),
  commit: (consumer, workspaceId, from, to, deliveries, nowMs) =>
    write<{ readonly advanced: boolean; readonly inserted: number }>(db, "webhooks.commit", (s) => {
      const key = cursorKey(consumer, workspaceId)
      if ((s.cursors.get(key) ?? 0) !== from) return [{ advanced: false, inserted: 0 }, s]
      let rows = s.webhookDeliveries
      let seq = rows.reduce((max, d) => Math.max(max, d.seq), 0)
      let inserted = 0
      for (const d of deliveries) {
        const taken = rows.some(
          (o) => o.workspaceId === workspaceId && o.endpointId === d.endpointId && o.eventId === d.eventId,
        )
        if (taken || !s.webhooks.some((e) => e.workspaceId === workspaceId && e.id === d.endpointId)) continue
        seq++
        inserted++
        rows = [
          ...rows,
          {
            ...copy(d),
            workspaceId,
            seq,
            status: "pending",
            attempts: 0,
            lastStatus: null,
            lastError: null,
            nextAttemptMs: nowMs,
            createdMs: nowMs,
            deliveredMs: null,
            dueMs: nowMs,
          },
        ]
      }
      return [
        { advanced: true, inserted },
        { ...s, webhookDeliveries: rows, cursors: new Map(s.cursors).set(key, to) },
      ]
    }),
  claim: (nowMs, leaseMs, limit) =>
    write(db, "webhooks.claim", (s) => {
      const endpoints = new Map(s.webhooks.filter((e) => e.enabled).map((e) => [`${e.workspaceId}\n${e.id}`, e]))
      const due = s.webhookDeliveries
        .filter(
          (d) =>
            (d.status === "pending" || d.status === "sending") &&
            d.dueMs <= nowMs &&
            endpoints.has(`${d.workspaceId}\n${d.endpointId}`),
        )
        .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)
        .slice(0, limit)
      const ids = new Set(due.map((d) => d.id))
      const rows = s.webhookDeliveries.map((d) =>
        ids.has(d.id) ? { ...d, status: "sending" as const, attempts: d.attempts + 1, dueMs: nowMs + leaseMs } : d,
      )
      const claimed = rows
        .filter((d) => ids.has(d.id))
        .map((d) => {
          const e = endpoints.get(`${d.workspaceId}\n${d.endpointId}`) as WebhookEndpoint
          return { ...publicOf(d), url: e.url, secret: e.secret, failingSinceMs: e.failingSinceMs }
        })
      return [claimed, { ...s, webhookDeliveries: rows }]
    }),
  markDelivered: (id, status, nowMs) =>
    write(db, "webhooks.markDelivered", (s) => {
      const d = s.webhookDeliveries.find((x) => x.id === id)
      if (d === undefined) return [undefined, s]
      return [
        undefined,
        {
          ...mapEndpoint(s, d.workspaceId, d.endpointId, (e) => ({ ...e, failingSinceMs: null })),
          webhookDeliveries: s.webhookDeliveries.map((x) =>
            x.id === id
              ? { ...x, status: "delivered" as const, lastStatus: status, lastError: null, deliveredMs: nowMs }
              : x,
          ),
        },
      ]
    }),
  markFailed: (id, f) =>
    write(db, "webhooks.markFailed", (s) => {
      const d = s.webhookDeliveries.find((x) => x.id === id)
      if (d === undefined) return [undefined, s]
      return [
        undefined,
        {
          ...mapEndpoint(s, d.workspaceId, d.endpointId, (e) => ({
            ...e,
            failingSinceMs: e.failingSinceMs ?? f.nowMs,
            ...(f.disable && e.enabled ? { enabled: false, disabledAtMs: f.nowMs } : {}),
          })),
          webhookDeliveries: s.webhookDeliveries.map((x) =>
            x.id === id
              ? {
                  ...x,
                  status: f.retryAtMs === null ? ("failed" as const) : ("pending" as const),
                  lastStatus: f.status,
                  lastError: f.error,
                  dueMs: f.retryAtMs ?? x.dueMs,
                }
              : x,
          ),
        },
      ]
    }),
  deliveries: (workspaceId, endpointId, page) =>
    read(db, (s) =>
      s.webhookDeliveries
        .filter(
          (d) =>
            d.workspaceId === workspaceId &&
            d.endpointId === endpointId &&
            (page.beforeSeq === undefined || d.seq < page.beforeSeq),
        )
        .sort((a, b) => b.seq - a.seq)
        .slice(0, page.limit)
        .map(publicOf),
    ),
  resend: (workspaceId, id, nowMs) =>
    write(db, "webhooks.resend", (s) => {
      const d = s.webhookDeliveries.find((x) => x.workspaceId === workspaceId && x.id === id)
      if (d === undefined) return [null, s]
      const next: Row = { ...d, status: "pending", attempts: 0, dueMs: nowMs, deliveredMs: null }
      return [publicOf(next), { ...s, webhookDeliveries: s.webhookDeliveries.map((x) => (x.id === id ? next : x)) }]
    }),
})
