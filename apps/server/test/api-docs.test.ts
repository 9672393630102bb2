/**
 * docs/api.md and the router stay in step: every procedure of the app router has a row in the
 * "Procedures" part of the docs (a table row's first cell, or a paragraph opening with its
 * backticked name and its kind, as `portal.info` (query …)), and every such name
 * names a procedure the router has. A new procedure without docs, or docs of a removed one, fail.
 * Issue 12: the integration table, the event kinds and the JSON routes (P-HOOK-3) are compared
 * with the router, core's PORTAL_EVENT_KINDS and JsonApi.ts's JSON_ROUTES; named files must exist.
 */
import { existsSync, readFileSync } from "node:fs"
import { appRouter, JSON_ROUTES } from "@portal/api"
import { PORTAL_EVENT_KINDS } from "@portal/core/ports"
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

/** The part of the docs between a heading and the next heading of the same or a higher level. */
const part = (heading: string): string => {
  const start = docs.indexOf(heading)
  if (start < 0) throw new Error(`docs/api.md has no "${heading}"`)
  const level = heading.match(/^\n(#+) /)?.[1] ?? "##"
  const next = docs.slice(start + heading.length).search(new RegExp(`\\n#{1,${level.length}} `))
  return docs.slice(start, next < 0 ? undefined : start + heading.length + next)
}

describe("docs/api.md and the integration API agree (issue 12, P-HOOK-3)", () => {
  const integration = part("\n### `integration`")
  const rows = integration.split("\n").filter((l) => l.startsWith("| `integration."))
  it("the integration table lists exactly the router's integration procedures", () => {
    const listed = rows.map((l) => /`(integration\.[a-zA-Z.]+)`/.exec(l)?.[1]).sort()
    expect(listed).toEqual(routed.filter((p) => p.startsWith("integration.")).sort())
  })
  it("the events row and the feed's text name exactly the event kinds", () => {
    const eventsRow = rows.find((l) => l.startsWith("| `integration.events`")) ?? ""
    const inRow = [...eventsRow.matchAll(/"([a-zA-Z.]+)"/g)].map((m) => m[1]).filter((k) => k !== "kind")
    expect([...new Set(inRow)].sort()).toEqual([...PORTAL_EVENT_KINDS].sort())
    const feed = part("\n### The events feed")
    for (const kind of PORTAL_EVENT_KINDS) expect(feed).toContain(`\`${kind}\``)
  })
  it("the JSON route table lists exactly the JSON routes, each with its procedure", () => {
    const json = part("\n## JSON API and OpenAPI")
    const documentedRoutes = json
      .split("\n")
      .flatMap((l) => {
        const m = /^\| `(GET|POST|PUT|DELETE|PATCH) (\/api\/[^`]+)` \| `([a-zA-Z.]+)` \|/.exec(l)
        return m === null ? [] : [`${m[1]} ${m[2]} ${m[3]}`]
      })
      .sort()
    expect(documentedRoutes).toEqual(
      JSON_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path} integration.${r.procedure}`).sort(),
    )
  })
  it("every source file the docs name exists", () => {
    const root = new URL("../../../", import.meta.url)
    const named = [...docs.matchAll(/`((?:packages|apps)\/[A-Za-z0-9_./-]+\.(?:ts|svelte|md|json))`/g)].map(
      (m) => m[1] as string,
    )
    expect(named.length).toBeGreaterThan(10)
    expect(named.filter((p) => !existsSync(new URL(p, root)))).toEqual([])
  })
})
