/**
 * Migration 2: sessions by subject, so that ending every session of a contact or agent (a
 * password change, SessionStore.removeAllOf) is an index range, not a scan of the workspace.
 */
import type { Migration } from "../Migrations.ts"

export const m0002: Migration = {
  version: 2,
  name: "sessions by subject",
  sql: /* sql */ `
CREATE INDEX sessions_subject ON sessions (workspace_id, subject_type, subject_id);
`,
}
