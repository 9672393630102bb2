/**
 * Migration 10 (P-NOT-3): the event consumers' cursors and the notification outbox.
 * - `event_cursors`: how far each consumer ("notify", later webhooks …) has read each workspace's
 *   event stream. Every workspace that exists now starts at its head, so upgrading never mails
 *   about events from before notifications existed; a workspace created later starts at 0.
 * - `outbox_mails`: one rendered mail per (workspace, event, contact, kind), the unique key that
 *   makes a second consumer's insert a no-op; the worker claims due rows by the partial index.
 */
import type { Migration } from "../Migrations.ts"

export const m0010: Migration = {
  version: 10,
  name: "notification outbox",
  sql: /* sql */ `
CREATE TABLE event_cursors (
  consumer text COLLATE "C" NOT NULL, workspace_id text COLLATE "C" NOT NULL, sequence bigint NOT NULL,
  PRIMARY KEY (consumer, workspace_id)
);
INSERT INTO event_cursors (consumer, workspace_id, sequence) SELECT 'notify', workspace_id, event_sequence FROM workspaces;

CREATE TABLE outbox_mails (
  mail_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id text COLLATE "C" NOT NULL, event_id text COLLATE "C" NOT NULL,
  contact_id text COLLATE "C" NOT NULL, kind text NOT NULL, ticket_id text COLLATE "C" NOT NULL,
  content jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0, last_error text,
  due_ms bigint NOT NULL, created_ms bigint NOT NULL, sent_ms bigint
);
CREATE UNIQUE INDEX outbox_mails_once ON outbox_mails (workspace_id, event_id, contact_id, kind);
-- The worker's claim: due rows (pending, or sending with an expired lease) oldest first.
CREATE INDEX outbox_mails_due ON outbox_mails (due_ms, mail_id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_mails_workspace ON outbox_mails (workspace_id, mail_id DESC);
`,
}
