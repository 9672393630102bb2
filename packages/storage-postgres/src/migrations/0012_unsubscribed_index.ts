/**
 * Migration 12 (P-NOT-3): the admins' list of unsubscribed contacts reads a partial index (only the
 * few contacts who unsubscribed, in the workspace's contact order) instead of every contact.
 */
import type { Migration } from "../Migrations.ts"

export const m0012: Migration = {
  version: 12,
  name: "unsubscribed contacts index",
  sql: /* sql */ `
CREATE INDEX contacts_unsubscribed ON contacts (workspace_id, ord) WHERE unsubscribed;
`,
}
