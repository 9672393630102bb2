/**
 * WorkspaceStore's single catalog writes on SQL: agents (and their password hashes), domains,
 * branding, companies and lists, each one transaction on this package's schema. A host is unique across
 * workspaces (the `domains_host` index): a host another workspace serves rolls back with
 * Conflict, whether it was seen first or lost a race at the index.
 */
import { Conflict, type MissingReference, type WorkspaceStoreShape } from "@portal/core/ports"
import { Effect, Option, Schema } from "effect"
import type { DatabaseShape } from "../Database.ts"
import type { Queryable } from "../Driver.ts"
import { Abort, isUniqueViolation } from "../Errors.ts"
import { findOne } from "../Sql.ts"
import { hostKey } from "./Rows.ts"
import { checkExist } from "./TicketSql.ts"

type CatalogWrites = Pick<
  WorkspaceStoreShape,
  "agentPasswordHash" | "upsertAgent" | "setDomains" | "setBranding" | "upsertCompany" | "upsertList"
>

/**
 * Lock the workspace row and raise its catalog version (issue 9: every node's cached catalog is
 * keyed by it); a write to a workspace that does not exist fails.
 */
const lockWorkspace = async (tx: Queryable, ws: string) => {
  const rows = await tx.query(
    "UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE workspace_id = $1 RETURNING 1",
    [ws],
  )
  if (rows.length === 0) throw new Error(`workspace "${ws}" does not exist`)
}

const CreatedRow = Schema.Struct({ created: Schema.Boolean })

const taken = (host: string) =>
  new Abort(new Conflict({ reason: `The domain ${host} is connected to another portal.` }))

export const makeCatalogWrites = (db: DatabaseShape): CatalogWrites => ({
  agentPasswordHash: (workspaceId, agentId) =>
    db
      .findOne(
        "WorkspaceStore.agentPasswordHash",
        Schema.Struct({ password_hash: Schema.NullOr(Schema.String) }),
        "SELECT password_hash FROM agents WHERE workspace_id = $1 AND agent_id = $2",
        [workspaceId, agentId],
      )
      .pipe(Effect.map(Option.flatMap((row) => Option.fromNullOr(row.password_hash)))),

  upsertAgent: (workspaceId, agent, passwordHash) =>
    db.transaction("WorkspaceStore.upsertAgent", async (tx) => {
      await lockWorkspace(tx, workspaceId)
      await tx.query(
        `INSERT INTO agents (workspace_id, agent_id, name, email, permissions, password_hash)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (workspace_id, agent_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
           permissions = EXCLUDED.permissions, password_hash = COALESCE(EXCLUDED.password_hash, agents.password_hash)`,
        [
          workspaceId,
          agent.id,
          agent.name,
          agent.email,
          agent.permissions === undefined ? null : JSON.stringify(agent.permissions),
          passwordHash,
        ],
      )
    }),

  setDomains: (workspaceId, domains) =>
    db.transaction<void, Conflict>("WorkspaceStore.setDomains", async (tx) => {
      await lockWorkspace(tx, workspaceId)
      const keys = domains.map((d) => hostKey(d.host))
      if (new Set(keys).size !== keys.length) throw new Error("a host is listed twice")
      const other = await findOne(
        tx,
        Schema.Struct({ host: Schema.String }),
        "SELECT host FROM domains WHERE host_key = ANY($1::text[]) AND workspace_id <> $2 LIMIT 1",
        [keys, workspaceId],
      )
      if (other !== undefined) throw taken(other.host)
      await tx.query("DELETE FROM domains WHERE workspace_id = $1", [workspaceId])
      for (const d of domains)
        await tx
          .query("INSERT INTO domains (workspace_id, host, host_key, language) VALUES ($1, $2, $3, $4)", [
            workspaceId,
            d.host,
            hostKey(d.host),
            d.language,
          ])
          .catch((error: unknown) => {
            throw isUniqueViolation(error, "domains_host") ? taken(d.host) : error
          })
    }),

  setBranding: (workspaceId, branding) =>
    db.transaction("WorkspaceStore.setBranding", async (tx) => {
      await lockWorkspace(tx, workspaceId)
      await tx.query("UPDATE workspaces SET branding = $2::jsonb WHERE workspace_id = $1", [
        workspaceId,
        JSON.stringify(branding),
      ])
    }),

  upsertCompany: (workspaceId, company) =>
    db.transaction("WorkspaceStore.upsertCompany", async (tx) => {
      await lockWorkspace(tx, workspaceId)
      const row = await findOne(
        tx,
        CreatedRow,
        `INSERT INTO companies (workspace_id, company_id, name) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, company_id) DO UPDATE SET name = EXCLUDED.name
         RETURNING (xmax = 0) AS created`,
        [workspaceId, company.id, company.name],
      )
      return { created: row?.created === true }
    }),

  upsertList: (workspaceId, list) =>
    db.transaction<{ created: boolean }, MissingReference>("WorkspaceStore.upsertList", async (tx) => {
      await lockWorkspace(tx, workspaceId)
      await checkExist(tx, workspaceId, "contact", list.contactIds)
      const row = await findOne(
        tx,
        CreatedRow,
        `INSERT INTO lists (workspace_id, list_id, name) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, list_id) DO UPDATE SET name = EXCLUDED.name
         RETURNING (xmax = 0) AS created`,
        [workspaceId, list.id, list.name],
      )
      await tx.query("DELETE FROM list_members WHERE workspace_id = $1 AND list_id = $2", [workspaceId, list.id])
      await tx.query(
        `INSERT INTO list_members (workspace_id, list_id, position, contact_id)
         SELECT $1, $2, (n - 1)::int, x FROM unnest($3::text[]) WITH ORDINALITY AS u(x, n)`,
        [workspaceId, list.id, [...list.contactIds]],
      )
      return { created: row?.created === true }
    }),
})
