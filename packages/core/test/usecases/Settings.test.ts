import { describe, expect, it } from "vitest"
import type { PortalSettings } from "../../src/domain/index.ts"
import { SetupIncomplete, ValidationFailed } from "../../src/ports/index.ts"
import { getSettings, updateSettings } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { pathCodes } from "../support/Issues.ts"
import { failure, makeWorld, success } from "../support/World.ts"

describe("getSettings / updateSettings (P-SET-1, P-SET-4, P-SET-5)", () => {
  it("P-SET-1 both need the portal.settings permission", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(getSettings(w.agent([]))))._tag).toBe("Forbidden")
    expect(failure(await w.run(updateSettings(w.agent([]), w.state.settings, 1)))._tag).toBe("Forbidden")
    expect(w.state.calls).not.toContain("settings.save")
  })
  it("P-SET-4 reading reports the version and what is still missing", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.domains = [{ host: "acme.portal-sites.net", language: "en" }]
      }),
    )
    const view = success(await w.run(getSettings(w.agent())))
    expect(view).toMatchObject({ version: 1, issues: [] })
    expect(view.missingSteps.map((s) => s.step)).toEqual(["domain"])
  })
  it("P-SET-5 a valid save replaces the settings and bumps the version", async () => {
    const w = makeWorld(fixture())
    const next: PortalSettings = { ...w.state.settings, pageTitle: "Acme Help" }
    expect(success(await w.run(updateSettings(w.agent(), next, 1)))).toEqual({ version: 2, missingSteps: [] })
    expect(w.state.settings.pageTitle).toBe("Acme Help")
  })
  it("P-SET-5 an invalid save lists every issue and writes nothing", async () => {
    const w = makeWorld(fixture())
    const before = w.state.settings
    const bad = { ...before, defaultInboxId: "gone" as never, navigation: [{ label: "x", url: "javascript:1" }] }
    const e = failure(await w.run(updateSettings(w.agent(), bad, 1)))
    expect(e instanceof ValidationFailed && pathCodes(e.issues)).toEqual([
      "defaultInboxId:unknown_inbox",
      "navigation[0].url:invalid_url",
    ])
    expect(w.state.settings).toBe(before)
    expect(w.state.calls).not.toContain("settings.save")
  })
  it("P-SET-4 enabling an incomplete setup fails with the list of missing steps", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.enabled = false
        delete (d.portal as { consent?: unknown }).consent
      }),
    )
    const draft = w.state.settings
    expect(
      success(await w.run(updateSettings(w.agent(), { ...draft, pageTitle: "" }, 1))).missingSteps.map((s) => s.step),
    ).toEqual(["consent", "pageTitle"])
    const e = failure(await w.run(updateSettings(w.agent(), { ...draft, pageTitle: "", enabled: true }, 2)))
    expect(e instanceof SetupIncomplete && pathCodes(e.missing)).toEqual([
      "consent:consent_required",
      "pageTitle:required",
    ])
    expect(w.state.settings.enabled).toBe(false)
  })
  it("P-SET-4 a live portal cannot lose a required step", async () => {
    const w = makeWorld(fixture())
    const { consent: _, ...noConsent } = w.state.settings
    expect(failure(await w.run(updateSettings(w.agent(), noConsent, 1)))._tag).toBe("SetupIncomplete")
    expect(w.state.settings.consent).toBeDefined()
  })
  it("P-SET-5 a save based on a stale version is a Conflict", async () => {
    const w = makeWorld(fixture())
    success(await w.run(updateSettings(w.agent(), { ...w.state.settings, pageTitle: "First" }, 1)))
    expect(failure(await w.run(updateSettings(w.agent(), { ...w.state.settings, pageTitle: "Second" }, 1)))._tag).toBe(
      "Conflict",
    )
    expect(w.state.settings.pageTitle).toBe("First")
  })
})
