/**
 * The real server (apps/server, `portal start --demo`) as a child process on a free port, with the
 * embedded PGlite store in a temporary PORTAL_DATA_DIR: `--demo` loads the demo workspaces into
 * it (a named data folder gets them only when asked, P-DATA-2) and it mounts the built portal
 * (apps/portal/build/handler.js).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { HANDLER, PORTAL_DIR, REPO_ROOT } from "./env.ts"

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

/** Every `pattern` match (group 1) in the .js files under `dir`. */
const matchesIn = (dir: string, pattern: RegExp): Set<string> => {
  const found = new Set<string>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue
    for (const m of readFileSync(join(entry.parentPath, entry.name), "utf8").matchAll(pattern)) found.add(m[1] ?? "")
  }
  return found
}

/**
 * The server half of a SvelteKit build writes its start script for `globalThis.__sveltekit_<hash>`,
 * which the client half reads; halves from two builds (a `svelte-kit sync` during `vite build`
 * did this once) break every page's scripts. Say so at once rather than through timeouts.
 */
const assertOneBuild = () => {
  const server = matchesIn(join(PORTAL_DIR, "build", "server"), /version_hash: "([a-z0-9]+)"/g)
  const client = matchesIn(join(PORTAL_DIR, "build", "client"), /globalThis\.__sveltekit_([a-z0-9]+)/g)
  if (server.size !== 1 || client.size !== 1 || [...server][0] !== [...client][0]) {
    throw new Error(
      `apps/portal/build mixes two builds (server hash ${[...server].join(",")}, client ${[...client].join(",")}); run pnpm build again`,
    )
  }
}

/** Build the portal when the tests run without `pnpm build` first, and check the build is whole. */
export const ensureBuilt = () => {
  if (!existsSync(HANDLER)) {
    const result = spawnSync("pnpm", ["exec", "vite", "build"], { cwd: PORTAL_DIR, stdio: "inherit" })
    if (result.status !== 0) throw new Error("apps/portal build failed")
  }
  assertOneBuild()
}

export interface RunningServer {
  readonly port: number
  readonly stop: () => Promise<void>
  readonly logs: () => string
}

const waitReady = async (port: number, child: ChildProcess, logs: () => string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${logs()}`)
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${logs()}`)
}

/** `env`: extra variables for the server (SMTP_URL, PORTAL_API_TOKENS …). */
export const startServer = async (env: Record<string, string> = {}): Promise<RunningServer> => {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), "portal-e2e-"))
  let output = ""
  const child = spawn(process.execPath, [join(REPO_ROOT, "apps", "server", "bin", "portal.js"), "start", "--demo"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      PORTAL_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      // The server's TypeScript sources (tsx), so the tests never run a stale apps/server/dist.
      PORTAL_CLI_SOURCE: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on("data", keep)
  child.stderr?.on("data", keep)
  const logs = () => output
  try {
    await waitReady(port, child, logs, 120_000)
  } catch (e) {
    child.kill("SIGKILL")
    rmSync(dataDir, { recursive: true, force: true })
    throw e
  }
  return {
    port,
    logs,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r))
        child.kill("SIGTERM")
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill("SIGKILL")
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
