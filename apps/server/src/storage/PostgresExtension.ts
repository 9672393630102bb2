/**
 * The API's CatalogExtension (agents' passwords, adding agents, domains) on PostgreSQL / PGlite,
 * through @portal/storage-postgres's Database and its schema (tables `agents`, `domains`).
 */
import { CatalogExtension } from "@portal/api"
import { Conflict, normalizeHost } from "@portal/core"
import { Database } from "@portal/storage-postgres"
import { Effect, Layer, Option } from "effect"

export const layerPostgresCatalogExtension: Layer.Layer<CatalogExtension, never, Database> = Layer.effect(
  CatalogExtension,
  Effect.map(Database, (db) =>
    CatalogExtension.of({
      agentPasswordHash: (workspaceId, agentId) =>
        db.run("agentPasswordHash", async (q) => {
          const rows = await q.query<{ password_hash: string | null }>(
            "SELECT password_hash FROM agents WHERE workspace_id = $1 AND agent_id = $2",
            [workspaceId, agentId],
          )
          return Option.fromNullishOr(rows[0]?.password_hash)
        }),
      upsertAgent: (workspaceId, agent, passwordHash) =>
        db.run("upsertAgent", async (q) => {
          await q.query(
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
        Effect.gen(function* () {
          const keys = domains.map((d) => normalizeHost(d.host))
          const taken = yield* db.run("setDomains", (q) =>
            q.query<{ host: string }>(
              "SELECT host FROM domains WHERE host_key = ANY($1::text[]) AND workspace_id <> $2",
              [keys, workspaceId],
            ),
          )
          if (taken[0] !== undefined)
            return yield* new Conflict({ reason: `The domain ${taken[0].host} is connected to another portal.` })
          yield* db.transaction("setDomains", async (tx) => {
            await tx.query("DELETE FROM domains WHERE workspace_id = $1", [workspaceId])
            for (const d of domains)
              await tx.query("INSERT INTO domains (workspace_id, host, host_key, language) VALUES ($1, $2, $3, $4)", [
                workspaceId,
                normalizeHost(d.host),
                normalizeHost(d.host),
                d.language,
              ])
          })
        }),
    }),
  ),
)
