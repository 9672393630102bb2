/**
 * docs/api.md and the router stay in step: every procedure of the app router has a row in the
 * "Procedures" part of the docs (a table row's first cell, or a paragraph opening with its
 * backticked name and its kind, as `portal.info` (query …)), and every such name
 * names a procedure the router has. A new procedure without docs, or docs of a removed one, fail.
 */
import { readFileSync } from "node:fs"
import { appRouter } from "@portal/api"
import { describe, expect, it } from "vitest"

const docs = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8")
const procedures = docs.slice(
  docs.indexOf("\n## Procedures"),
  docs.indexOf("\n## ", docs.indexOf("\n## Procedures") + 1),
)

const NAME = /`([a-zA-Z]+(?:\.[a-zA-Z]+)+)`/g
/** The names in a table row's first cell (`admin.enable` / `admin.disable`), or opening a paragraph. */
const documented = procedures.split("\n").flatMap((line) => {
  const head = line.startsWith("| ")
    ? (line.split("|")[1] ?? "")
    : /^`[a-zA-Z.]+` \(/.test(line)
      ? line.split(" (")[0]
      : ""
  return [...(head ?? "").matchAll(NAME)].map((m) => m[1] as string)
})
const routed = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures)

describe("docs/api.md lists the router's procedures", () => {
  it("every procedure of the router is documented", () => {
    expect(routed.filter((p) => !documented.includes(p)).sort()).toEqual([])
  })
  it("every documented procedure exists", () => {
    expect([...new Set(documented)].filter((p) => !routed.includes(p)).sort()).toEqual([])
  })
})
