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

/** `@portal/core` or one of its layer subpaths (`@portal/core/ports`, …): core is imported by layer. */
const CORE = String.raw`"@portal\/core(?:\/[a-z]+)?"`

/** The port tags a file imports (or re-exports) from @portal/core as values. */
export const portValuesImported = (source: string): Array<string> => {
  const found: Array<string> = []
  const named = new RegExp(String.raw`(?:import|export)\s+(type\s+)?\{([^}]*)\}\s+from\s+${CORE}`, "g")
  for (const match of source.matchAll(named)) {
    if (match[1] !== undefined) continue
    for (const spec of (match[2] ?? "").split(",")) {
      const name = spec.trim()
      if (name.startsWith("type ")) continue
      const local = name.split(/\s+as\s+/)[0]?.trim() ?? ""
      if (PORT_TAGS.includes(local)) found.push(local)
    }
  }
  // A namespace or dynamic import of the ports layer reaches every tag: reported as one offender.
  const ports = String.raw`"@portal\/core(?:\/ports)?"`
  const whole = new RegExp(String.raw`import\s+\*\s+as\s+\w+\s+from\s+${ports}|import\(\s*${ports}\s*\)`, "g")
  for (const match of source.matchAll(whole)) found.push(match[0])
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

  it("finds it through core's layer subpaths, re-exports and whole-module imports (issue 9)", () => {
    expect(portValuesImported('import { TicketStore } from "@portal/core/ports"')).toEqual(["TicketStore"])
    expect(portValuesImported('import {\n  type Clock,\n  SessionStore as S,\n} from "@portal/core/ports"')).toEqual([
      "SessionStore",
    ])
    expect(portValuesImported('export { WorkspaceStore } from "@portal/core/ports"')).toEqual(["WorkspaceStore"])
    expect(portValuesImported('import * as ports from "@portal/core/ports"')).toEqual([
      'import * as ports from "@portal/core/ports"',
    ])
    expect(portValuesImported('const { TicketStore } = await import("@portal/core/ports")')).toEqual([
      'import("@portal/core/ports")',
    ])
    expect(portValuesImported('import type { TicketStore } from "@portal/core/ports"')).toEqual([])
    expect(portValuesImported('import { listTickets } from "@portal/core/usecases"')).toEqual([])
    expect(portValuesImported('import * as usecases from "@portal/core/usecases"')).toEqual([])
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
