/**
 * Migration 18 (issue 12, housekeeping): what the hourly cleanup needs to find the rows it deletes
 * by an index, in batches (`portal gc`, core's `runHousekeeping`).
 * - `idempotency_keys.created_ms`: when the key was claimed (the database's clock; keys claimed
 *   before this migration count from now, so none is dropped sooner than its retention).
 * - `rate_limits.expires_ms`: the end of the row's window (rows from before: their window start
 *   plus a day, longer than any window the portal uses).
 * - Indexes on each table's expiry (sessions' times compared as canonical ISO strings, `COLLATE "C"`).
 */
import type { Migration } from "../Migrations.ts"

export const m0018: Migration = {
  version: 18,
  name: "housekeeping",
  sql: /* sql */ `
ALTER TABLE idempotency_keys
  ADD COLUMN created_ms bigint NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ms);

ALTER TABLE rate_limits ADD COLUMN expires_ms double precision;
UPDATE rate_limits SET expires_ms = window_start + 86400000;
ALTER TABLE rate_limits ALTER COLUMN expires_ms SET NOT NULL;
CREATE INDEX rate_limits_expires ON rate_limits (expires_ms);

CREATE INDEX single_use_keys_expires ON single_use_keys (expires_ms);
CREATE INDEX security_tokens_expires ON security_tokens (expires_ms);
CREATE INDEX security_tokens_consumed ON security_tokens (expires_ms) WHERE consumed;
CREATE INDEX pending_registrations_expires ON pending_registrations (expires_ms);

CREATE INDEX sessions_absolute_end ON sessions (workspace_id, absolute_expires_at COLLATE "C");
CREATE INDEX sessions_created ON sessions (workspace_id, created_at COLLATE "C");
CREATE INDEX sessions_last_seen ON sessions (workspace_id, last_seen_at COLLATE "C");

CREATE INDEX outbox_mails_sent ON outbox_mails (sent_ms) WHERE status = 'sent';
`,
}
