/**
 * OutboxStore on SQL (migration 10). `commit` locks the consumer's cursor row (or inserts it) and
 * writes only when the cursor is where the consumer read it, so two nodes racing on the same
 * events write their mails once; the unique index on (workspace, event, contact, kind) makes a
 * repeated insert a no-op besides. `claim` takes due rows with `FOR UPDATE SKIP LOCKED` and
 * leases them in the same statement, so two workers never hold the same mail.
 */
import { ContactId, TicketId, WorkspaceId } from "@portal/core/domain"
import { NOTIFICATION_KINDS, type OutboxMail, OutboxStore, type OutboxStoreShape } from "@portal/core/ports"
import { Effect, Layer, Schema } from "effect"
import { Database } from "../Database.ts"
import { toNumber } from "../Driver.ts"
import { Column, findAll } from "../Sql.ts"

const COLUMNS =
  "mail_id, workspace_id, event_id, ticket_id, contact_id, kind, content, status, attempts, last_error, created_ms, sent_ms"

/** The rendered mail as stored (jsonb; a string if a driver hands JSON text back). */
const Content = Schema.Struct({
  to: Schema.String,
  subject: Schema.String,
  text: Schema.String,
  html: Schema.String,
  headers: Schema.Record(Schema.String, Schema.String),
})
/** A row of COLUMNS. */
export const MailRow = Schema.Struct({
  mail_id: Column.Int8,
  workspace_id: WorkspaceId,
  event_id: Schema.String,
  ticket_id: TicketId,
  contact_id: ContactId,
  kind: Schema.Literals(NOTIFICATION_KINDS),
  content: Schema.Union([Content, Schema.fromJsonString(Content)]),
  status: Schema.Literals(["pending", "sending", "sent", "failed"]),
  attempts: Column.Int8,
  last_error: Column.NullableText,
  created_ms: Column.Int8,
  sent_ms: Schema.NullOr(Column.Int8),
})
const BacklogRow = Schema.Struct({ workspace_id: WorkspaceId, cursor: Column.Int8, head: Column.Int8 })

const mailFrom = (r: typeof MailRow.Type): OutboxMail => ({
  id: String(r.mail_id),
  workspaceId: r.workspace_id,
  eventId: r.event_id,
  ticketId: r.ticket_id,
  contactId: r.contact_id,
  kind: r.kind,
  content: r.content,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdMs: r.created_ms,
  sentMs: r.sent_ms,
})

export const makeOutboxStore = Effect.gen(function* () {
  const db = yield* Database
  const store: OutboxStoreShape = {
    backlog: (consumer) =>
      db.run("OutboxStore.backlog", async (q) =>
        (
          await findAll(
            q,
            BacklogRow,
            `SELECT w.workspace_id, coalesce(c.sequence, 0) AS cursor, w.event_sequence AS head
             FROM workspaces w LEFT JOIN event_cursors c ON c.consumer = $1 AND c.workspace_id = w.workspace_id
             WHERE w.event_sequence > coalesce(c.sequence, 0) ORDER BY w.workspace_id`,
            [consumer],
          )
        ).map((r) => ({ workspaceId: r.workspace_id, cursor: r.cursor, head: r.head })),
      ),
    commit: (consumer, workspaceId, from, to, mails, nowMs) =>
      db.transaction("OutboxStore.commit", async (tx) => {
        await tx.query(
          "INSERT INTO event_cursors (consumer, workspace_id, sequence) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
          [consumer, workspaceId],
        )
        const [cursor] = await tx.query(
          "SELECT sequence FROM event_cursors WHERE consumer = $1 AND workspace_id = $2 FOR UPDATE",
          [consumer, workspaceId],
        )
        if (cursor === undefined || toNumber(cursor.sequence) !== from) return { advanced: false, inserted: 0 }
        let inserted = 0
        for (const m of mails) {
          const rows = await tx.query(
            `INSERT INTO outbox_mails (workspace_id, event_id, contact_id, kind, ticket_id, content, due_ms, created_ms)
             VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7) ON CONFLICT DO NOTHING RETURNING mail_id`,
            [workspaceId, m.eventId, m.contactId, m.kind, m.ticketId, JSON.stringify(m.content), nowMs],
          )
          inserted += rows.length
        }
        await tx.query("UPDATE event_cursors SET sequence = $3 WHERE consumer = $1 AND workspace_id = $2", [
          consumer,
          workspaceId,
          to,
        ])
        return { advanced: true, inserted }
      }),
    claim: (nowMs, leaseMs, limit) =>
      db.run("OutboxStore.claim", async (q) =>
        (
          await findAll(
            q,
            MailRow,
            `UPDATE outbox_mails m SET status = 'sending', attempts = m.attempts + 1, due_ms = $2
             FROM (SELECT mail_id FROM outbox_mails WHERE status IN ('pending', 'sending') AND due_ms <= $1
                   ORDER BY due_ms, mail_id LIMIT $3 FOR UPDATE SKIP LOCKED) due
             WHERE m.mail_id = due.mail_id RETURNING ${COLUMNS.split(", ")
               .map((c) => `m.${c}`)
               .join(", ")}`,
            [nowMs, nowMs + leaseMs, limit],
          )
        )
          .map(mailFrom)
          .sort((a, b) => Number(a.id) - Number(b.id)),
      ),
    markSent: (id, nowMs) =>
      db.run("OutboxStore.markSent", async (q) => {
        await q.query("UPDATE outbox_mails SET status = 'sent', sent_ms = $2, last_error = NULL WHERE mail_id = $1", [
          id,
          nowMs,
        ])
      }),
    markFailed: (id, error, retryAtMs) =>
      db.run("OutboxStore.markFailed", async (q) => {
        await q.query(
          `UPDATE outbox_mails SET status = CASE WHEN $3::bigint IS NULL THEN 'failed' ELSE 'pending' END,
             last_error = $2, due_ms = coalesce($3::bigint, due_ms) WHERE mail_id = $1`,
          [id, error, retryAtMs],
        )
      }),
    // Housekeeping: sent mails by the partial index on sent_ms (migration 18).
    pruneSent: (sentBeforeMs, limit) =>
      db.run("OutboxStore.pruneSent", async (q) => {
        const [row] = await q.query(
          `WITH gone AS (
             DELETE FROM outbox_mails WHERE status = 'sent' AND sent_ms <= $1 AND mail_id IN (
               SELECT mail_id FROM outbox_mails WHERE status = 'sent' AND sent_ms <= $1 LIMIT $2)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [sentBeforeMs, limit],
        )
        return toNumber(row?.n)
      }),
    list: (workspaceId, limit) =>
      db.run("OutboxStore.list", async (q) =>
        (
          await findAll(
            q,
            MailRow,
            `SELECT ${COLUMNS} FROM outbox_mails WHERE workspace_id = $1 ORDER BY mail_id DESC LIMIT $2`,
            [workspaceId, limit],
          )
        ).map(mailFrom),
      ),
  }
  return store
})

export const layerOutboxStore = Layer.effect(OutboxStore, makeOutboxStore)
