/**
 * The `portal` CLI as a user runs it (`node apps/server/bin/portal.js …`, what `pnpm portal`
 * calls), on its own embedded PGlite data folder (removed after the file's tests).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { REPO_ROOT } from "../../src/Config.ts"

export const BIN = join(REPO_ROOT, "apps", "server", "bin", "portal.js")

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** A fresh data folder (`prefix`), the environment that points the CLI at it, and `run`. */
export const cliWithDataDir = (prefix: string) => {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { ...process.env, PORTAL_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "info", SMTP_URL: "" }
  const run = (args: ReadonlyArray<string>) =>
    new Promise<CliRun>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
      child.on("close", (code) => resolve({ code, stdout, stderr }))
    })
  return { dataDir, env, run }
}
