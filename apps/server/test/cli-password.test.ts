/**
 * Hole 12b (P-AUTH-1) in the CLI: `portal create-agent --password` applies the customers' password
 * rule, with the agent's email and the portal's name, and saves nothing when it refuses.
 */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { cliWithDataDir } from "./support/Cli.ts"

const { run } = cliWithDataDir("portal-cli-password-")

const createAgent = (password: string) =>
  run(["create-agent", "--workspace", "acme", "--email", "ops.team@acme.test", "--name", "Ops", "--password", password])

describe("P-AUTH-1 hole 12b: create-agent refuses obvious passwords", () => {
  it("P-AUTH-1 too short, common, with the portal's name or the email: exit 2 with the reason, nothing saved", async () => {
    expect((await run(["import", join(REPO_ROOT, "demo", "acme.en.json")])).code).toBe(0)
    for (const [password, reason] of [
      ["short", /at least 10 characters/],
      ["password1234", /too common/],
      ["Acme-Support-2026", /portal's name/],
      ["ops.team-rocks-2026", /email address/],
    ] as const) {
      const refused = await createAgent(password)
      expect(refused.code, refused.stderr).toBe(2)
      expect(refused.stderr).toMatch(reason)
    }
    const exported = JSON.parse((await run(["export", "acme"])).stdout)
    expect(exported.agents.map((a: { email: string }) => a.email)).not.toContain("ops.team@acme.test")
  }, 300_000)
})
