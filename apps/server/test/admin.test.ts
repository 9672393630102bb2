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
})
