import { describe, expect, it } from "vitest"
import { ValidationFailed } from "../../src/ports/index.ts"
import { getBranding, updateBranding } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { pathCodes } from "../support/Issues.ts"
import { failure, makeWorld, success } from "../support/World.ts"

describe("getBranding / updateBranding (P-BRAND-3, P-SET-1)", () => {
  it("P-SET-1 both need the portal.settings permission; a refusal writes nothing", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(getBranding(w.agent([]))))._tag).toBe("Forbidden")
    expect(failure(await w.run(updateBranding(w.agent([]), { primaryColor: "#000000" })))._tag).toBe("Forbidden")
    expect(w.state.calls).not.toContain("workspace.setBranding")
  })
  it("replaces the branding whole and reads it back", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(getBranding(w.agent())))).toEqual({ branding: {} })
    const branding = { primaryColor: "#c2185b", logoUrl: "https://cdn.acme.test/logo.svg", faviconUrl: "/favicon.ico" }
    expect(success(await w.run(updateBranding(w.agent(), branding)))).toEqual({ branding })
    expect(success(await w.run(getBranding(w.agent())))).toEqual({ branding })
    expect(success(await w.run(updateBranding(w.agent(), { accentColor: "#FFFFFF" })))).toEqual({
      branding: { accentColor: "#FFFFFF" },
    })
    expect(w.state.catalog.workspace.branding).toEqual({ accentColor: "#FFFFFF" })
  })
  it("an invalid branding lists every issue with its path and code, and writes nothing", async () => {
    const w = makeWorld(fixture())
    const e = failure(
      await w.run(
        updateBranding(w.agent(), {
          primaryColor: "blue",
          logoUrl: "javascript:alert(1)",
          faviconUrl: "data:image/png;base64,AAAA",
        }),
      ),
    )
    expect(e instanceof ValidationFailed && pathCodes(e.issues)).toEqual([
      "branding.primaryColor:invalid_color",
      "branding.logoUrl:invalid_url",
      "branding.faviconUrl:invalid_url",
    ])
    expect(w.state.calls).not.toContain("workspace.setBranding")
  })
})
