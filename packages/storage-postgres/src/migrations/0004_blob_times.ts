/**
 * Migration 4: when each blob was stored, for the orphan cleanup (BlobStore.deleteOrphans,
 * `portal gc`): only blobs no attachment references AND stored before a cutoff an hour back are
 * deleted, so a reply that has stored its files but not yet its message is never hit. The time
 * is the database's own clock (a put sets it, default now()); blobs stored before this migration
 * count as stored when it ran. The attachments index makes "is this blob referenced" an index
 * probe (the cleanup's anti-join, and export's join of attachments to their bytes).
 */
import type { Migration } from "../Migrations.ts"

export const m0004: Migration = {
  version: 4,
  name: "blob times",
  sql: /* sql */ `
ALTER TABLE blobs ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX attachments_blob ON attachments (workspace_id, blob_key);
`,
}
