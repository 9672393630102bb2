/**
 * The demo workspaces (demo/*.json, WORKSPACE_FORMAT.md) are loaded into an empty store at
 * `portal start`, through core's import use-case like any document.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { PortalRuntime } from "@portal/api"
import { importWorkspace, WorkspaceStore } from "@portal/core"
import { Effect } from "effect"

export interface DemoAccount {
  readonly workspace: string
  readonly host: string
  readonly who: "agent" | "contact"
  readonly email: string
  readonly password: string
}

/** What the start banner reads of a demo document (the import use-case checks the rest). */
interface DemoShape {
  readonly workspace?: { readonly id: string }
  readonly domains?: ReadonlyArray<{ readonly host: string }>
  readonly agents?: ReadonlyArray<{ readonly email: string; readonly password?: unknown }>
  readonly contacts?: ReadonlyArray<{ readonly email: string; readonly password?: unknown }>
}

/** Imports every demo document if the store holds no workspace; returns the demo accounts. */
export const loadDemosIntoEmptyStore = async (runtime: PortalRuntime, demoDir: string) => {
  const existing = await runtime.runPromise(WorkspaceStore.use((s) => s.listWorkspaceIds()))
  const files = readdirSync(demoDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
  const accounts: Array<DemoAccount> = []
  const docs = files.map((f) => JSON.parse(readFileSync(join(demoDir, f), "utf8")) as DemoShape)
  for (const doc of docs) {
    const host = doc.domains?.[0]?.host ?? ""
    const workspace = doc.workspace?.id ?? ""
    for (const [who, people] of [
      ["agent", doc.agents],
      ["contact", doc.contacts],
    ] as const)
      for (const p of people ?? [])
        if (typeof p.password === "string")
          accounts.push({ workspace, host, who, email: p.email, password: p.password })
  }
  if (existing.length > 0) return { loaded: [] as ReadonlyArray<string>, accounts }
  const loaded: Array<string> = []
  for (const doc of docs) {
    const summary = await runtime.runPromise(importWorkspace(doc).pipe(Effect.orDie))
    loaded.push(summary.workspaceId)
  }
  return { loaded, accounts }
}
