/**
 * Migration 6: using a password-reset or invitation link ends every other outstanding link of its
 * contact (P-SEC-5, SecurityStore.consumeTokenEndingOthers). A partial index on the unused tokens
 * by contact makes that an index probe instead of a scan of the workspace's tokens.
 */
import type { Migration } from "../Migrations.ts"

export const m0006: Migration = {
  version: 6,
  name: "token contacts",
  sql: /* sql */ `
CREATE INDEX security_tokens_unused_by_contact ON security_tokens (workspace_id, contact_id) WHERE NOT consumed;
`,
}
