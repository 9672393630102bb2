// P-SET, P-BRAND-1, P-AUTH-7: the settings screens. An admin changes the ticket label and a
// ticket filter and the customer sees the change; validation messages sit next to their fields;
// the enable switch lists what is missing; agents without the permission are refused.
import { describe, expect, inject, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { origin, ready, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { adminApi } from "./support/settings.ts"
import { mutate, query } from "./support/trpc.ts"

describe.skipIf(skip)("admin settings", () => {
  const { open, as, asAdmin } = useBrowser()

  it("refuses an agent without the portal settings permission", async () => {
    const page = await open()
    await page.goto(url("en", "/admin/sign-in"))
    await page.locator("#f-email").fill("taro@acme.test")
    await page.locator("#f-password").fill("agent-demo-2026")
    await Promise.all([page.waitForURL(url("en", "/admin")), page.getByRole("button", { name: "Sign in" }).click()])
    await page.getByRole("heading", { name: "Forbidden" }).waitFor()
    expect(await page.locator("main").textContent()).toContain("lacks the “customer portal settings” permission")
    expect((await page.goto(url("en", "/admin")))?.status()).toBe(403)
  })

  it("changes the ticket label and a ticket filter; the customer sees both", async () => {
    const adminPage = await asAdmin("en")
    await expectAccessible(adminPage, "en")
    const api = adminApi(await asAdmin("en"), "en")
    const before = (await api.get()).settings
    try {
      await adminPage.locator("#s-ticketLabel").fill("Support cases")
      // The preview follows the draft before anything is saved (P-BRAND-1).
      expect(await adminPage.locator(".preview .nav .current").textContent()).toBe("Support cases")
      // P-LIST-3: the draft's status display, labelled by core on the server (no rule in the page).
      const badges = adminPage.locator(".preview tbody .badge")
      expect((await badges.allTextContents()).map((s) => s.trim())).toEqual(["Open", "Open", "Closed"])
      await adminPage.getByLabel("Show the pipeline's stages").check()
      expect((await badges.allTextContents()).map((s) => s.trim())).toEqual(["Waiting on us", "New", "Closed"])
      await adminPage.getByLabel("Show only Open or Closed").check()
      expect((await badges.allTextContents()).map((s) => s.trim())).toEqual(["Open", "Open", "Closed"])
      await adminPage.getByRole("button", { name: "Add a filter" }).click()
      await adminPage.locator("#filter-1-property").selectOption("other")
      await adminPage.locator("#filter-1-name").fill("category")
      await adminPage.locator("#filter-1-operator").selectOption("notIn")
      await adminPage.locator("#filter-1-values").fill("billing")
      await adminPage.locator("#filter-1-values").blur()
      await adminPage.getByRole("button", { name: "Save changes" }).click()
      await adminPage.getByRole("status").filter({ hasText: "Settings saved." }).waitFor()

      const customer = await as("en", "ken@globex.test")
      expect(await customer.locator("h1").textContent()).toBe("Support cases")
      expect(
        await customer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support cases" }).count(),
      ).toBe(1)
      const subjects = await customer.locator("tbody th a").allTextContents()
      expect(subjects).not.toContain("Invoice is wrong") // category billing: filtered out
      expect(subjects).toContain("Dashboard is slow")
      expect(await customer.getByRole("link", { name: "Organization Support cases" }).count()).toBe(1)
    } finally {
      await api.save(before)
    }
  })

  it("puts validation messages next to the fields they concern", async () => {
    const page = await asAdmin("en")
    await page.locator("#s-slug").fill("admin")
    await page.getByRole("button", { name: "Add a link" }).click()
    await page.locator("#nav-1-label").fill("Status page")
    await page.locator("#nav-1-url").fill("javascript:alert(1)")
    await page.getByRole("button", { name: "Save changes" }).click()
    await page.locator("#s-slug-error").waitFor()
    // The API's codes, in the catalog's words (validation.<code>).
    expect(await page.locator("#s-slug-error").textContent()).toBe("“admin” is reserved; choose another.")
    expect(await page.locator("#s-slug").getAttribute("aria-invalid")).toBe("true")
    expect(await page.locator("#nav-1-url-error").textContent()).toContain("Enter a valid address")
    // Nothing was saved (P-SET-5).
    await page.getByRole("button", { name: "Discard changes" }).click()
    await page.reload()
    expect(await page.locator("#s-slug").inputValue()).toBe("tickets")
  })

  it("says the API's validation messages in Japanese on a Japanese portal", async () => {
    const page = await asAdmin("ja")
    await page.locator("#s-slug").fill("admin")
    await page.locator("#s-timeZone").selectOption("Asia/Tokyo")
    await page.getByRole("button", { name: "変更を保存", exact: true }).click()
    await page.locator("#s-slug-error").waitFor()
    expect(await page.locator("#s-slug-error").textContent()).toBe(
      "「admin」は予約されています。別のものを指定してください。",
    )
    await page.getByRole("button", { name: "変更を破棄", exact: true }).click()
  })

  it("edits the branding with a live preview; messages sit next to the fields; the portal follows", async () => {
    const page = await asAdmin("en")
    const api = adminApi(page, "en")
    const before = await query<{ branding: Record<string, string> }>(api.request, api.base, "admin.branding.get")
    expect(before.branding.primaryColor).toBe("#0b6bcb")
    const sample = page.locator("#branding .sample")
    try {
      // The preview follows the draft at once; an unfinished colour keeps the default.
      await page.locator("#b-primaryColor").fill("#7a1f5c")
      expect(await sample.getAttribute("style")).toContain("--brand: #7a1f5c")
      await page.locator("#b-accentColor").fill("#12")
      expect(await sample.getAttribute("style")).not.toContain("--accent")
      expect(await page.locator("#b-accentColor").getAttribute("aria-invalid")).toBe("true")
      await page.locator("#b-logoUrl").fill("javascript:alert(1)")
      await page.getByRole("button", { name: "Save branding" }).click()
      await page.locator("#b-accentColor-error").waitFor()
      expect(await page.locator("#b-accentColor-error").textContent()).toBe(
        "Enter a colour as # and six hex digits, like #0b6bcb.",
      )
      expect(await page.locator("#b-logoUrl-error").textContent()).toContain("Enter a valid address")
      // Nothing was written.
      expect(
        (await query<{ branding: Record<string, string> }>(api.request, api.base, "admin.branding.get")).branding,
      ).toEqual(before.branding)
      await expectAccessible(page, "en")

      await page.locator("#b-accentColor").fill("#f5a623")
      await page.locator("#b-logoUrl").fill("/favicon.svg")
      await page.getByRole("button", { name: "Save branding" }).click()
      await page.locator("#branding .notice.success").waitFor()
      expect(await page.locator("#b-accentColor-error").count()).toBe(0)
      // The template previews and the page frame use the new colours.
      expect(await page.locator(".preview .frame").getAttribute("style")).toContain("--brand: #7a1f5c")
      const customer = await as("en", "ken@globex.test")
      expect(await customer.locator(".app").getAttribute("style")).toContain("--brand: #7a1f5c")
      expect(await customer.locator("header .brand img").getAttribute("src")).toBe("/favicon.svg")
    } finally {
      await mutate(api.request, api.base, "admin.branding.update", before.branding)
    }
  })

  it("lists what is missing before the portal can stay on", async () => {
    const page = await asAdmin("en")
    await ready(page)
    expect(await page.getByRole("switch", { name: "Customer portal is on" }).isChecked()).toBe(true)
    await page.locator("#s-consent-notice").fill("")
    await page.locator("#s-consent-checkbox").fill("")
    await page.locator("#s-consent-legal").fill("")
    await page.getByRole("button", { name: "Save changes" }).click()
    const missing = page.locator(".enable .missing")
    await missing.waitFor()
    expect(await missing.textContent()).toContain("write the consent text")
    expect(await missing.getByRole("link").getAttribute("href")).toBe("#consent")
  })

  it("creates an API token shown once; it works on the integration API until revoked (401 after)", async () => {
    const page = await asAdmin("en")
    const name = `E2E sync ${Date.now()}`
    /** integration.events over HTTP with a Bearer token, as a helpdesk calls it. */
    const events = (token: string) =>
      fetch(`${origin("en")}/trpc/integration.events`, { headers: { authorization: `Bearer ${token}` } })
    const section = page.locator("#api-tokens")

    // A blank name is refused next to the field.
    await page.getByRole("button", { name: "Create token" }).click()
    await page.locator("#at-name-error").waitFor()
    expect(await page.locator("#at-name-error").textContent()).toBe("This is required.")

    await page.locator("#at-name").fill(name)
    await page.locator("#at-name").press("Enter")
    const secret = page.locator("#at-secret")
    await secret.waitFor()
    const token = await secret.inputValue()
    expect(token).toMatch(/^ptk_[A-Za-z0-9_-]{43}$/)
    expect(await section.textContent()).toContain("you will not see it again")
    expect(await page.locator("#at-name-error").count()).toBe(0)
    await section.getByRole("button", { name: "Copy" }).click()
    await expectAccessible(page, "en")
    // Enter created the token and did not save the settings form around it.
    expect(await page.getByRole("status").filter({ hasText: "Settings saved." }).count()).toBe(0)

    const used = await events(token)
    expect(used.status).toBe(200)
    expect(((await used.json()) as { result: { data: { events: unknown[] } } }).result.data.events).toBeInstanceOf(
      Array,
    )

    // After a reload the token is gone for good: listed by name with its last use, never shown.
    await page.reload()
    await ready(page)
    expect(await page.content()).not.toContain(token)
    expect(await secret.count()).toBe(0)
    const row = section.locator("li", { hasText: name })
    expect(await row.textContent()).not.toContain("Never")
    expect(await row.textContent()).toContain("by Hana Sato")

    // Revoke, after a confirmation that Cancel backs out of.
    await row.getByRole("button", { name: `Revoke “${name}”` }).click()
    await row.getByRole("button", { name: "Cancel" }).click()
    expect((await events(token)).status).toBe(200)
    await row.getByRole("button", { name: `Revoke “${name}”` }).click()
    expect(await row.textContent()).toContain("Integrations using it stop working at once")
    await row.getByRole("button", { name: "Revoke token" }).click()
    await section
      .getByRole("status")
      .filter({ hasText: `Token “${name}” revoked.` })
      .waitFor()
    expect(await row.textContent()).toContain("Revoked")
    expect(await row.getByRole("button").count()).toBe(0)

    const refused = await events(token)
    expect(refused.status).toBe(401)
    expect(JSON.stringify(await refused.json())).toContain('"reason":"apiToken"')
    // The server's PORTAL_API_TOKENS keep working.
    expect((await events(inject("apiTokens").acme)).status).toBe(200)
  })

  it("lets an agent preview the ticket list without a customer sign-in (P-AUTH-7)", async () => {
    const page = await asAdmin("en")
    await page.goto(url("en", "/tickets"))
    expect(await page.locator("main").textContent()).toContain("Preview: you are viewing the portal as an agent")
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(0)
  })
})
