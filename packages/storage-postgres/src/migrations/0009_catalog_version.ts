/**
 * Migration 9 (issue 9, item 2): the catalog's version on the workspace row. Every catalog write
 * (agents, domains, branding, companies, lists, an import) raises it in its transaction; the
 * request path reads it with the settings, so a node's cached catalog is keyed by it and never
 * served after another node changed the catalog.
 */
import type { Migration } from "../Migrations.ts"

export const m0009: Migration = {
  version: 9,
  name: "catalog version",
  sql: /* sql */ `
ALTER TABLE workspaces ADD COLUMN catalog_version bigint NOT NULL DEFAULT 1;
`,
}
