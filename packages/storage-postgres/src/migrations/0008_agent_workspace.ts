/**
 * Migration 8: the agent workspace (P-AGT-1, P-AGT-3).
 * - `tickets.version`: bumped by every write that changes a ticket (TicketSql.ts, AgentTickets.ts),
 *   checked by the agents' changes (a change against an old version is refused).
 * - Sort and filter keys kept on the ticket row so that every list the agent pages offer is one
 *   index range scan (docs/agent-workspace.md): `state` (its stage's), `status_key`
 *   (`<state>:<stage label>`), `owner_key` (the owner's name), `requester_key` (the requester's
 *   email key), all `COLLATE "C"` (code point order, as core's rules/AgentListing.ts compares).
 *   A BEFORE trigger computes them on every insert and on every update of the columns they come
 *   from; triggers on agents, contacts and stages carry a rename to the tickets. Nothing in the
 *   application writes them, so they can never disagree with the rows they are read from.
 * - Indexes: per sort key (workspace, key, ticket_id) and (workspace, state, key, ticket_id), so a
 *   page in any order, with or without the state filter (the agents' default), reads only its rows;
 *   the other filters (owner, requester, pipeline/stage) have their own ranges by last activity,
 *   and the company filter reads ticket_companies (migration 1).
 */
import type { Migration } from "../Migrations.ts"

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ["activity", "last_activity_ms"],
  ["created", "created_ms"],
  ["subject", `(subject COLLATE "C")`],
  ["status", "status_key"],
  ["owner", "owner_key"],
  ["requester", "requester_key"],
]

const indexes = KEYS.flatMap(([name, key]) => [
  `CREATE INDEX tickets_agent_${name} ON tickets (workspace_id, ${key}, ticket_id);`,
  `CREATE INDEX tickets_agent_state_${name} ON tickets (workspace_id, state, ${key}, ticket_id);`,
]).join("\n")

export const m0008: Migration = {
  version: 8,
  name: "agent workspace",
  sql: /* sql */ `
ALTER TABLE tickets ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN state text COLLATE "C" NOT NULL DEFAULT 'open';
ALTER TABLE tickets ADD COLUMN status_key text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN owner_key text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN requester_key text COLLATE "C" NOT NULL DEFAULT '';

CREATE FUNCTION portal_ticket_keys() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  st record;
BEGIN
  SELECT s.state, s.label INTO st FROM stages s
    WHERE s.workspace_id = NEW.workspace_id AND s.pipeline_id = NEW.pipeline_id AND s.stage_id = NEW.stage_id;
  NEW.state := coalesce(st.state, 'open');
  NEW.status_key := coalesce(st.state, 'open') || ':' || coalesce(st.label, NEW.stage_id);
  NEW.owner_key := coalesce((SELECT a.name FROM agents a
    WHERE a.workspace_id = NEW.workspace_id AND a.agent_id = NEW.owner_id), '');
  NEW.requester_key := coalesce((SELECT c.email_key FROM contacts c
    WHERE c.workspace_id = NEW.workspace_id AND c.contact_id = NEW.requester_id), '');
  RETURN NEW;
END $$;
CREATE TRIGGER tickets_keys BEFORE INSERT OR UPDATE OF pipeline_id, stage_id, owner_id, requester_id ON tickets
  FOR EACH ROW EXECUTE FUNCTION portal_ticket_keys();

CREATE FUNCTION portal_agent_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET owner_key = NEW.name WHERE workspace_id = NEW.workspace_id AND owner_id = NEW.agent_id;
  RETURN NULL;
END $$;
CREATE TRIGGER agents_renamed AFTER UPDATE OF name ON agents
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION portal_agent_renamed();

CREATE FUNCTION portal_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET requester_key = NEW.email_key
    WHERE workspace_id = NEW.workspace_id AND requester_id = NEW.contact_id;
  RETURN NULL;
END $$;
CREATE TRIGGER contacts_changed AFTER UPDATE OF email_key ON contacts
  FOR EACH ROW WHEN (OLD.email_key IS DISTINCT FROM NEW.email_key) EXECUTE FUNCTION portal_contact_changed();

CREATE FUNCTION portal_stage_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET state = NEW.state, status_key = NEW.state || ':' || NEW.label
    WHERE workspace_id = NEW.workspace_id AND pipeline_id = NEW.pipeline_id AND stage_id = NEW.stage_id;
  RETURN NULL;
END $$;
CREATE TRIGGER stages_changed AFTER UPDATE OF label, state ON stages
  FOR EACH ROW EXECUTE FUNCTION portal_stage_changed();

-- Existing tickets: the trigger computes their keys.
UPDATE tickets SET stage_id = stage_id;

${indexes}
CREATE INDEX tickets_agent_owner_activity ON tickets (workspace_id, owner_id, last_activity_ms, ticket_id);
CREATE INDEX tickets_agent_requester_activity ON tickets (workspace_id, requester_id, last_activity_ms, ticket_id);
CREATE INDEX tickets_agent_stage_activity ON tickets (workspace_id, pipeline_id, stage_id, last_activity_ms, ticket_id);
CREATE INDEX notes_ticket ON notes (workspace_id, ticket_id);
CREATE INDEX attachments_ticket ON attachments (workspace_id, ticket_id);
`,
}
