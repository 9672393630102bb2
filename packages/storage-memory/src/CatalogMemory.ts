/**
 * The single catalog writes of WorkspaceStore over the memory state: agents (with their password
 * hashes), domains, branding, companies and lists. Each one checks what the database's keys would (a host
 * serves one workspace, list members are contacts of the workspace) before swapping the new
 * state in, so a refused write changes nothing.
 */
import type { Conflict, MissingReference, WorkspaceStoreShape } from "@portal/core/ports"
import { Option } from "effect"
import {
  check,
  conflict,
  copy,
  type MemoryDb,
  missing,
  read,
  type WorkspaceData,
  withWorkspace,
  workspaceOf,
  write,
  writeOr,
} from "./State.ts"

type CatalogWrites = Pick<
  WorkspaceStoreShape,
  "agentPasswordHash" | "upsertAgent" | "setDomains" | "setBranding" | "upsertCompany" | "upsertList"
>

/** Replace the item with the same id, or append it; tells whether it was new. */
const upsertById = <T extends { readonly id: string }>(items: ReadonlyArray<T>, item: T) => {
  const created = !items.some((i) => i.id === item.id)
  return { created, items: created ? [...items, item] : items.map((i) => (i.id === item.id ? item : i)) }
}

/** Every catalog write raises the catalog version read with the settings (issue 9: cache keys). */
const bumped = (ws: WorkspaceData): WorkspaceData => ({
  ...ws,
  settings: { ...ws.settings, catalogVersion: (ws.settings.catalogVersion ?? 1) + 1 },
})

const change = (db: MemoryDb, workspaceId: string, method: string, f: (ws: WorkspaceData) => WorkspaceData) =>
  write(db, method, (s) => [undefined, withWorkspace(s, bumped(f(workspaceOf(s, workspaceId))))])

export const catalogWrites = (db: MemoryDb): CatalogWrites => ({
  agentPasswordHash: (workspaceId, agentId) =>
    read(db, (s) => Option.fromUndefinedOr(s.workspaces.get(workspaceId)?.agentPasswordHashes.get(agentId))),
  upsertAgent: (workspaceId, agent, passwordHash) =>
    change(db, workspaceId, "upsertAgent", (ws) => {
      const hashes = new Map(ws.agentPasswordHashes)
      if (passwordHash !== null) hashes.set(agent.id, passwordHash)
      return { ...ws, agents: upsertById(ws.agents, copy(agent)).items, agentPasswordHashes: hashes }
    }),
  setDomains: (workspaceId, domains) =>
    writeOr<Conflict>()(db, "setDomains", (s) => {
      const ws = workspaceOf(s, workspaceId)
      const keys = domains.map((d) => d.host.toLowerCase())
      check(new Set(keys).size === keys.length, "a host is listed twice")
      for (const other of s.workspaces.values())
        if (other.workspace.id !== workspaceId)
          for (const d of other.domains)
            if (keys.includes(d.host.toLowerCase())) conflict(`The domain ${d.host} is connected to another portal.`)
      return [undefined, withWorkspace(s, bumped({ ...ws, domains: copy(domains) }))]
    }),
  setBranding: (workspaceId, branding) =>
    change(db, workspaceId, "setBranding", (ws) => ({
      ...ws,
      workspace: { ...ws.workspace, branding: copy(branding) },
    })),
  upsertCompany: (workspaceId, company) =>
    write(db, "upsertCompany", (s) => {
      const ws = workspaceOf(s, workspaceId)
      const { created, items } = upsertById(ws.companies, copy(company))
      return [{ created }, withWorkspace(s, bumped({ ...ws, companies: items }))]
    }),
  upsertList: (workspaceId, list) =>
    writeOr<MissingReference>()(db, "upsertList", (s) => {
      const ws = workspaceOf(s, workspaceId)
      for (const id of list.contactIds) if (!ws.contacts.some((c) => c.id === id)) missing("contact", id)
      const { created, items } = upsertById(ws.lists, copy(list))
      return [{ created }, withWorkspace(s, bumped({ ...ws, lists: items }))]
    }),
})
