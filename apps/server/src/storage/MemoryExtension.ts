/**
 * The API's CatalogExtension (agents' passwords, adding agents, domains) over the in-memory
 * adapter's state. Writes replace the state value whole, like the adapter's own writes.
 */
import { CatalogExtension } from "@portal/api"
import { Conflict, normalizeHost, StorageError } from "@portal/core"
import type { MemoryDb } from "@portal/storage-memory"
import { Effect, Layer, Option } from "effect"

type WorkspaceData = MemoryDb["state"]["workspaces"] extends ReadonlyMap<string, infer W> ? W : never

const missing = (method: string, workspaceId: string) =>
  new StorageError({ method, cause: new Error(`workspace "${workspaceId}" does not exist`) })

const update = (db: MemoryDb, workspaceId: string, change: (ws: WorkspaceData) => WorkspaceData) => {
  const ws = db.state.workspaces.get(workspaceId)
  if (ws === undefined) return false
  const workspaces = new Map(db.state.workspaces)
  workspaces.set(workspaceId, change(ws))
  db.state = { ...db.state, workspaces }
  return true
}

export const layerMemoryCatalogExtension = (db: MemoryDb): Layer.Layer<CatalogExtension> =>
  Layer.succeed(CatalogExtension, {
    agentPasswordHash: (workspaceId, agentId) =>
      Effect.sync(() => Option.fromNullishOr(db.state.workspaces.get(workspaceId)?.agentPasswordHashes.get(agentId))),
    upsertAgent: (workspaceId, agent, passwordHash) =>
      Effect.suspend((): Effect.Effect<void, StorageError> => {
        const ok = update(db, workspaceId, (ws) => {
          const agents = ws.agents.some((a) => a.id === agent.id)
            ? ws.agents.map((a) => (a.id === agent.id ? agent : a))
            : [...ws.agents, agent]
          const hashes = new Map(ws.agentPasswordHashes)
          if (passwordHash !== null) hashes.set(agent.id, passwordHash)
          return { ...ws, agents, agentPasswordHashes: hashes }
        })
        return ok ? Effect.void : Effect.fail(missing("upsertAgent", workspaceId))
      }),
    setDomains: (workspaceId, domains) =>
      Effect.suspend((): Effect.Effect<void, Conflict | StorageError> => {
        const wanted = new Set(domains.map((d) => normalizeHost(d.host)))
        for (const [id, ws] of db.state.workspaces)
          if (id !== workspaceId)
            for (const d of ws.domains)
              if (wanted.has(normalizeHost(d.host)))
                return Effect.fail(new Conflict({ reason: `The domain ${d.host} is connected to another portal.` }))
        return update(db, workspaceId, (ws) => ({ ...ws, domains: [...domains] }))
          ? Effect.void
          : Effect.fail(missing("setDomains", workspaceId))
      }),
  })
