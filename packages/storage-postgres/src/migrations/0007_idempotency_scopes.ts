/**
 * Migration 7 (P-SEC-3): idempotency keys are scoped to (workspace, caller, operation) and keep a
 * fingerprint of the first request's payload. The key of a row becomes (workspace, scope, key):
 * the same key sent by another customer or for another operation is another row, and a key
 * reused in its scope with another fingerprint is refused (Conflict `idempotency_key_reused`).
 * Rows written before keep the empty scope, which no new request has, so they never answer one.
 */
import type { Migration } from "../Migrations.ts"

export const m0007: Migration = {
  version: 7,
  name: "idempotency scopes",
  sql: /* sql */ `
ALTER TABLE idempotency_keys ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN fingerprint text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (workspace_id, scope, idempotency_key);
`,
}
