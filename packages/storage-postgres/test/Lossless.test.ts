/**
 * P-DATA-1 through the import and export use-cases, on both drivers (the PostgreSQL server is
 * skipped with a printed reason when none is reachable, failing instead under CI=true): for
 * generated workspaces whose logins are stored hashes, whose contacts gave consents and whose
 * files have ids, export → import → export gives byte-identical JSON, and the first export is
 * the imported document itself.
 */
import { encodeWorkspaceDocument } from "@portal/core/domain"
import { exportWorkspace, importWorkspace } from "@portal/core/usecases"
import { workspaceDocumentWithLogins } from "@portal/storage-contract"
import { layerSystemTest } from "@portal/storage-memory"
import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { eachDriver, runOn } from "./support/Drivers.ts"

const importRaw = (raw: unknown) => importWorkspace(raw).pipe(Effect.provide(layerSystemTest()))
const exportText = async (driver: Parameters<typeof runOn>[0], id: string) =>
  JSON.stringify(await runOn(driver, exportWorkspace(id)), null, 2)

eachDriver("P-DATA-1 lossless export and import", (shared, kind) => {
  it("P-DATA-1: export → import → export gives the same JSON bytes (login hashes, consents, attachment ids)", async () => {
    const driver = await shared.get()
    const id = `lossless-${kind}`
    await fc.assert(
      fc.asyncProperty(workspaceDocumentWithLogins(id, `${id}.lossless.test`), async (doc) => {
        // The document as a file carries it: plain JSON.
        const input = JSON.parse(JSON.stringify(encodeWorkspaceDocument(doc)))
        const summary = await runOn(driver, importRaw(input))
        expect(summary.counts.passwords).toBe(
          [...doc.agents, ...doc.contacts].filter((p) => p.passwordHash !== undefined).length,
        )
        const first = await exportText(driver, id)
        expect(JSON.parse(first)).toEqual(input)
        await runOn(driver, importRaw(JSON.parse(first)))
        expect(await exportText(driver, id)).toBe(first)
      }),
      { numRuns: kind === "pglite" ? 25 : 15 },
    )
  }, 180_000)
})
