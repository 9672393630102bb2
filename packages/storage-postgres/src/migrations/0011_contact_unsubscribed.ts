/** Migration 11 (P-NOT-3): a contact who used an email's unsubscribe link gets no notification. */
import type { Migration } from "../Migrations.ts"

export const m0011: Migration = {
  version: 11,
  name: "contact unsubscribed",
  sql: /* sql */ `
ALTER TABLE contacts ADD COLUMN unsubscribed boolean NOT NULL DEFAULT false;
`,
}
