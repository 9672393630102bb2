/**
 * Every requirement of ../shared/spec/PRODUCT.md is cited by at least one test, except those of
 * the open issues that nobody has built yet (PENDING, with the issue that builds them). When an
 * issue lands, its IDs leave PENDING: this test then fails until a test cites each of them, and it
 * fails as well while a PENDING ID is already cited (so the list never goes stale).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const REPO = fileURLToPath(new URL("../../../", import.meta.url))
const PRODUCT = join(REPO, "..", "shared", "spec", "PRODUCT.md")

/** Requirements of open issues that are not built yet, by issue number. */
const PENDING: Readonly<Record<string, ReadonlyArray<string>>> = {
  "11 (notifications)": [],
  "12 (integrations, operations)": [],
  "13 (customer features)": [],
}

const SELF = fileURLToPath(import.meta.url)
const ID = /P-[A-Z]+-\d+/g

/** Test sources of every package and app (the folders named `test`, outside node_modules). */
const testFiles = (dir: string, inTest = false): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".") || name === "build" || name === "dist") return []
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return testFiles(path, inTest || name === "test")
    return inTest && /\.(ts|svelte)$/.test(name) && path !== SELF ? [path] : []
  })

describe.skipIf(!existsSync(PRODUCT) && process.env.CI !== "true")("requirement coverage", () => {
  const required = [...new Set(readFileSync(PRODUCT, "utf8").match(ID) ?? [])]
  const cited = new Set<string>()
  for (const root of ["packages", "apps"])
    for (const file of testFiles(join(REPO, root)))
      for (const id of readFileSync(file, "utf8").match(ID) ?? []) cited.add(id)
  const pending = new Set(Object.values(PENDING).flat())

  it("PRODUCT.md numbers its requirements and PENDING names only real ones", () => {
    expect(required.length).toBeGreaterThan(60)
    expect([...pending].filter((id) => !required.includes(id))).toEqual([])
  })
  it("every requirement that is built is cited by a test", () => {
    expect(required.filter((id) => !pending.has(id) && !cited.has(id))).toEqual([])
  })
  it("no requirement still listed as pending is cited by a test (take it off PENDING)", () => {
    expect([...pending].filter((id) => cited.has(id))).toEqual([])
  })
})
