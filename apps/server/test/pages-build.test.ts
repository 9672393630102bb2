/**
 * The built pages (apps/portal/build, made by `pnpm build`) run without AsyncLocalStorage:
 * SvelteKit is patched (patches/@sveltejs__kit@2.70.4.patch) because on Node 20 one
 * AsyncLocalStorage `run` turns on promise hooks for the whole process, API requests included
 * (docs/http-bench.md "Sixth session": 5–10 % of the CPU per request). A fresh process serves a
 * page through the built handler, then looks at a new promise's async resource: where an
 * AsyncLocalStorage has run, it carries the store's symbol (support/als-probe.mjs). An unpatched
 * build prints `Symbol(kResourceStore)` here.
 */
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"

const probe = fileURLToPath(new URL("./support/als-probe.mjs", import.meta.url))
const handler = join(REPO_ROOT, "apps", "portal", "build", "handler.js")

describe("the built pages", () => {
  it("serve a page without turning on AsyncLocalStorage's promise hooks", () => {
    const out = JSON.parse(execFileSync(process.execPath, [probe, handler], { encoding: "utf8" })) as {
      status: number
      sveltekit: boolean
      symbols: ReadonlyArray<string>
    }
    // The page really went through SvelteKit (its 404 page), not a fallback.
    expect(out).toMatchObject({ status: 404, sveltekit: true })
    expect(out.symbols.filter((s) => s.includes("ResourceStore"))).toEqual([])
  })
})
