/**
 * The admin procedures over real HTTP (P-SET-1, P-SET-4, P-SET-5, P-DOM, P-CON-3, P-BRAND-1):
 * the permission, whole-settings validation with an optimistic version, enabling with the list
 * of missing steps, domains, consent text, the catalog and previews.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { ADMIN, AGENT_NO_SETTINGS, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let admin: Client
beforeAll(async () => {
  world = await startWorld()
  admin = world.client()
  await admin.signIn(ADMIN.email, ADMIN.password, true)
})
afterAll(() => world.close())

const settingsOf = async () => data(await admin.query("admin.settings.get"))

describe("P-SET-1 the portal.settings permission", () => {
  it("refuses agents without it, customers and anonymous callers on every admin procedure", async () => {
    const agent = world.client()
    await agent.signIn(AGENT_NO_SETTINGS.email, AGENT_NO_SETTINGS.password, true)
    const customer = world.client()
    await customer.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const anonymous = world.client()
    for (const [client, status] of [
      [agent, 403],
      [customer, 403],
      [anonymous, 401],
    ] as const) {
      for (const path of ["admin.settings.get", "admin.domains.list", "admin.accessGroups.lists", "admin.catalog"])
        expect((await client.query(path)).status, path).toBe(status)
      expect((await client.mutate("admin.enable", { version: 1 })).status).toBe(status)
      expect(
        (await client.mutate("admin.settings.update", { settings: {}, version: 1 })).status,
      ).toBeGreaterThanOrEqual(400)
    }
    const refused = await agent.query("admin.settings.get")
    expect(error(refused)?.message).toMatch(/portal\.settings/)
  })
})

describe("P-SET-5 settings saved whole with a version", () => {
  it("saves, refuses a stale version with 409, and refuses a broken rule with 400 and its path", async () => {
    const view = await settingsOf()
    const saved = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, pageTitle: "Acme Help" },
      version: view.version,
    })
    expect(saved.status).toBe(200)
    expect(data(saved).version).toBe(view.version + 1)
    expect(data(await world.client().query("portal.info")).pageTitle).toBe("Acme Help")
    const stale = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, pageTitle: "Lost update" },
      version: view.version,
    })
    expect(stale.status).toBe(409)
    const broken = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, defaultInboxId: "no-such-inbox" },
      version: view.version + 1,
    })
    expect(broken.status).toBe(400)
    expect(error(broken)?.data.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "defaultInboxId" })]),
    )
    expect((await settingsOf()).settings.pageTitle).toBe("Acme Help")
  })
})

describe("P-SET-4 enabling needs a complete setup", () => {
  it("disables, refuses to enable without the consent text (listing what is missing), enables once fixed", async () => {
    let view = await settingsOf()
    expect(data(await admin.mutate("admin.disable", { version: view.version })).missingSteps).toEqual([])
    const customer = world.client()
    const info = await customer.query("portal.info")
    expect(info.status).toBe(404)
    expect(error(info)?.data.reason).toBe("portalDisabled")
    expect(data(await admin.query("portal.info")).preview).toBe(true)
    view = await settingsOf()
    const removed = await admin.mutate("admin.consent", { consent: null, version: view.version })
    expect(data(removed).missingSteps).toEqual([expect.objectContaining({ step: "consent" })])
    view = await settingsOf()
    const refused = await admin.mutate("admin.enable", { version: view.version })
    expect(refused.status).toBe(412)
    expect(error(refused)?.data.missingSteps).toEqual([expect.objectContaining({ step: "consent", path: "consent" })])
    const consent = { noticeText: "New notice v2", checkboxLabel: "I agree (v2)" }
    view = await settingsOf()
    await admin.mutate("admin.consent", { consent, version: view.version })
    view = await settingsOf()
    expect((await admin.mutate("admin.enable", { version: view.version })).status).toBe(200)
    expect(data(await customer.query("portal.info")).consent).toEqual({ ...consent, legalUrl: null })
  })
})

describe("domains (P-DOM-1, P-DOM-3, P-DOM-4)", () => {
  it("lists, refuses the shared platform domain, and connects a new host with its language", async () => {
    const list = data(await admin.query("admin.domains.list"))
    expect(list).toEqual([{ host: "localhost", language: "en", issues: [], current: true }])
    const shared = await admin.mutate("admin.domains.set", {
      domains: [{ host: "acme.portal-sites.net", language: "en" }],
    })
    expect(shared.status).toBe(400)
    const taken = await admin.mutate("admin.domains.set", {
      domains: [
        { host: "localhost", language: "en" },
        { host: "127.0.0.1", language: "en" },
      ],
    })
    expect(taken.status).toBe(409)
    const set = await admin.mutate("admin.domains.set", {
      domains: [
        { host: "LocalHost", language: "ja" },
        { host: "support.acme.test", language: "en" },
      ],
    })
    expect(set.status).toBe(200)
    expect(data(await world.client().query("portal.info")).language).toBe("ja")
    const other = world.client("support.acme.test")
    expect(data(await other.query("portal.info")).workspace.id).toBe("acme")
    await admin.mutate("admin.domains.set", { domains: [{ host: "localhost", language: "en" }] })
    expect((await other.query("portal.info")).status).toBe(404)
  })
})

describe("catalog, access groups and previews (P-BRAND-1)", () => {
  it("returns the choices, the lists, and sample or real previews of list, detail and form", async () => {
    const catalog = data(await admin.query("admin.catalog"))
    expect(catalog.pipelines.map((p: { id: string }) => p.id)).toEqual(["support", "billing", "internal"])
    expect(catalog.forms.find((f: { id: string }) => f.id === "f2").eligible).toBe(false)
    expect(data(await admin.query("admin.accessGroups.lists"))).toEqual([{ id: "l1", name: "Priority customers" }])
    const sample = data(await admin.query("admin.preview", { page: "list", source: "sample" }))
    expect(sample.list.items.length).toBe(3)
    const real = data(await admin.query("admin.preview", { page: "list", source: { contactId: "p1" } }))
    expect(real.list.items.map((t: { id: string }) => t.id)).toContain("t1")
    const detail = data(
      await admin.query("admin.preview", { page: "detail", source: { contactId: "p1" }, ticketId: "t1" }),
    )
    expect(detail.detail).toMatchObject({ canReply: false, canClose: false })
    const hidden = await admin.query("admin.preview", { page: "detail", source: { contactId: "p3" }, ticketId: "t1" })
    expect(hidden.status).toBe(404)
    const form = data(await admin.query("admin.preview", { page: "form", source: "sample" }))
    expect(form.form.menuText).toBe("New request")
  })

  it("P-BRAND-1/P-LIST-3: labels the sample statuses by core's rule for the draft's statusDisplay, bad values refused", async () => {
    type Item = { status: { state: string; stageLabel: string }; statusLabel: { kind: string; label?: string } }
    for (const statusDisplay of ["openClosed", "stages"] as const) {
      const list = data(await admin.query("admin.preview", { page: "list", source: "sample", statusDisplay }))
      const detail = data(await admin.query("admin.preview", { page: "detail", source: "sample", statusDisplay }))
      for (const item of [...(list.list.items as ReadonlyArray<Item>), { ...detail.detail.ticket, ...detail.detail }]) {
        expect(item.statusLabel).toEqual(
          statusDisplay === "stages"
            ? { kind: "stage", label: item.status.stageLabel, state: item.status.state }
            : { kind: "state", state: item.status.state },
        )
      }
    }
    for (const statusDisplay of ["stage", "", 1, null])
      expect((await admin.query("admin.preview", { page: "list", source: "sample", statusDisplay })).status).toBe(400)
  })
})

describe("P-BRAND-3 branding: logo, favicon and colours", () => {
  const valid = {
    primaryColor: "#c2185b",
    accentColor: "#F48FB1",
    logoUrl: "https://cdn.acme.test/logo.svg",
    faviconUrl: "/favicon.ico",
  }

  it("needs portal.settings; reads, replaces whole, and portal.info shows it", async () => {
    const agent = world.client()
    await agent.signIn(AGENT_NO_SETTINGS.email, AGENT_NO_SETTINGS.password, true)
    expect((await agent.query("admin.branding.get")).status).toBe(403)
    expect((await agent.mutate("admin.branding.update", valid)).status).toBe(403)
    expect((await world.client().mutate("admin.branding.update", valid)).status).toBe(401)

    expect(data(await admin.query("admin.branding.get"))).toEqual({
      branding: { primaryColor: "#0b6bcb", accentColor: "#ff7a59" },
    })
    const saved = await admin.mutate("admin.branding.update", valid)
    expect(saved.status).toBe(200)
    expect(data(saved)).toEqual({ branding: valid })
    expect(data(await admin.query("admin.branding.get"))).toEqual({ branding: valid })
    expect(data(await world.client().query("portal.info")).workspace.branding).toEqual(valid)
    // The other workspace is untouched.
    expect(data(await world.client("127.0.0.1").query("portal.info")).workspace.branding).not.toEqual(valid)
  })

  it("refuses unsafe colours and addresses with 400, every issue with its path and code; nothing is written", async () => {
    const before = data(await admin.query("admin.branding.get"))
    const refused = await admin.mutate("admin.branding.update", {
      primaryColor: "red",
      accentColor: "#fff",
      logoUrl: "javascript:alert(1)",
      faviconUrl: `https://cdn.acme.test/${"a".repeat(2000)}`,
    })
    expect(refused.status).toBe(400)
    expect(error(refused)?.data.issues).toEqual([
      { path: "branding.primaryColor", code: "invalid_color", message: "Enter a colour like #0b6bcb." },
      { path: "branding.accentColor", code: "invalid_color", message: "Enter a colour like #0b6bcb." },
      { path: "branding.logoUrl", code: "invalid_url", message: "Enter an https address or a path starting with /." },
      { path: "branding.faviconUrl", code: "too_long", message: "Use at most 2000 characters.", params: { max: 2000 } },
    ])
    for (const logoUrl of ["data:image/png;base64,AAAA", "http://cdn.acme.test/logo.png", "//evil.test/x.png"])
      expect((await admin.mutate("admin.branding.update", { logoUrl })).status, logoUrl).toBe(400)
    const unknownKey = await admin.mutate("admin.branding.update", { ...valid, css: "body{}" })
    expect(unknownKey.status).toBe(400)
    expect(error(unknownKey)?.data.issues).toEqual([expect.objectContaining({ code: "invalid_input" })])
    expect(data(await admin.query("admin.branding.get"))).toEqual(before)
  })
})

describe("validation codes for the admin screens' translations", () => {
  it("settings issues, schema issues and missing steps carry path, code and message (and params)", async () => {
    const view = await settingsOf()
    const broken = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, pageTitle: "x".repeat(121), defaultInboxId: "no-such-inbox" },
      version: view.version,
    })
    expect(error(broken)?.data.issues).toEqual([
      { path: "pageTitle", code: "too_long", message: "Use at most 120 characters.", params: { max: 120 } },
      {
        path: "defaultInboxId",
        code: "unknown_inbox",
        message: 'The inbox "no-such-inbox" does not exist.',
        params: { id: "no-such-inbox" },
      },
    ])
    const badSlug = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, slug: "Not A Slug" },
      version: view.version,
    })
    expect(badSlug.status).toBe(400)
    expect(error(badSlug)?.data.issues).toEqual([
      expect.objectContaining({ path: "settings.slug", code: "invalid_slug" }),
    ])
    const shared = await admin.mutate("admin.domains.set", {
      domains: [{ host: "acme.portal-sites.net", language: "en" }],
    })
    expect(error(shared)?.data.issues).toEqual([
      expect.objectContaining({
        path: "domains[0].host",
        code: "shared_domain",
        params: { host: "acme.portal-sites.net" },
      }),
    ])
    const twice = await admin.mutate("admin.domains.set", {
      domains: [
        { host: "localhost", language: "en" },
        { host: "LOCALHOST", language: "en" },
      ],
    })
    expect(error(twice)?.data.issues).toEqual([
      expect.objectContaining({ path: "domains[1].host", code: "duplicate_host" }),
    ])
    const { consent: _, ...noConsent } = view.settings
    const incomplete = await admin.mutate("admin.settings.update", { settings: noConsent, version: view.version })
    expect(incomplete.status).toBe(412)
    expect(error(incomplete)?.data.missingSteps).toEqual([
      {
        step: "consent",
        path: "consent",
        code: "consent_required",
        message: "Self-registration needs a consent notice and checkbox label.",
      },
    ])
    expect((await settingsOf()).version).toBe(view.version)
  })
})

describe("the portal's time zone", () => {
  it("is the setting when set, else Asia/Tokyo for ja and UTC for en; an unknown zone is refused", async () => {
    expect(data(await world.client().query("portal.info")).timeZone).toBe("UTC")
    expect(data(await world.client("127.0.0.1").query("portal.info")).timeZone).toBe("Asia/Tokyo")
    let view = await settingsOf()
    expect(view.settings.timeZone).toBe("UTC")
    const refused = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, timeZone: "Mars/Olympus" },
      version: view.version,
    })
    expect(refused.status).toBe(400)
    expect(error(refused)?.data.issues).toEqual([
      expect.objectContaining({ path: "timeZone", code: "invalid_time_zone", params: { timeZone: "Mars/Olympus" } }),
    ])
    await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, timeZone: "America/New_York" },
      version: view.version,
    })
    expect(data(await world.client().query("portal.info")).timeZone).toBe("America/New_York")
    view = await settingsOf()
    const { timeZone: _, ...unset } = view.settings
    await admin.mutate("admin.settings.update", { settings: unset, version: view.version })
    expect(data(await world.client().query("portal.info")).timeZone).toBe("UTC")
    await admin.mutate("admin.domains.set", { domains: [{ host: "localhost", language: "ja" }] })
    expect(data(await world.client().query("portal.info")).timeZone).toBe("Asia/Tokyo")
    await admin.mutate("admin.domains.set", { domains: [{ host: "localhost", language: "en" }] })
  })
})
