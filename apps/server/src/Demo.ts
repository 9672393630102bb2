/**
 * The demo workspaces (demo/*.json, WORKSPACE_FORMAT.md), whose passwords the README publishes,
 * are loaded at `portal start` through core's import use-case like any document, and only
 * (P-DATA-2):
 * - into the embedded default store (no DATABASE_URL, PORTAL_STORAGE or PORTAL_DATA_DIR, so
 *   `.data/`), or into any store with `portal start --demo`;
 * - and only when that store holds no workspace at all.
 * A PostgreSQL database never gets them by default. Start.ts logs which case applied.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { PortalRuntime } from "@portal/api"
import { importWorkspace, workspaceIds } from "@portal/core/usecases"
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

export type DemoChoice = { readonly load: true; readonly why: string } | { readonly load: false; readonly why: string }

/** P-DATA-2: may `portal start` load the demo (into an empty store), and why (for the log)? */
export const demoChoice = (
  options: { readonly defaultStore: boolean; readonly storage: string },
  demoFlag: boolean,
): DemoChoice => {
  if (demoFlag) return { load: true, why: "--demo was given" }
  if (options.defaultStore) return { load: true, why: "the store is the embedded default store (.data/)" }
  return {
    load: false,
    why: `the store (${options.storage}) was named explicitly; start with --demo to load the demo workspaces into it when it is empty`,
  }
}

/** Imports every demo document if the store holds no workspace; returns the demo accounts. */
export const loadDemosIntoEmptyStore = async (runtime: PortalRuntime, demoDir: string) => {
  const existing = await runtime.runPromise(workspaceIds())
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
  // The banner lists only the accounts of demo workspaces the store really holds.
  const held = (ids: ReadonlyArray<string>) => accounts.filter((a) => ids.includes(a.workspace))
  if (existing.length > 0)
    return { loaded: [] as ReadonlyArray<string>, accounts: held(existing), existing: existing.length }
  const loaded: Array<string> = []
  for (const doc of docs) {
    const summary = await runtime.runPromise(importWorkspace(doc).pipe(Effect.orDie))
    loaded.push(summary.workspaceId)
  }
  return { loaded, accounts: held(loaded), existing: 0 }
}
