/**
 * Migration 16 (P-EXT-2): a customer's rating of a closed ticket, one row per ticket (the primary
 * key makes "once" hold even when two ratings race). Read by ticket id only (the ticket page, the
 * agent list's rows), so the primary key is its index.
 */
import type { Migration } from "../Migrations.ts"

export const m0016: Migration = {
  version: 16,
  name: "ticket satisfaction",
  sql: /* sql */ `
CREATE TABLE ticket_satisfaction (
  workspace_id text COLLATE "C" NOT NULL, ticket_id text COLLATE "C" NOT NULL,
  rating text NOT NULL CHECK (rating IN ('good', 'bad')), comment text, at text NOT NULL,
  rated_by text COLLATE "C",
  PRIMARY KEY (workspace_id, ticket_id)
);
`,
}
