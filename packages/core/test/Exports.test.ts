/**
 * Issue 9, namespaced core exports: @portal/core is imported by layer (`@portal/core/domain`,
 * `/ports`, `/rules`, `/usecases`), never through a flat root that re-exports everything. Each
 * layer's index re-exports every module of its folder, and no value is exported by two layers (so
 * an import names one place and the exports codemod can place every name).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as domain from "../src/domain/index.ts"
import * as ports from "../src/ports/index.ts"
import * as rules from "../src/rules/index.ts"
import * as usecases from "../src/usecases/index.ts"

const LAYERS = ["domain", "ports", "rules", "usecases"] as const
const core = new URL("../", import.meta.url)
const pkg = JSON.parse(readFileSync(new URL("package.json", core), "utf8")) as {
  exports: Record<string, Record<string, string>>
}

describe("@portal/core exports by layer (issue 9)", () => {
  it("package.json exports the four layers, sources and built files, and no root", () => {
    expect(Object.keys(pkg.exports)).toEqual(LAYERS.map((l) => `./${l}`))
    for (const layer of LAYERS)
      expect(pkg.exports[`./${layer}`]).toEqual({
        source: `./src/${layer}/index.ts`,
        types: `./dist/${layer}/index.d.ts`,
        default: `./dist/${layer}/index.js`,
      })
    expect(existsSync(new URL("src/index.ts", core))).toBe(false)
  })

  it("each layer's index re-exports every module of its folder", () => {
    for (const layer of LAYERS) {
      const modules = readdirSync(new URL(`src/${layer}/`, core))
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .sort()
      const index = readFileSync(new URL(`src/${layer}/index.ts`, core), "utf8")
      const reExported = [...index.matchAll(/^export \* from "\.\/([^"]+)"$/gm)].map((m) => m[1]).sort()
      expect(reExported, layer).toEqual(modules)
    }
  })

  it("no value is exported by two layers", () => {
    const layers = { domain, ports, rules, usecases }
    const owners = new Map<string, Array<string>>()
    for (const [layer, module] of Object.entries(layers))
      for (const name of Object.keys(module)) owners.set(name, [...(owners.get(name) ?? []), layer])
    expect([...owners].filter(([, ls]) => ls.length > 1)).toEqual([])
    expect(owners.size).toBeGreaterThan(300)
  })
})
