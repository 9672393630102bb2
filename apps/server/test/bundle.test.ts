/**
 * Issue 12 (no TypeScript compiler at run time): the production bundle (`pnpm bundle`, what the
 * Dockerfile ships) is built JavaScript with its runtime dependencies only, installed from the
 * pnpm store without dev dependencies (no tsx). In it, the CLI migrates an
 * embedded store, imports a workspace, exports it, and `portal start` serves /healthz and
 * /readyz, then stops on SIGTERM with status 0. Needs `pnpm build` (the README's test command
 * builds first); without a build the test says why and skips, except on CI, where it fails.
 */
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"

const built = existsSync(join(REPO_ROOT, "apps", "server", "dist", "cli", "Main.js"))
const skip = built ? null : "apps/server/dist is missing (run `pnpm build`)"
if (skip !== null) {
  if (process.env.CI) throw new Error(`${skip}; CI is set, so this test fails instead of being skipped`)
  console.warn(`[bundle] skipped: ${skip}`)
}

const work = mkdtempSync(join(tmpdir(), "portal-bundle-"))
afterAll(() => rmSync(work, { recursive: true, force: true }))
const bundle = join(work, "bundle")
const dataDir = join(work, "data")

/** The environment a production host has: none of the test runner's loaders or source flags. */
const env = (): NodeJS.ProcessEnv => {
  const { NODE_OPTIONS: _o, PORTAL_CLI_SOURCE: _s, VITEST: _v, ...rest } = process.env
  return {
    ...rest,
    PORTAL_DATA_DIR: dataDir,
    DATABASE_URL: "",
    SMTP_URL: "",
    LOG_LEVEL: "info",
    NODE_ENV: "production",
  }
}

const run = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(bundle, "apps", "server", "bin", "portal.js"), ...args], {
      cwd: bundle,
      env: env(),
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe.skipIf(skip !== null)("production bundle (issue 12: built JavaScript, no dev dependencies)", () => {
  it("is made offline from the pnpm store without tsx, and migrates, imports, exports and serves", async () => {
    const made = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "bundle.mjs"), bundle, "--offline"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    })
    expect(made.status, made.stderr).toBe(0)
    // No TypeScript runner at run time: tsx (and the test tools) are installed nowhere in the
    // bundle. (The typescript package itself comes along as tRPC's peer dependency; nothing loads it.)
    for (const dev of ["tsx", "esbuild", "vitest"]) {
      expect(existsSync(join(bundle, "node_modules", dev)), dev).toBe(false)
      expect(existsSync(join(bundle, "node_modules", ".pnpm", "node_modules", dev)), dev).toBe(false)
    }
    expect(existsSync(join(bundle, "apps", "server", "src")), "no TypeScript sources").toBe(false)

    const migrated = await run(["migrate"])
    expect(migrated.code, migrated.stderr).toBe(0)
    const imported = await run(["import", join(bundle, "demo", "acme.en.json")])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stderr).toMatch(/imported workspace acme/)
    const exported = await run(["export", "acme"])
    expect(exported.code, exported.stderr).toBe(0)
    expect(JSON.parse(exported.stdout).workspace.id).toBe("acme")

    const child = spawn(process.execPath, [join(bundle, "apps", "server", "bin", "portal.js"), "start"], {
      cwd: bundle,
      env: { ...env(), PORT: "0", HOST: "127.0.0.1" },
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    const exited = new Promise<number | null>((done) => child.once("exit", done))
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /listening on port (\d+)/.exec(output)
          if (match) {
            clearInterval(timer)
            resolve(Number(match[1]))
          } else if (child.exitCode !== null) {
            clearInterval(timer)
            reject(new Error(`portal start exited with ${child.exitCode}:\n${output}`))
          }
        }, 100)
      })
      const health = await fetch(`http://127.0.0.1:${port}/healthz`)
      expect(health.status).toBe(200)
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      expect(ready.status).toBe(200)
      expect(((await ready.json()) as { workspaces: number }).workspaces).toBe(1)
    } finally {
      child.kill("SIGTERM")
    }
    expect(await exited, output).toBe(0)
  }, 300_000)
})
