/**
 * The `portal` CLI as a user runs it (`node apps/server/bin/portal.js …`, what `pnpm portal`
 * calls), on its own embedded PGlite data folder (removed after the file's tests).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach } from "vitest"
import { REPO_ROOT } from "../../src/Config.ts"

export const BIN = join(REPO_ROOT, "apps", "server", "bin", "portal.js")

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * The tests run the CLI from its TypeScript sources (PORTAL_CLI_SOURCE=1, bin/portal.js), so they
 * need no build and never run a stale dist/; test/bundle.test.ts runs the built JavaScript.
 */

/** A fresh data folder (`prefix`), the environment that points the CLI at it, and `run`. */
export const cliWithDataDir = (prefix: string) => {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = {
    ...process.env,
    PORTAL_CLI_SOURCE: "1",
    PORTAL_DATA_DIR: dataDir,
    DATABASE_URL: "",
    LOG_LEVEL: "info",
    SMTP_URL: "",
  }
  // A command still running when its test ends (a timeout) would hold the folder's lock
  // (portal.lock) and fail the next tests: it is killed, and its stale lock is taken over.
  const live = new Set<ChildProcess>()
  afterEach(() => {
    for (const child of live) child.kill("SIGKILL")
    live.clear()
  })
  const run = (args: ReadonlyArray<string>, extraEnv: Record<string, string> = {}) =>
    new Promise<CliRun>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...env, ...extraEnv } })
      live.add(child)
      child.once("exit", () => live.delete(child))
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
      child.on("close", (code) => resolve({ code, stdout, stderr }))
    })
  return { dataDir, env, run }
}

export interface StartedPortal {
  readonly port: number
  /** The process id (to signal it: SIGSTOP/SIGCONT in multi-node tests). */
  readonly pid: number
  /** Everything the process wrote to standard output and standard error so far. */
  readonly output: () => string
  /** SIGTERM, then the exit code. */
  readonly stop: () => Promise<number | null>
  /** SIGKILL (a crash: nothing runs after it), then the exit code. */
  readonly kill: () => Promise<number | null>
}

/** `portal start [...args]` with `env` on a free port; resolves once it prints its start line. */
export const startPortal = (env: NodeJS.ProcessEnv, args: ReadonlyArray<string> = []): Promise<StartedPortal> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "start", ...args], {
      cwd: REPO_ROOT,
      env: { ...env, PORTAL_CLI_SOURCE: "1", PORT: "0", HOST: "127.0.0.1" },
    })
    let output = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`no start line after 90 s:\n${output}`))
    }, 90_000)
    const exited = new Promise<number | null>((done) => child.once("exit", done))
    const onData = (c: Buffer) => {
      output += c.toString()
      const match = /listening on port (\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({
          port: Number(match[1]),
          pid: child.pid ?? 0,
          output: () => output,
          stop: async () => {
            child.kill("SIGTERM")
            return exited
          },
          kill: async () => {
            child.kill("SIGKILL")
            return exited
          },
        })
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`portal start exited with ${code}:\n${output}`))
    })
  })
