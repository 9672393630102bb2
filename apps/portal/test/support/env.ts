// Where things are for the end-to-end tests, and whether they can run here.
import { existsSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const PORTAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")
export const REPO_ROOT = resolve(PORTAL_DIR, "..", "..")
export const HANDLER = join(PORTAL_DIR, "build", "handler.js")
export const SCREENSHOTS = join(REPO_ROOT, "artifacts", "screenshots")
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** Why the browser tests cannot run here, or null. On CI a missing browser is a failure, not a skip. */
export const skipReason = (): string | null => {
  if (existsSync(CHROMIUM)) return null
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium)`
  if (process.env.CI) throw new Error(`${reason}; the portal's browser tests must run on CI.`)
  return reason
}

/** The demo workspaces (demo/*.json): English on localhost, Japanese on 127.0.0.1. */
export const demo = {
  password: "customer-demo-2026",
  adminPassword: "admin-demo-2026",
  en: { host: "localhost", admin: "hana@acme.test", slug: "tickets" },
  ja: { host: "127.0.0.1", admin: "hana@sakura.test", slug: "tickets" },
} as const
