/**
 * Issue 12, configuration: every environment variable is checked at start with a one-line error
 * naming it (never a stack trace, never the value of a secret), and every variable Config.ts
 * reads is in docs/api.md's "Configuration" table (and nothing else is).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ConfigError, REPO_ROOT, readConfig } from "../src/Config.ts"
import { cliWithDataDir } from "./support/Cli.ts"

const { run } = cliWithDataDir("portal-config-")

const refused = (env: Record<string, string>, name: string) => {
  let error: unknown
  try {
    readConfig(env)
  } catch (e) {
    error = e
  }
  expect(error, JSON.stringify(env)).toBeInstanceOf(ConfigError)
  const message = (error as Error).message
  expect(message).toMatch(new RegExp(`^${name}\\b`))
  expect(message).not.toMatch(/\n/)
  return message
}

describe("configuration (issue 12)", () => {
  it("refuses each bad value with one line naming the variable", () => {
    refused({ LOG_LEVEL: "verbose" }, "LOG_LEVEL")
    refused({ DATABASE_URL: "not a url" }, "DATABASE_URL")
    expect(refused({ DATABASE_URL: "mysql://root:hunter2@db/portal" }, "DATABASE_URL")).toMatch(/mysql/)
    // The URL's password never appears in the message.
    expect(refused({ DATABASE_URL: "mysql://root:hunter2@db/portal" }, "DATABASE_URL")).not.toMatch(/hunter2/)
    expect(refused({ DATABASE_URL: "postgres://root:hunter2@/portal" }, "DATABASE_URL")).not.toMatch(/hunter2/)
    refused({ PORTAL_STORAGE: "sqlite" }, "PORTAL_STORAGE")
    refused({ PORTAL_STORAGE: "memory", DATABASE_URL: "postgres://db/portal" }, "PORTAL_STORAGE")
    refused({ PORTAL_DEMO_DIR: "/no/such/folder" }, "PORTAL_DEMO_DIR")
    refused({ SMTP_URL: "http://mail.example" }, "SMTP_URL")
    refused({ SMTP_URL: "mail.example:25" }, "SMTP_URL")
    refused({ PORT: "http" }, "PORT")
    refused({ PORT: "70000" }, "PORT")
    refused({ PORTAL_PUBLIC_PORT: "-1" }, "PORTAL_PUBLIC_PORT")
    refused({ PORTAL_PUBLIC_SCHEME: "ftp" }, "PORTAL_PUBLIC_SCHEME")
    refused({ TRUST_PROXY: "maybe" }, "TRUST_PROXY")
    refused({ PORTAL_SECRET: "short" }, "PORTAL_SECRET")
    refused({ OIDC_ALLOW_INSECURE: "yes" }, "OIDC_ALLOW_INSECURE")
    refused({ PORTAL_SHUTDOWN_GRACE_SECONDS: "-1" }, "PORTAL_SHUTDOWN_GRACE_SECONDS")
    refused({ PORTAL_SHUTDOWN_GRACE_SECONDS: "ten" }, "PORTAL_SHUTDOWN_GRACE_SECONDS")
    refused({ PORTAL_API_TOKENS: "no-colon" }, "PORTAL_API_TOKENS")
    refused({ PORTAL_HEAP_GROWTH_PERCENT: "5" }, "PORTAL_HEAP_GROWTH_PERCENT")
    refused({ PORTAL_HEAP_GROWTH_PERCENT: "301" }, "PORTAL_HEAP_GROWTH_PERCENT")
    refused({ PORTAL_HEAP_GROWTH_PERCENT: "1e2" }, "PORTAL_HEAP_GROWTH_PERCENT")
    refused({ PORTAL_HEAP_GROWTH_PERCENT: "50%" }, "PORTAL_HEAP_GROWTH_PERCENT")
    // P-HOOK-1, P-HOOK-2
    refused({ PORTAL_WEBHOOK_POLL_MS: "10" }, "PORTAL_WEBHOOK_POLL_MS")
    refused({ PORTAL_WEBHOOK_POLL_MS: "soon" }, "PORTAL_WEBHOOK_POLL_MS")
    refused({ PORTAL_WEBHOOK_ALLOW_PRIVATE: "yes" }, "PORTAL_WEBHOOK_ALLOW_PRIVATE")
  })

  it("accepts the documented forms", () => {
    const config = readConfig({
      DATABASE_URL: "postgresql://portal:pw@db.internal:5432/portal",
      LOG_LEVEL: "WARN",
      SMTP_URL: "smtps://u:p@mail.example:465",
      PORTAL_SECRET: "x".repeat(32),
      OIDC_ALLOW_INSECURE: "1",
      PORTAL_SHUTDOWN_GRACE_SECONDS: "2.5",
      TRUST_PROXY: "true",
    })
    expect(config.storage).toEqual({ kind: "postgres", url: "postgresql://portal:pw@db.internal:5432/portal" })
    expect(config.logLevel).toBe("warn")
    expect(config.shutdownGraceMs).toBe(2500)
    expect(config.secret).toBe("x".repeat(32))
    expect(config.oidcAllowInsecure).toBe(true)
    expect(readConfig({}).shutdownGraceMs).toBe(10_000)
    expect(readConfig({}).heapGrowthPercent).toBe(100)
    expect(readConfig({ PORTAL_HEAP_GROWTH_PERCENT: "0" }).heapGrowthPercent).toBe(0)
    expect(readConfig({ PORTAL_HEAP_GROWTH_PERCENT: " 50 " }).heapGrowthPercent).toBe(50)
    expect(readConfig({}).secret).toBeNull()
    expect(readConfig({})).toMatchObject({ webhookPollMs: 2000, webhookAllowPrivate: false })
    expect(readConfig({ PORTAL_WEBHOOK_POLL_MS: "250", PORTAL_WEBHOOK_ALLOW_PRIVATE: "1" })).toMatchObject({
      webhookPollMs: 250,
      webhookAllowPrivate: true,
    })
  })

  it("the CLI prints one line and exits 2 (LOG_LEVEL=verbose used to print a stack trace)", async () => {
    const bad = await run(["migrate"], { LOG_LEVEL: "verbose" })
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split("\n")).toHaveLength(1)
    expect(bad.stderr).toMatch(/^portal migrate: configuration: LOG_LEVEL must be one of/)
    const mysql = await run(["migrate"], { DATABASE_URL: "mysql://root:hunter2@127.0.0.1/portal" })
    expect(mysql.code).toBe(2)
    expect(mysql.stderr).toMatch(/DATABASE_URL must be a PostgreSQL URL/)
    expect(mysql.stderr).not.toMatch(/hunter2/)
  }, 60_000)

  it("docs/api.md's Configuration table lists exactly the variables the server reads", () => {
    const sources = ["apps/server/src/Config.ts", "apps/server/bin/portal.js"].map((f) =>
      readFileSync(join(REPO_ROOT, f), "utf8"),
    )
    const read = new Set(sources.flatMap((text) => [...text.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1])))
    const docs = readFileSync(join(REPO_ROOT, "docs", "api.md"), "utf8")
    const section = docs.slice(
      docs.indexOf("## Configuration"),
      docs.indexOf("\n## ", docs.indexOf("## Configuration") + 5),
    )
    const documented = new Set([...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]))
    expect([...read].sort()).toEqual([...documented].sort())
  })
})
