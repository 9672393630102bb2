/**
 * The `portal` CLI as a user runs it (`node apps/server/bin/portal.js …`, what `pnpm portal`
 * calls), on an embedded PGlite data folder: migrate, import, export (only the document on
 * standard output), create-agent, start, and the exit codes.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { closeSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { BIN, cliWithDataDir, startPortal } from "./support/Cli.ts"
import { Client, data } from "./support/Http.ts"
import { ADMIN, CUSTOMER_PASSWORD, type Doc, demoDoc } from "./support/World.ts"

const { dataDir, env, run } = cliWithDataDir("portal-cli-")
const fresh = cliWithDataDir("portal-cli-fresh-")
const untouched = cliWithDataDir("portal-cli-untouched-")

const withoutPasswords = (doc: Doc) => ({
  ...doc,
  agents: doc.agents.map(({ password: _, ...a }: Record<string, unknown>) => a),
  contacts: doc.contacts.map(({ password: _, ...c }: Record<string, unknown>) => c),
})

/** An export without what the import decided: argon2id login hashes and attachment ids (P-DATA-1). */
const withoutLogins = (doc: Doc) => ({
  ...doc,
  agents: doc.agents.map(({ passwordHash: _, ...a }: Record<string, unknown>) => a),
  contacts: doc.contacts.map(({ passwordHash: _, ...c }: Record<string, unknown>) => c),
  threads: doc.threads.map((t: Doc) => ({
    ...t,
    messages: t.messages.map((m: Doc) =>
      m.attachments === undefined ? m : { ...m, attachments: m.attachments.map(({ id: _, ...a }: Doc) => a) },
    ),
  })),
})

describe("portal CLI", () => {
  it("migrate, import, then export prints only the document, equal to the file without passwords", async () => {
    expect((await run(["migrate"])).code).toBe(0)
    const imported = await run(["import", join(REPO_ROOT, "demo", "acme.en.json")])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stdout).toBe("")
    expect(imported.stderr).toMatch(/imported workspace acme/)
    const exported = await run(["export", "acme"])
    expect(exported.code, exported.stderr).toBe(0)
    expect(withoutLogins(JSON.parse(exported.stdout))).toEqual(withoutPasswords(demoDoc("acme.en.json")))
    const out = join(dataDir, "acme-out.json")
    expect((await run(["export", "acme", "--out", out])).code).toBe(0)
    expect(JSON.parse(readFileSync(out, "utf8")).workspace.id).toBe("acme")
  }, 180_000)

  it("fails with a reason and a non-zero status, writing nothing to standard output", async () => {
    const missing = await run(["export", "no-such-workspace"])
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe("")
    expect(missing.stderr).toMatch(/no-such-workspace/)
    const bad = join(dataDir, "bad.json")
    const doc = demoDoc("acme.en.json")
    doc.tickets[0].pipelineId = "ghost"
    writeFileSync(bad, JSON.stringify(doc))
    const refused = await run(["import", bad])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/ghost/)
    const usage = await run(["frobnicate"])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/Usage: pnpm portal/)
    expect((await run(["create-agent", "--workspace", "acme"])).code).toBe(2)
  }, 180_000)

  it("create-agent adds an agent who can then sign in to the started server", async () => {
    const created = await run([
      "create-agent",
      "--workspace",
      "acme",
      "--email",
      "ops@acme.test",
      "--name",
      "Ops Person",
      "--password",
      "ops-password-2026",
      "--settings",
      "--work",
      "--id",
      "u-ops",
    ])
    expect(created.code, created.stderr).toBe(0)
    // Another agent's email is refused (exit 2), and nothing is saved.
    const clash = await run([
      "create-agent",
      "--workspace",
      "acme",
      "--email",
      "OPS@acme.test",
      "--name",
      "X",
      "--id",
      "u-x",
    ])
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(/u-ops.*already has/)
    const exported = JSON.parse((await run(["export", "acme"])).stdout)
    expect(exported.agents).toContainEqual({
      id: "u-ops",
      name: "Ops Person",
      email: "ops@acme.test",
      permissions: ["portal.settings", "tickets.work"],
      passwordHash: expect.stringMatching(/^\$argon2id\$v=19\$/),
    })
    expect(exported.agents.some((a: { id: string }) => a.id === "u-x")).toBe(false)

    const child: ChildProcess = spawn(process.execPath, [BIN, "start"], {
      cwd: REPO_ROOT,
      env: { ...env, PORT: "0", HOST: "127.0.0.1" },
    })
    try {
      let stdout = ""
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line: ${stdout}`)), 45_000)
        child.stdout?.on("data", (c: Buffer) => {
          stdout += c.toString()
          const match = /listening on port (\d+)/.exec(stdout)
          if (match) {
            clearTimeout(timer)
            resolve(Number(match[1]))
          }
        })
      })
      const agent = new Client(port, "localhost")
      await agent.signIn("ops@acme.test", "ops-password-2026", true)
      expect(data(await agent.query("admin.settings.get")).settings.pageTitle).toBe("Acme Support")
      // --work: P-AGT-5, the agent workspace's list answers.
      expect(data(await agent.query("agent.tickets.list", {})).items.length).toBeGreaterThan(0)
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      expect(await exited).toBe(0)
    }
  }, 180_000)

  it("P-DATA-1: import demo → export (warned: secrets) → import into a fresh store → customer and admin sign in, file links resolve", async () => {
    const out = join(dataDir, "acme-backup.json")
    const exported = await run(["export", "acme", "--out", out])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stderr).toMatch(/WARNING: .*acme-backup\.json holds secrets \(password hashes/)
    const onStdout = await run(["export", "acme"])
    expect(onStdout.stderr).toMatch(/WARNING: the document holds secrets/)
    const backup = JSON.parse(readFileSync(out, "utf8"))
    const ken = backup.contacts.find((c: Doc) => c.email === "ken@globex.test")
    expect(ken.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/)
    expect(JSON.stringify(backup)).not.toContain(CUSTOMER_PASSWORD)
    const fileId = backup.threads.find((t: Doc) => t.id === "th1").messages[0].attachments[0].id as string
    expect(fileId).toMatch(/^att-/)

    const imported = await fresh.run(["import", out])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stderr).not.toMatch(/"passwords":0/)
    expect(imported.stderr).toMatch(/"passwords":[1-9]/)
    // The fresh store exports the same document, byte for byte.
    const again = await fresh.run(["export", "acme"])
    expect(again.stdout).toBe(readFileSync(out, "utf8"))

    const server = await startPortal(fresh.env)
    try {
      const customer = new Client(server.port, "localhost")
      await customer.signIn(ken.email, CUSTOMER_PASSWORD)
      const detail = data(await customer.query("tickets.get", { ticketId: "t1" }))
      const file = detail.messages.flatMap((m: Doc) => m.attachments).find((a: Doc) => a.id === fileId)
      expect(file?.url).toContain(fileId)
      const download = await customer.request(file.url)
      expect(download.status).toBe(200)
      expect(download.body.toString("base64")).toBe(
        backup.threads.find((t: Doc) => t.id === "th1").messages[0].attachments[0].dataBase64,
      )
      const admin = new Client(server.port, "localhost")
      await admin.signIn(ADMIN.email, ADMIN.password, true)
      expect(data(await admin.query("admin.settings.get")).settings.pageTitle).toBe("Acme Support")
    } finally {
      expect(await server.stop()).toBe(0)
    }
  }, 180_000)

  it("P-SEC-7: a huge file that is not a document is refused at its first byte; a taken host is named in words", async () => {
    // The import streams the file (any size is read): a sparse file of 1 GiB of NUL bytes
    // (nothing written to disk) is refused by the JSON tokenizer at once, not read to the end.
    const huge = join(dataDir, "huge.json")
    closeSync(openSync(huge, "w"))
    truncateSync(huge, 1024 * 1024 * 1024)
    const started = Date.now()
    const refused = await run(["import", huge])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("huge.json is not valid JSON")
    expect(Date.now() - started).toBeLessThan(30_000)

    // A document the rules refuse is refused before the store is even opened: no database
    // files appear in an empty data folder (PGlite alone costs hundreds of MB).
    const unsafe = join(dataDir, "unsafe.json")
    const bad = demoDoc("acme.en.json")
    bad.portal.navigation[0].url = "javascript:alert(1)"
    bad.tickets[0].content = "x".repeat(200_000)
    writeFileSync(unsafe, JSON.stringify(bad))
    const early = await untouched.run(["import", unsafe])
    expect(early.code).toBe(1)
    expect(early.stderr).toContain("portal.navigation[0].url: Enter an http(s) address")
    expect(early.stderr).toContain("tickets[0].content: Use at most 20000 characters.")
    expect(readdirSync(untouched.dataDir)).toEqual([])

    const clash = join(dataDir, "clash.json")
    const doc = demoDoc("sakura.ja.json")
    doc.domains = [{ host: "LocalHost", language: "ja" }] // acme's host
    writeFileSync(clash, JSON.stringify(doc))
    const taken = await run(["import", clash])
    expect(taken.code).toBe(1)
    expect(taken.stderr).toContain('domains[0].host: localhost is already the domain of workspace "acme"')
    expect(taken.stderr).not.toMatch(/duplicate key|violates|constraint|SQLSTATE/i)
  }, 120_000)
})
