/**
 * The `portal` CLI as a user runs it (`node apps/server/bin/portal.js …`, what `pnpm portal`
 * calls), on an embedded PGlite data folder: migrate, import, export (only the document on
 * standard output), create-agent, start, and the exit codes.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { BIN, cliWithDataDir } from "./support/Cli.ts"
import { Client, data } from "./support/Http.ts"
import { type Doc, demoDoc } from "./support/World.ts"

const { dataDir, env, run } = cliWithDataDir("portal-cli-")

const withoutPasswords = (doc: Doc) => ({
  ...doc,
  agents: doc.agents.map(({ password: _, ...a }: Record<string, unknown>) => a),
  contacts: doc.contacts.map(({ password: _, ...c }: Record<string, unknown>) => c),
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
    expect(JSON.parse(exported.stdout)).toEqual(withoutPasswords(demoDoc("acme.en.json")))
    const out = join(dataDir, "acme-out.json")
    expect((await run(["export", "acme", "--out", out])).code).toBe(0)
    expect(JSON.parse(readFileSync(out, "utf8")).workspace.id).toBe("acme")
  })

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
  })

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
      "--id",
      "u-ops",
    ])
    expect(created.code, created.stderr).toBe(0)
    const exported = JSON.parse((await run(["export", "acme"])).stdout)
    expect(exported.agents).toContainEqual({
      id: "u-ops",
      name: "Ops Person",
      email: "ops@acme.test",
      permissions: ["portal.settings"],
    })

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
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      expect(await exited).toBe(0)
    }
  })
})
