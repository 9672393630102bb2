/**
 * Migration 17: the customer list sorts by any column (P-EXT-4, rules/Listing.ts).
 * - The customer list reads its candidates from the association rows (ticket_contacts,
 *   ticket_companies, ticket_participants), whose indexes deliver them in list order (TicketList.ts). They already
 *   carry the two times; now they also carry the ticket's other sort keys, copies of the ticket
 *   row's columns that migration 8 keeps: `subject`, `owner_key` (the owner's name), `state` and
 *   `status_key` (`<state>:<stage label>`), all `COLLATE "C"` (code point order).
 * - Nothing in the application writes the copies: a BEFORE INSERT trigger fills them from the
 *   ticket, and an AFTER UPDATE trigger on tickets carries every change (a new subject, owner or
 *   stage, and through migration 8's triggers an agent's rename or a stage's new label).
 * - Indexes: (workspace, contact | company, key, ticket_id) per key; either direction is a forward
 *   or backward scan of one of them, so the first page of each sort reads about one page of rows.
 */
import type { Migration } from "../Migrations.ts"

const KEYS = ["subject", "owner_key", "state", "status_key"] as const
const TABLES = [
  ["ticket_contacts", "contact_id"],
  ["ticket_companies", "company_id"],
  // P-EXT-1 (migration 15): the participants' branch of the list sorts the same way.
  ["ticket_participants", "contact_id"],
] as const

const perTable = TABLES.map(
  ([table, column]) => /* sql */ `
ALTER TABLE ${table} ADD COLUMN subject text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN owner_key text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN state text COLLATE "C" NOT NULL DEFAULT 'open',
  ADD COLUMN status_key text COLLATE "C" NOT NULL DEFAULT '';
UPDATE ${table} a SET subject = t.subject, owner_key = t.owner_key, state = t.state, status_key = t.status_key
  FROM tickets t WHERE t.workspace_id = a.workspace_id AND t.ticket_id = a.ticket_id;
CREATE TRIGGER ${table}_keys BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION portal_link_keys();
${KEYS.map((key) => `CREATE INDEX ${table}_${key} ON ${table} (workspace_id, ${column}, ${key}, ticket_id);`).join("\n")}
`,
).join("")

export const m0017: Migration = {
  version: 17,
  name: "customer list sorts",
  sql: /* sql */ `
CREATE FUNCTION portal_link_keys() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  SELECT x.subject, x.owner_key, x.state, x.status_key INTO t FROM tickets x
    WHERE x.workspace_id = NEW.workspace_id AND x.ticket_id = NEW.ticket_id;
  NEW.subject := coalesce(t.subject, '');
  NEW.owner_key := coalesce(t.owner_key, '');
  NEW.state := coalesce(t.state, 'open');
  NEW.status_key := coalesce(t.status_key, '');
  RETURN NEW;
END $$;
${perTable}
CREATE FUNCTION portal_ticket_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ticket_contacts SET subject = NEW.subject, owner_key = NEW.owner_key, state = NEW.state,
      status_key = NEW.status_key
    WHERE workspace_id = NEW.workspace_id AND ticket_id = NEW.ticket_id;
  UPDATE ticket_companies SET subject = NEW.subject, owner_key = NEW.owner_key, state = NEW.state,
      status_key = NEW.status_key
    WHERE workspace_id = NEW.workspace_id AND ticket_id = NEW.ticket_id;
  UPDATE ticket_participants SET subject = NEW.subject, owner_key = NEW.owner_key, state = NEW.state,
      status_key = NEW.status_key
    WHERE workspace_id = NEW.workspace_id AND ticket_id = NEW.ticket_id;
  RETURN NULL;
END $$;
CREATE TRIGGER tickets_link_keys AFTER UPDATE ON tickets FOR EACH ROW
  WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.owner_key IS DISTINCT FROM NEW.owner_key
    OR OLD.state IS DISTINCT FROM NEW.state OR OLD.status_key IS DISTINCT FROM NEW.status_key)
  EXECUTE FUNCTION portal_ticket_keys_changed();
`,
}
