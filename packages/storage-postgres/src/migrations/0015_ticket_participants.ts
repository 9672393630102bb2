/**
 * Migration 15 (P-EXT-1): ticket participants (CC). `tickets.participant_ids` keeps the ticket's
 * order (as `contact_ids` does); `ticket_participants` is the association the customer list and
 * the single read use: (workspace, contact, sort key DESC, ticket DESC) for "tickets of contact X"
 * in list order (one more ordered branch of the list's UNION), and its key
 * (workspace, ticket, contact) for "participants of ticket T".
 */
import type { Migration } from "../Migrations.ts"

const id = `text COLLATE "C" NOT NULL`

export const m0015: Migration = {
  version: 15,
  name: "ticket participants",
  sql: /* sql */ `
ALTER TABLE tickets ADD COLUMN participant_ids text[] NOT NULL DEFAULT '{}';
CREATE TABLE ticket_participants (
  workspace_id ${id}, ticket_id ${id}, contact_id ${id},
  last_activity_ms bigint NOT NULL, created_ms bigint NOT NULL,
  PRIMARY KEY (workspace_id, ticket_id, contact_id)
);
CREATE INDEX ticket_participants_activity ON ticket_participants (workspace_id, contact_id, last_activity_ms DESC, ticket_id DESC);
CREATE INDEX ticket_participants_created ON ticket_participants (workspace_id, contact_id, created_ms DESC, ticket_id DESC);
`,
}
