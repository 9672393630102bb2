/**
 * Issue 12, the CLI's arguments (`node:util` parseArgs, strict): an unknown option, a missing
 * value or an extra argument exits 2 with the command's usage and touches nothing;
 * `portal <command> --help` prints that command's help; `portal --version` the version.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { COMMANDS, parseCommandArgs, UsageError } from "../src/cli/Args.ts"
import { cliWithDataDir } from "./support/Cli.ts"

const { run } = cliWithDataDir("portal-cli-args-")

describe("portal CLI arguments (issue 12)", () => {
  it("refuses unknown options, missing values, ambiguous values and extra arguments of every command", () => {
    for (const command of Object.keys(COMMANDS)) {
      expect(() => parseCommandArgs(command, ["--frobnicate"]), command).toThrow(UsageError)
      expect(() => parseCommandArgs(command, ["a", "b", "c"]), command).toThrow(UsageError)
      expect(parseCommandArgs(command, ["--help"]), command).toBe("help")
      expect(parseCommandArgs(command, ["-h"]), command).toBe("help")
    }
    expect(() => parseCommandArgs("create-agent", ["--workspace", "acme", "--pasword", "x"])).toThrow(/pasword/)
    expect(() => parseCommandArgs("export", ["acme", "--out"])).toThrow(UsageError)
    expect(() => parseCommandArgs("create-agent", ["--workspace", "--email", "e@x.test"])).toThrow(UsageError)
    expect(() => parseCommandArgs("import", [])).toThrow(/FILE/)
    expect(() => parseCommandArgs("migrate", ["now"])).toThrow(/unexpected argument "now"/)
    expect(() => parseCommandArgs("start", ["--demo=yes"])).toThrow(UsageError)
    expect(() => parseCommandArgs("nope", [])).toThrow(/unknown command/)
    const ok = parseCommandArgs("create-agent", [
      "--workspace=acme",
      "--email",
      "a@b.test",
      "--name",
      "A",
      "--settings",
    ])
    expect(ok).not.toBe("help")
    if (ok !== "help") {
      expect(Object.fromEntries(ok.options)).toEqual({
        workspace: "acme",
        email: "a@b.test",
        name: "A",
        settings: true,
      })
      expect(ok.positionals).toEqual([])
    }
  })

  it("create-agent --pasword (a typo) exits 2 with the usage and saves nothing; --help and --version exit 0", async () => {
    const typo = await run([
      "create-agent",
      "--workspace",
      "acme",
      "--email",
      "x@acme.test",
      "--name",
      "X",
      "--pasword",
      "x",
    ])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(/pasword/)
    expect(typo.stderr).toMatch(/Usage: pnpm portal create-agent/)
    expect(typo.stderr).not.toMatch(/agent saved/)
    const help = await run(["export", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: pnpm portal export WORKSPACE_ID \[--out FILE\]/)
    const extra = await run(["import", "a.json", "b.json"])
    expect(extra.code).toBe(2)
    expect(extra.stderr).toMatch(/unexpected argument "b.json"/)
    const version = await run(["--version"])
    expect(version.code).toBe(0)
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "apps", "server", "package.json"), "utf8"))
    expect(version.stdout.trim()).toBe(pkg.version)
  }, 120_000)
})
