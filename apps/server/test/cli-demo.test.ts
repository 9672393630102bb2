/**
 * P-DATA-2: `portal start` loads the demo workspaces (whose passwords the README publishes) only
 * into the embedded default store (`.data/`, nothing named) when it is empty, or into an empty
 * store when started with `--demo`; never into a PostgreSQL database by default. The real CLI
 * on a named PGlite data folder, on an empty database of the PostgreSQL server (skipped with a
 * printed reason when none is reachable, failing under CI=true), and on `.data/` itself.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { makePgDriver } from "@portal/storage-postgres"
import { afterAll, describe, expect, it } from "vitest"
import { REPO_ROOT, readConfig } from "../src/Config.ts"
import { demoChoice } from "../src/Demo.ts"
import { startPortal } from "./support/Cli.ts"
import { Client } from "./support/Http.ts"

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: "",
  PORTAL_DATA_DIR: "",
  LOG_LEVEL: "info",
  SMTP_URL: "",
}
delete baseEnv.PORTAL_STORAGE

/** How many workspaces the store holds, and what the demo host `localhost` answers. */
const probe = async (port: number) => {
  const ready = await new Client(port, "localhost").request("/readyz")
  const info = await new Client(port, "localhost").request("/trpc/portal.info")
  return { workspaces: (ready.json as { workspaces: number }).workspaces, localhost: info.status }
}

const postgres = await (async () => {
  const admin = makePgDriver({ connectionString: ADMIN_URL, max: 1 })
  try {
    await admin.query("SELECT 1")
    return { ok: true as const, admin }
  } catch (error) {
    await admin.close().catch(() => {})
    const reason = `no PostgreSQL server at ${ADMIN_URL} (${error instanceof Error ? error.message : String(error)})`
    if (process.env.CI) throw new Error(`${reason}; CI is set, so this test fails instead of being skipped`)
    console.warn(`[server] skipping the P-DATA-2 PostgreSQL test: ${reason}`)
    return { ok: false as const }
  }
})()
afterAll(async () => {
  if (postgres.ok) await postgres.admin.close()
})

describe("P-DATA-2 demo data only where asked", () => {
  it("P-DATA-2: only the embedded default store is the default; every named store needs --demo", () => {
    const choice = (env: Record<string, string>, flag = false) => {
      const config = readConfig(env)
      return demoChoice({ defaultStore: config.defaultStore, storage: config.storage.kind }, flag).load
    }
    expect(choice({})).toBe(true)
    expect(choice({ PORTAL_DATA_DIR: "/srv/portal" })).toBe(false)
    expect(choice({ DATABASE_URL: "postgres://db/portal" })).toBe(false)
    expect(choice({ DATABASE_URL: "postgres://db/portal", PORTAL_DATA_DIR: "" })).toBe(false)
    expect(choice({ PORTAL_STORAGE: "memory" })).toBe(false)
    expect(choice({ DATABASE_URL: "postgres://db/portal" }, true)).toBe(true)
    expect(choice({ PORTAL_DATA_DIR: "/srv/portal" }, true)).toBe(true)
    // An empty variable is unset: the default folder, never the repository root itself.
    expect(choice({ PORTAL_DATA_DIR: "", DATABASE_URL: "" })).toBe(true)
    expect(readConfig({ PORTAL_DATA_DIR: "" }).storage).toEqual({ kind: "pglite", dataDir: join(REPO_ROOT, ".data") })
  })

  it("P-DATA-2: a named data folder gets no demo; --demo loads it into the empty store", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "portal-demo-dir-"))
    try {
      const env = { ...baseEnv, PORTAL_DATA_DIR: dataDir }
      const plain = await startPortal(env)
      try {
        expect(await probe(plain.port)).toEqual({ workspaces: 0, localhost: 404 })
        expect(plain.output()).toMatch(/demo workspaces not loaded: the store \(PGlite in .*\) was named explicitly/)
        expect(plain.output()).not.toMatch(/Demo accounts/)
      } finally {
        expect(await plain.stop()).toBe(0)
      }
      const demo = await startPortal(env, ["--demo"])
      try {
        expect(await probe(demo.port)).toEqual({ workspaces: 2, localhost: 200 })
        expect(demo.output()).toMatch(/demo workspaces loaded \(acme, sakura\) because --demo was given/)
        expect(demo.output()).toMatch(/Demo accounts/)
      } finally {
        expect(await demo.stop()).toBe(0)
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 240_000)

  it.skipIf(!postgres.ok)(
    "P-DATA-2: an empty PostgreSQL database gets no demo (Host: localhost has no portal); --demo loads it",
    async () => {
      if (!postgres.ok) return
      const name = `portal_demo_${process.pid}_${Date.now().toString(36)}`
      await postgres.admin.exec(`CREATE DATABASE ${name}`)
      try {
        const url = new URL(ADMIN_URL)
        url.pathname = `/${name}`
        const env = { ...baseEnv, DATABASE_URL: url.toString() }
        const plain = await startPortal(env)
        try {
          expect(await probe(plain.port)).toEqual({ workspaces: 0, localhost: 404 })
          expect(plain.output()).toMatch(/demo workspaces not loaded: the store \(PostgreSQL \(DATABASE_URL\)\)/)
        } finally {
          expect(await plain.stop()).toBe(0)
        }
        const demo = await startPortal(env, ["--demo"])
        try {
          expect(await probe(demo.port)).toEqual({ workspaces: 2, localhost: 200 })
        } finally {
          expect(await demo.stop()).toBe(0)
        }
      } finally {
        await postgres.admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      }
    },
    240_000,
  )

  const defaultDir = join(REPO_ROOT, ".data")
  if (existsSync(defaultDir))
    console.warn(`[server] skipping the default-store demo test: ${defaultDir} exists and is never touched by tests`)
  it.skipIf(existsSync(defaultDir))(
    "P-DATA-2: the embedded default store (.data/, nothing named) gets the demo when it is empty",
    async () => {
      const started = await startPortal(baseEnv)
      try {
        expect(await probe(started.port)).toEqual({ workspaces: 2, localhost: 200 })
        expect(started.output()).toMatch(/because the store is the embedded default store/)
      } finally {
        await started.stop()
        rmSync(defaultDir, { recursive: true, force: true })
      }
    },
    240_000,
  )
})
