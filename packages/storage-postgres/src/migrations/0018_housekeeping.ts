/**
 * Migration 18 (issue 12, housekeeping): what the hourly cleanup needs to find the rows it deletes
 * by an index, in batches (`portal gc`, core's `runHousekeeping`).
 * - `idempotency_keys.created_ms`: when the key was claimed (the database's clock; keys claimed
 *   before this migration count from now, so none is dropped sooner than its retention).
 * - `rate_limits.expires_ms`: the end of the row's window (rows from before: their window start
 *   plus a day, longer than any window the portal uses).
 * - Indexes on each table's expiry (sessions' times compared as canonical ISO strings, `COLLATE "C"`).
 * Issue 10 (agent list at 1,000,000 tickets, docs/agent-workspace.md): a filter that fixes the sort
 * key (one owner or nobody, sorted by owner; one stage, sorted by status) read the whole key index
 * up to that key's rows (15 s for one owner of 50 sorted by owner). Two indexes give those pages
 * their rows in order: (owner, owner name) and (pipeline, stage, status); and partial indexes the
 * unassigned queue (below).
 */
import type { Migration } from "../Migrations.ts"

/**
 * The unassigned queue: "owner_id IS NULL" fixes no index column's order, and a state with few or
 * no unassigned tickets made the list walk a whole sort index (5 to 12 s at 1,000,000 tickets).
 * Partial indexes hold only the unassigned tickets (few, in a worked helpdesk): per sort key with
 * the state, and the owner key alone (unassigned tickets sort last by owner, descending).
 */
const UNASSIGNED = [
  ["activity", "last_activity_ms"],
  ["created", "created_ms"],
  ["subject", `(subject COLLATE "C")`],
  ["status", "status_key"],
  ["owner", "owner_key"],
  ["requester", "requester_key"],
]
  .map(
    ([name, key]) =>
      `CREATE INDEX tickets_agent_unassigned_state_${name} ON tickets (workspace_id, state, ${key}, ticket_id) WHERE owner_id IS NULL;`,
  )
  .concat([
    "CREATE INDEX tickets_agent_unassigned_owner ON tickets (workspace_id, owner_key, ticket_id) WHERE owner_id IS NULL;",
  ])
  .join("\n")

export const m0018: Migration = {
  version: 18,
  name: "housekeeping, agent list indexes",
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

CREATE INDEX tickets_agent_owner_owner ON tickets (workspace_id, owner_id, owner_key, ticket_id);
CREATE INDEX tickets_agent_stage_status ON tickets (workspace_id, pipeline_id, stage_id, status_key, ticket_id);
${UNASSIGNED}
`,
}
