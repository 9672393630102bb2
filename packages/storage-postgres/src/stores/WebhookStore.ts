/**
 * WebhookStore on SQL (migration 13). `commit` locks the "webhooks" consumer's cursor row (or
 * inserts it) and writes only when the cursor is where the consumer read it, so two nodes racing
 * on the same events write each delivery once; the unique index on (workspace, endpoint, event)
 * makes a repeated insert a no-op besides. `claim` takes due rows of enabled endpoints with
 * `FOR UPDATE SKIP LOCKED` and leases them in the same statement, so two workers never hold the
 * same delivery. Rows are decoded with Schemas (Sql.ts).
 */
import type { WorkspaceId } from "@portal/core/domain"
import {
  type ClaimedWebhookDelivery,
  type WebhookDelivery,
  type WebhookEndpoint,
  WebhookStore,
  type WebhookStoreShape,
} from "@portal/core/ports"
import { WEBHOOK_EVENTS } from "@portal/core/rules"
import { Effect, Layer, Schema } from "effect"
import { Database } from "../Database.ts"
import type { Queryable } from "../Driver.ts"
import { Column, findAll, findOne } from "../Sql.ts"

const NullableInt8 = Schema.NullOr(Column.Int8)
const EventType = Schema.Literals(WEBHOOK_EVENTS)

const EndpointRow = Schema.Struct({
  workspace_id: Schema.String,
  endpoint_id: Schema.String,
  url: Schema.String,
  events: Schema.Array(EventType),
  secret: Schema.String,
  enabled: Schema.Boolean,
  failing_since_ms: NullableInt8,
  disabled_at_ms: NullableInt8,
  start_sequence: Column.Int8,
  created_ms: Column.Int8,
})

const ENDPOINT_COLUMNS =
  "workspace_id, endpoint_id, url, events, secret, enabled, failing_since_ms, disabled_at_ms, start_sequence, created_ms"

const endpointFrom = (r: typeof EndpointRow.Type): WebhookEndpoint => ({
  id: r.endpoint_id,
  workspaceId: r.workspace_id as WorkspaceId,
  url: r.url,
  events: r.events,
  secret: r.secret,
  enabled: r.enabled,
  failingSinceMs: r.failing_since_ms,
  disabledAtMs: r.disabled_at_ms,
  startSequence: r.start_sequence,
  createdMs: r.created_ms,
})

const DeliveryFields = {
  delivery_id: Schema.String,
  seq: Column.Int8,
  workspace_id: Schema.String,
  endpoint_id: Schema.String,
  event_id: Schema.String,
  type: EventType,
  payload: Schema.Unknown,
  status: Schema.Literals(["pending", "sending", "delivered", "failed"]),
  attempts: Schema.Finite,
  last_status: Schema.NullOr(Schema.Finite),
  last_error: Schema.NullOr(Schema.String),
  due_ms: Column.Int8,
  created_ms: Column.Int8,
  delivered_ms: NullableInt8,
}
const DeliveryRow = Schema.Struct(DeliveryFields)
const ClaimedRow = Schema.Struct({
  ...DeliveryFields,
  url: Schema.String,
  secret: Schema.String,
  failing_since_ms: NullableInt8,
})

const DELIVERY_COLUMNS = (p: string) =>
  [
    "delivery_id",
    "seq",
    "workspace_id",
    "endpoint_id",
    "event_id",
    "type",
    "payload",
    "status",
    "attempts",
    "last_status",
    "last_error",
    "due_ms",
    "created_ms",
    "delivered_ms",
  ]
    .map((c) => `${p}${c}`)
    .join(", ")

const deliveryFrom = (r: typeof DeliveryRow.Type): WebhookDelivery => ({
  id: r.delivery_id,
  seq: r.seq,
  workspaceId: r.workspace_id as WorkspaceId,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  type: r.type,
  payload: typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptMs: r.status === "pending" ? r.due_ms : null,
  createdMs: r.created_ms,
  deliveredMs: r.delivered_ms,
})

const Cursor = Schema.Struct({ sequence: Column.Int8 })
const Head = Schema.Struct({ event_sequence: Column.Int8 })

export const makeWebhookStore = Effect.gen(function* () {
  const db = yield* Database
  const store: WebhookStoreShape = {
    list: (workspaceId) =>
      db.run("WebhookStore.list", async (q) =>
        (
          await findAll(
            q,
            EndpointRow,
            `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY created_ms, endpoint_id`,
            [workspaceId],
          )
        ).map(endpointFrom),
      ),
    create: (e) =>
      db.transaction("WebhookStore.create", async (tx) => {
        const head = await findOne(tx, Head, "SELECT event_sequence FROM workspaces WHERE workspace_id = $1", [
          e.workspaceId,
        ])
        if (head === undefined) throw new Error(`workspace "${e.workspaceId}" does not exist`)
        const row = await findOne(
          tx,
          EndpointRow,
          `INSERT INTO webhook_endpoints (workspace_id, endpoint_id, url, events, secret, start_sequence, created_ms)
           VALUES ($1, $2, $3, $4::text[], $5, $6, $7) RETURNING ${ENDPOINT_COLUMNS}`,
          [e.workspaceId, e.id, e.url, e.events, e.secret, head.event_sequence, e.createdMs],
        )
        return endpointFrom(row as typeof EndpointRow.Type)
      }),
    update: (workspaceId, id, patch) =>
      db.run("WebhookStore.update", async (q) => {
        const row = await findOne(
          q,
          EndpointRow,
          `UPDATE webhook_endpoints SET url = coalesce($3, url), events = coalesce($4::text[], events),
             secret = coalesce($5, secret), enabled = coalesce($6, enabled),
             failing_since_ms = CASE WHEN $6 THEN NULL ELSE failing_since_ms END,
             disabled_at_ms = CASE WHEN $6 THEN NULL ELSE disabled_at_ms END
           WHERE workspace_id = $1 AND endpoint_id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
          [workspaceId, id, patch.url ?? null, patch.events ?? null, patch.secret ?? null, patch.enabled ?? null],
        )
        return row === undefined ? null : endpointFrom(row)
      }),
    remove: (workspaceId, id) =>
      db.run(
        "WebhookStore.remove",
        async (q) =>
          (
            await q.query("DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND endpoint_id = $2 RETURNING 1", [
              workspaceId,
              id,
            ])
          ).length > 0,
      ),
    commit: (consumer, workspaceId, from, to, deliveries, nowMs) =>
      db.transaction("WebhookStore.commit", async (tx) => {
        await tx.query(
          "INSERT INTO event_cursors (consumer, workspace_id, sequence) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
          [consumer, workspaceId],
        )
        const cursor = await findOne(
          tx,
          Cursor,
          "SELECT sequence FROM event_cursors WHERE consumer = $1 AND workspace_id = $2 FOR UPDATE",
          [consumer, workspaceId],
        )
        if (cursor === undefined || cursor.sequence !== from) return { advanced: false, inserted: 0 }
        let inserted = 0
        if (deliveries.length > 0) {
          // One statement; a delivery of an endpoint deleted meanwhile is skipped by the join.
          const rows = await tx.query(
            `INSERT INTO webhook_deliveries (delivery_id, workspace_id, endpoint_id, event_id, type, payload, due_ms, created_ms)
             SELECT d.id, $1, d.endpoint_id, d.event_id, d.type, d.payload::jsonb, $2, $2
             FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
               AS d(id, endpoint_id, event_id, type, payload)
             JOIN webhook_endpoints e ON e.workspace_id = $1 AND e.endpoint_id = d.endpoint_id
             ON CONFLICT DO NOTHING RETURNING 1`,
            [
              workspaceId,
              nowMs,
              deliveries.map((d) => d.id),
              deliveries.map((d) => d.endpointId),
              deliveries.map((d) => d.eventId),
              deliveries.map((d) => d.type),
              deliveries.map((d) => JSON.stringify(d.payload)),
            ],
          )
          inserted = rows.length
        }
        await tx.query("UPDATE event_cursors SET sequence = $3 WHERE consumer = $1 AND workspace_id = $2", [
          consumer,
          workspaceId,
          to,
        ])
        return { advanced: true, inserted }
      }),
    claim: (nowMs, leaseMs, limit) =>
      db.run("WebhookStore.claim", async (q) =>
        (
          await findAll(
            q,
            ClaimedRow,
            `UPDATE webhook_deliveries d SET status = 'sending', attempts = d.attempts + 1, due_ms = $2
             FROM (SELECT w.delivery_id FROM webhook_deliveries w
                   JOIN webhook_endpoints x ON x.workspace_id = w.workspace_id AND x.endpoint_id = w.endpoint_id
                   WHERE w.status IN ('pending', 'sending') AND w.due_ms <= $1 AND x.enabled
                   ORDER BY w.due_ms, w.seq LIMIT $3 FOR UPDATE OF w SKIP LOCKED) due,
                  webhook_endpoints e
             WHERE d.delivery_id = due.delivery_id AND e.workspace_id = d.workspace_id AND e.endpoint_id = d.endpoint_id
             RETURNING ${DELIVERY_COLUMNS("d.")}, e.url, e.secret, e.failing_since_ms`,
            [nowMs, nowMs + leaseMs, limit],
          )
        )
          .map(
            (r): ClaimedWebhookDelivery => ({
              ...deliveryFrom(r),
              url: r.url,
              secret: r.secret,
              failingSinceMs: r.failing_since_ms,
            }),
          )
          .sort((a, b) => a.seq - b.seq),
      ),
    markDelivered: (id, status, nowMs) =>
      db.transaction("WebhookStore.markDelivered", async (tx) => {
        await tx.query(
          `WITH d AS (UPDATE webhook_deliveries SET status = 'delivered', last_status = $2, last_error = NULL,
                        delivered_ms = $3 WHERE delivery_id = $1 RETURNING workspace_id, endpoint_id)
           UPDATE webhook_endpoints e SET failing_since_ms = NULL FROM d
           WHERE e.workspace_id = d.workspace_id AND e.endpoint_id = d.endpoint_id`,
          [id, status, nowMs],
        )
      }),
    markFailed: (id, f) =>
      db.transaction("WebhookStore.markFailed", async (tx) => {
        await tx.query(
          `WITH d AS (UPDATE webhook_deliveries SET
                        status = CASE WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END,
                        last_status = $2, last_error = $3, due_ms = coalesce($4::bigint, due_ms)
                      WHERE delivery_id = $1 RETURNING workspace_id, endpoint_id)
           UPDATE webhook_endpoints e SET failing_since_ms = coalesce(e.failing_since_ms, $5),
             enabled = CASE WHEN $6 THEN false ELSE e.enabled END,
             disabled_at_ms = CASE WHEN $6 AND e.enabled THEN $5 ELSE e.disabled_at_ms END
           FROM d WHERE e.workspace_id = d.workspace_id AND e.endpoint_id = d.endpoint_id`,
          [id, f.status, f.error, f.retryAtMs, f.nowMs, f.disable],
        )
      }),
    deliveries: (workspaceId, endpointId, page) =>
      db.run("WebhookStore.deliveries", async (q) =>
        (
          await findAll(
            q,
            DeliveryRow,
            `SELECT ${DELIVERY_COLUMNS("")} FROM webhook_deliveries
             WHERE workspace_id = $1 AND endpoint_id = $2 AND ($3::bigint IS NULL OR seq < $3)
             ORDER BY seq DESC LIMIT $4`,
            [workspaceId, endpointId, page.beforeSeq ?? null, page.limit],
          )
        ).map(deliveryFrom),
      ),
    resend: (workspaceId, id, nowMs) =>
      db.run("WebhookStore.resend", async (q) => {
        const row = await findOne(
          q,
          DeliveryRow,
          `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, due_ms = $3, delivered_ms = NULL
           WHERE workspace_id = $1 AND delivery_id = $2 RETURNING ${DELIVERY_COLUMNS("")}`,
          [workspaceId, id, nowMs],
        )
        return row === undefined ? null : deliveryFrom(row)
      }),
  }
  return store
})

export const layerWebhookStore = Layer.effect(WebhookStore, makeWebhookStore)

/** Import (P-HOOK-1, P-DATA-1): the document's endpoints replace the workspace's, in the caller's transaction. */
export const loadWebhooks = async (
  tx: Queryable,
  workspaceId: string,
  webhooks: ReadonlyArray<{ id: string; url: string; events: ReadonlyArray<string>; secret: string }>,
  nowMs: number,
) => {
  await tx.query("DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND NOT (endpoint_id = ANY($2::text[]))", [
    workspaceId,
    webhooks.map((w) => w.id),
  ])
  for (const [i, w] of webhooks.entries())
    await tx.query(
      `INSERT INTO webhook_endpoints (workspace_id, endpoint_id, url, events, secret, start_sequence, created_ms)
       SELECT $1, $2, $3, $4::text[], $5, event_sequence, $6 FROM workspaces WHERE workspace_id = $1
       ON CONFLICT (workspace_id, endpoint_id) DO UPDATE SET url = EXCLUDED.url, events = EXCLUDED.events,
         secret = EXCLUDED.secret, enabled = true, failing_since_ms = NULL, disabled_at_ms = NULL,
         created_ms = EXCLUDED.created_ms`,
      [workspaceId, w.id, w.url, w.events, w.secret, nowMs + i],
    )
}

/** Export: the workspace's endpoints in creation order, as the document keeps them. */
export const readWebhooks = async (tx: Queryable, workspaceId: string) =>
  (
    await findAll(
      tx,
      EndpointRow,
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY created_ms, endpoint_id`,
      [workspaceId],
    )
  ).map((r) => ({ id: r.endpoint_id, url: r.url, events: r.events, secret: r.secret }))
