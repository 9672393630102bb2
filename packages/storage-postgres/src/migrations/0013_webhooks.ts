/**
 * Migration 13 (P-HOOK-1): webhook endpoints and their deliveries, the "webhooks" consumer of the
 * event stream (event_cursors, migration 10).
 * - `webhook_endpoints`: an admin's endpoint; `start_sequence` is the stream's head when it was
 *   created (no history); `failing_since_ms` is set by the first failure after a success and
 *   cleared by a success; 3 days of it disable the endpoint (`disabled_at_ms`).
 * - `webhook_deliveries`: one row per (workspace, endpoint, event), the unique key that makes a
 *   second consumer's insert a no-op; `delivery_id` is the stable `webhook-id`. The worker claims
 *   due rows by the partial index; the admin's log pages by (workspace, endpoint, seq DESC).
 * Every workspace that exists now starts at its head, so upgrading sends no old events.
 */
import type { Migration } from "../Migrations.ts"

export const m0013: Migration = {
  version: 13,
  name: "webhooks",
  sql: /* sql */ `
CREATE TABLE webhook_endpoints (
  workspace_id text COLLATE "C" NOT NULL, endpoint_id text COLLATE "C" NOT NULL,
  url text NOT NULL, events text[] NOT NULL, secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true, failing_since_ms bigint, disabled_at_ms bigint,
  start_sequence bigint NOT NULL, created_ms bigint NOT NULL,
  PRIMARY KEY (workspace_id, endpoint_id)
);

CREATE TABLE webhook_deliveries (
  delivery_id text COLLATE "C" PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  workspace_id text COLLATE "C" NOT NULL, endpoint_id text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL, type text NOT NULL, payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0, last_status integer, last_error text,
  due_ms bigint NOT NULL, created_ms bigint NOT NULL, delivered_ms bigint,
  FOREIGN KEY (workspace_id, endpoint_id) REFERENCES webhook_endpoints ON DELETE CASCADE
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (workspace_id, endpoint_id, event_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_ms, seq) WHERE status IN ('pending', 'sending');
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (workspace_id, endpoint_id, seq DESC);

INSERT INTO event_cursors (consumer, workspace_id, sequence)
SELECT 'webhooks', workspace_id, event_sequence FROM workspaces ON CONFLICT DO NOTHING;
`,
}
