/**
 * SettingsStore: settings are saved whole with an optimistic version (P-SET-5); a save naming
 * a stale version is a Conflict and writes nothing. An import stores the document's settings.
 */
import type { PortalSettings, WorkspaceId } from "@portal/core/domain"
import { SettingsStore } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { importDoc } from "./Documents.ts"
import { fixtures } from "./Fixtures.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const changed = (settings: PortalSettings): PortalSettings => ({
  ...settings,
  pageTitle: "Changed title ✓",
  ticketScope: { company: { listIds: ["l1" as never] } },
  ticketFilters: [],
  navigation: [],
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "SettingsStore", makeLayer, options, (h) => {
    const f = fixtures(h, "settings")
    const get = (ws: WorkspaceId) => h.run(use(SettingsStore, (s) => s.get(ws))).then(Option.getOrThrow)

    h.test("get returns the imported settings with a version", async () => {
      const doc = await f.workspace()
      const current = await get(doc.id)
      expect(current.settings).toEqual(doc.portal)
      expect(Number.isInteger(current.version)).toBe(true)
      expect(await h.run(use(SettingsStore, (s) => s.get("no-such-workspace" as never)))).toEqual(Option.none())
    })

    h.test("save with the current version replaces the settings whole and moves the version on", async () => {
      const doc = await f.workspace()
      const current = await get(doc.id)
      const next = changed(current.settings)
      const version = await h.run(use(SettingsStore, (s) => s.save(doc.id, next, current.version)))
      expect(version).toBeGreaterThan(current.version)
      // The catalog version stays: a settings save is no catalog write (issue 9, CatalogCache).
      expect(await get(doc.id)).toEqual({ ...current, settings: next, version })
      expect((await f.snapshot(doc.id)).document.portal).toEqual(next)
    })

    h.test("save with a stale version is a Conflict and writes nothing", async () => {
      const doc = await f.workspace()
      const current = await get(doc.id)
      await h.run(use(SettingsStore, (s) => s.save(doc.id, current.settings, current.version)))
      const saved = await get(doc.id)
      const error = await h.fail(use(SettingsStore, (s) => s.save(doc.id, changed(current.settings), current.version)))
      expect(error).toMatchObject({ _tag: "Conflict" })
      expect(await get(doc.id)).toEqual(saved)
    })

    h.test("a save with a version read before a re-import is a Conflict", async () => {
      const doc = await f.workspace()
      const read = await get(doc.id)
      await h.run(importDoc(doc))
      const error = await h.fail(use(SettingsStore, (s) => s.save(doc.id, changed(read.settings), read.version)))
      expect(error).toMatchObject({ _tag: "Conflict" })
      expect((await get(doc.id)).settings).toEqual(doc.portal)
    })
  })
