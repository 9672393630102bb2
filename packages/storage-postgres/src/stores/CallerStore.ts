/**
 * CallerStore on SQL (issue 9): a request's caller in ONE named statement — the host's domain and
 * workspace settings, the token's session on that workspace, and the session's contact (with its
 * list memberships and whether it takes part in any ticket, P-EXT-1) or agent (with its
 * permissions). Every part is an indexed read: domains by `host_key`, sessions by `token_hash`,
 * contacts and agents by their keys, list members and ticket participants by contact. Core's
 * `composedCallerStore` answers the same from the single ports; the contract suite checks they agree.
 */
import { AgentId, ListId, Permission, PortalSettings, WorkspaceId } from "@portal/core/domain"
import { CallerStore, type CallerStoreShape } from "@portal/core/ports"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"
import { Column } from "../Sql.ts"
import { ContactRow, DomainRow, domainFrom, hostKey, storedContactFrom } from "./Rows.ts"
import { SessionRow, sessionFrom } from "./SecurityStores.ts"

const READ = {
  name: "portal_caller_read",
  text: `SELECT d.workspace_id, d.host, d.language, w.settings, w.settings_version, w.catalog_version,
    CASE WHEN s.token_hash IS NULL THEN NULL ELSE json_build_object(
      'token_hash', s.token_hash, 'workspace_id', s.workspace_id, 'subject_type', s.subject_type,
      'subject_id', s.subject_id, 'created_at', s.created_at, 'last_seen_at', s.last_seen_at,
      'absolute_expires_at', s.absolute_expires_at) END AS session,
    CASE WHEN c.contact_id IS NULL THEN NULL ELSE json_build_object(
      'contact_id', c.contact_id, 'email', c.email, 'first_name', c.first_name, 'last_name', c.last_name,
      'primary_company_id', c.primary_company_id, 'password_hash', c.password_hash,
      'unsubscribed', c.unsubscribed) END AS contact,
    CASE WHEN c.contact_id IS NULL THEN NULL ELSE ARRAY(
      SELECT l.list_id FROM lists l WHERE l.workspace_id = c.workspace_id AND EXISTS (
        SELECT 1 FROM list_members m
        WHERE m.workspace_id = l.workspace_id AND m.list_id = l.list_id AND m.contact_id = c.contact_id)
      ORDER BY l.ord) END AS list_ids,
    CASE WHEN c.contact_id IS NULL THEN NULL ELSE EXISTS (
      SELECT 1 FROM ticket_participants p WHERE p.workspace_id = c.workspace_id AND p.contact_id = c.contact_id)
    END AS participant,
    a.agent_id, a.permissions AS agent_permissions
  FROM domains d
  JOIN workspaces w ON w.workspace_id = d.workspace_id
  LEFT JOIN sessions s ON s.token_hash = $2 AND s.workspace_id = d.workspace_id
  LEFT JOIN contacts c ON s.subject_type = 'contact' AND c.workspace_id = s.workspace_id
    AND c.contact_id = s.subject_id COLLATE "C"
  LEFT JOIN agents a ON s.subject_type = 'agent' AND a.workspace_id = s.workspace_id
    AND a.agent_id = s.subject_id COLLATE "C"
  WHERE d.host_key = $1`,
}

export const ReadRow = Schema.Struct({
  ...DomainRow.fields,
  workspace_id: WorkspaceId,
  settings: PortalSettings,
  settings_version: Column.Int8,
  catalog_version: Column.Int8,
  session: Schema.NullOr(SessionRow),
  contact: Schema.NullOr(ContactRow),
  list_ids: Schema.NullOr(Schema.Array(ListId)),
  participant: Schema.NullOr(Schema.Boolean),
  agent_id: Schema.NullOr(AgentId),
  agent_permissions: Schema.NullOr(Schema.Array(Permission)),
})

export const makeCallerStore = Effect.gen(function* () {
  const db = yield* Database
  const read: CallerStoreShape["read"] = (host, tokenHash) =>
    host.length === 0
      ? Effect.succeedNone
      : db.findOne("CallerStore.read", ReadRow, READ, [hostKey(host), tokenHash]).pipe(
          Effect.map(
            Option.map((r) => ({
              workspaceId: r.workspace_id,
              domain: domainFrom(r),
              settings: { settings: r.settings, version: r.settings_version, catalogVersion: r.catalog_version },
              session: Option.map(Option.fromNullishOr(r.session), sessionFrom),
              contact: Option.map(Option.fromNullishOr(r.contact), (c) => ({
                contact: storedContactFrom(c),
                listIds: r.list_ids ?? [],
                participant: r.participant === true,
              })),
              agent:
                r.agent_id === null
                  ? Option.none()
                  : Option.some({ agentId: r.agent_id, permissions: r.agent_permissions ?? [] }),
            })),
          ),
        )
  return CallerStore.of({ read })
})

export const layerCallerStore = Layer.effect(CallerStore, makeCallerStore)
