/**
 * Issue 9, item 2: the catalog is cached per workspace by the versions read with the settings —
 * the settings version and the catalog version (which every catalog write raises on every node's
 * store, storage contract "catalog writes"). A node never serves a catalog older than the versions
 * its request read, whatever its cache holds; it reads the catalog once per version pair.
 */
import { Effect, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { CallerPortal, WorkspaceId } from "../../src/domain/index.ts"
import { type Catalog, layerCatalogCache, WorkspaceStore } from "../../src/ports/index.ts"
import { portalCatalog } from "../../src/usecases/index.ts"

const makeWorld = () => {
  let reads = 0
  let name = "v1"
  const catalog = (): Catalog => ({ workspace: { id: "acme", name } }) as unknown as Catalog
  const store = Layer.succeed(WorkspaceStore, {
    catalog: () =>
      Effect.sync(() => {
        reads++
        return Option.some(catalog())
      }),
  } as unknown as WorkspaceStore["Service"])
  let now = 0
  const cache = layerCatalogCache({ maxAgeMs: 60_000, now: () => now })
  const layer = Layer.mergeAll(store, cache)
  const portal = (settingsVersion: number, catalogVersion: number) =>
    ({ workspaceId: "acme" as WorkspaceId, settingsVersion, catalogVersion }) as unknown as CallerPortal
  return {
    layer,
    portal,
    reads: () => reads,
    rename: (n: string) => {
      name = n
    },
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe("portalCatalog (issue 9: cached by settings and catalog version)", () => {
  it("reads once per version pair; a raised catalog or settings version reads again, on this node", async () => {
    const w = makeWorld()
    await Effect.runPromise(
      Effect.gen(function* () {
        const nameAt = (s: number, c: number) => Effect.map(portalCatalog(w.portal(s, c)), (cat) => cat.workspace.name)
        expect(yield* nameAt(1, 1)).toBe("v1")
        expect(yield* nameAt(1, 1)).toBe("v1")
        expect(w.reads()).toBe(1)
        // Another node renamed something: its write raised the catalog version this request read.
        w.rename("v2")
        expect(yield* nameAt(1, 2)).toBe("v2")
        expect(w.reads()).toBe(2)
        w.rename("v3")
        expect(yield* nameAt(2, 2)).toBe("v3")
        expect(yield* nameAt(2, 2)).toBe("v3")
        expect(w.reads()).toBe(3)
        // Past the memory bound an idle entry is read again (not needed for correctness).
        w.advance(60_001)
        expect(yield* nameAt(2, 2)).toBe("v3")
        expect(w.reads()).toBe(4)
      }).pipe(Effect.provide(w.layer)),
    )
  })
})
