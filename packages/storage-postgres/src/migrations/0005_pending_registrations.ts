/**
 * Migration 5: pending self-registrations (P-AUTH-3, SecurityStore.createPendingRegistration).
 * A registration is kept here, not in `contacts`, until its owner opens the single-use link
 * mailed to the address; only the link token's SHA-256 is stored, with the password's hash, the
 * names typed and the consent as given (a JSON copy of the texts, their version and the time,
 * P-CON-3). Using a link deletes its row and every other row of the same email (the index on
 * (workspace_id, email_key)); `expires_ms` is the instant the link stops working (epoch ms, as
 * in security_tokens).
 */
import type { Migration } from "../Migrations.ts"

export const m0005: Migration = {
  version: 5,
  name: "pending registrations",
  sql: /* sql */ `
CREATE TABLE pending_registrations (
  workspace_id text COLLATE "C" NOT NULL, token_hash text NOT NULL,
  email text NOT NULL, email_key text NOT NULL, password_hash text NOT NULL,
  first_name text NOT NULL, last_name text NOT NULL, consent jsonb,
  created_at text NOT NULL, expires_at text NOT NULL, expires_ms bigint NOT NULL,
  PRIMARY KEY (workspace_id, token_hash)
);
CREATE INDEX pending_registrations_email ON pending_registrations (workspace_id, email_key);
`,
}
