/**
 * Issue 9: no port is called from `@portal/api` or the server's request path except through
 * core's use-cases. A port is called through its tag (`TicketStore.use(…)`, `yield* TicketStore`),
 * which needs the tag imported as a value; a `type` import (an Effect's requirements in a
 * signature) is fine. The command-line tools (src/cli) are checked too: `create-agent` goes
 * through core's `saveAgentAccount`, `import`/`export`/`migrate` through @portal/storage-postgres's
 * CLI helpers (core's import/export use-cases underneath).
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const PORT_TAGS = [
  "WorkspaceStore",
  "SettingsStore",
  "ContactStore",
  "TicketStore",
  "BlobStore",
  "SessionStore",
  "SecurityStore",
  "ApiTokenStore",
  "CatalogCache",
  "WebhookStore",
  "OutboxStore",
]
const root = new URL("../../../", import.meta.url).pathname
const sourcesOf = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourcesOf(path)
    return path.endsWith(".ts") ? [path] : []
  })

/** The port tags a file imports from @portal/core as values. */
export const portValuesImported = (source: string): Array<string> => {
  const found: Array<string> = []
  for (const match of source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@portal\/core"/g)) {
    if (match[1] !== undefined) continue
    for (const spec of (match[2] ?? "").split(",")) {
      const name = spec.trim()
      if (name.startsWith("type ")) continue
      const local = name.split(/\s+as\s+/)[0]?.trim() ?? ""
      if (PORT_TAGS.includes(local)) found.push(local)
    }
  }
  return found
}

describe("issue 9: ports are called through core's use-cases only", () => {
  it("finds a port imported as a value (the check itself)", () => {
    expect(portValuesImported('import { type Clock, TicketStore, listTickets } from "@portal/core"')).toEqual([
      "TicketStore",
    ])
    expect(portValuesImported('import { type TicketStore, listTickets } from "@portal/core"')).toEqual([])
    expect(portValuesImported('import type { SessionStore } from "@portal/core"')).toEqual([])
  })

  it("packages/api/src and apps/server/src (the CLI included) import no port as a value", () => {
    const files = [...sourcesOf(join(root, "packages/api/src")), ...sourcesOf(join(root, "apps/server/src"))]
    expect(files.length).toBeGreaterThan(20)
    const offenders = files.flatMap((file) =>
      portValuesImported(readFileSync(file, "utf8")).map((tag) => `${relative(root, file)}: ${tag}`),
    )
    expect(offenders).toEqual([])
  })
})
