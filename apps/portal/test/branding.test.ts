// What the admin chooses about the portal's look, menu, support form and address, as the
// customer meets it: one theme on the list, detail and form pages (P-BRAND-2); the navigation
// menu (P-BRAND-4) and the support form's menu and header text (P-FORM-1); an editable URL
// slug (P-DOM-2); and a ready "Go to <portal name>" link for a knowledge base or any other
// site, which brings a signed-out customer through sign-in to their tickets (P-BRAND-5).
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { origin, ready, url } from "./support/browser.ts"
import { SCREENSHOTS } from "./support/env.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { adminApi } from "./support/settings.ts"

/** The computed look of the page: the theme's custom properties and where they are used. */
const look = (page: Page) =>
  page.evaluate(() => {
    const css = (el: Element | null) => (el ? getComputedStyle(el) : null)
    const root = getComputedStyle(document.documentElement)
    return {
      brand: root.getPropertyValue("--brand").trim(),
      accent: root.getPropertyValue("--accent").trim(),
      topBorder: css(document.querySelector(".topbar"))?.borderTopColor,
      currentNav: css(document.querySelector('nav a[aria-current="page"]'))?.color ?? null,
      font: getComputedStyle(document.body).fontFamily,
      heading: css(document.querySelector("h1"))?.color,
    }
  })

describe.skipIf(skip)("branding, navigation and the portal's address", () => {
  const { open, as, asAdmin } = useBrowser()

  it("P-BRAND-2 styles the list, detail and form pages alike in the workspace's colours", async () => {
    const page = await as("en", "ken@globex.test")
    const list = await look(page)
    for (const path of ["/tickets/t1", "/tickets/new"]) {
      await page.goto(url("en", path))
      await ready(page)
      const { currentNav: _, ...other } = await look(page)
      const { currentNav: __, ...first } = list
      expect(other, path).toEqual(first)
    }
    // The demo workspace's primary colour (#0b6bcb) is the theme's brand colour.
    expect(list.brand.toLowerCase()).toBe("#0b6bcb")
    expect(list.topBorder).toBe("rgb(11, 107, 203)")
  })

  it("P-BRAND-4 P-FORM-1 shows the admin's menu links and the support form's menu and header text", async () => {
    const api = adminApi(await asAdmin("en"), "en")
    await api.withSettings(
      (s) => ({
        ...s,
        navigation: [
          { label: "Status page", url: "https://status.example.com/" },
          { label: "Billing FAQ", url: "/faq" },
        ],
        supportForm: { ...s.supportForm, menuText: "Ask us anything", headerText: "Tell us what happened." },
      }),
      async () => {
        const page = await as("en", "ken@globex.test")
        await page.reload()
        const nav = page.getByRole("navigation", { name: "Main" })
        expect(await nav.getByRole("link", { name: /^Status page/ }).getAttribute("href")).toBe(
          "https://status.example.com/",
        )
        expect(await nav.getByRole("link", { name: /^Billing FAQ/ }).getAttribute("href")).toBe("/faq")
        // The demo's own "Help center" link is gone: the menu is the admin's list, not an addition.
        expect(await nav.getByRole("link", { name: /^Help center/ }).count()).toBe(0)
        await nav.getByRole("link", { name: "Ask us anything" }).click()
        await page.waitForURL(url("en", "/tickets/new"))
        await ready(page)
        // The header text stands above the form.
        const header = page.getByText("Tell us what happened.")
        await header.waitFor()
        const above = await header.evaluate((el) => {
          const form = document.querySelector("main form")
          return form !== null && (el.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
        })
        expect(above).toBe(true)
      },
    )
  })

  it("P-DOM-2 P-BRAND-5 moves the portal to a new slug; the link for other sites follows and signs customers in", async () => {
    const admin = await asAdmin("en")
    const api = adminApi(admin, "en")
    const before = (await api.get()).settings
    try {
      await expectAccessible(admin, "en")
      expect(await admin.locator("#s-link-url").inputValue()).toBe(url("en", "/tickets"))
      expect(await admin.locator("#s-link-html").inputValue()).toBe(
        `<a href="${url("en", "/tickets")}">Go to Acme Support</a>`,
      )
      // The link follows the draft slug before it is saved.
      await admin.locator("#s-slug").fill("help")
      expect(await admin.locator("#s-link-url").inputValue()).toBe(url("en", "/help"))
      await admin.getByRole("button", { name: "Save changes" }).click()
      await admin.getByRole("status").filter({ hasText: "Settings saved." }).waitFor()
      const snippet = await admin.locator("#s-link-html").inputValue()
      const href = /href="([^"]+)"/.exec(snippet)?.[1] ?? ""
      expect(href).toBe(`${origin("en")}/help`)

      // A customer coming from the knowledge base, signed out: sign-in, then their tickets.
      const visitor = await open()
      await visitor.goto(href)
      expect(new URL(visitor.url()).pathname).toBe("/account/sign-in")
      await visitor.locator("#f-email").fill("ken@globex.test")
      await visitor.locator("#f-password").fill("customer-demo-2026")
      await Promise.all([visitor.waitForURL(href), visitor.getByRole("button", { name: "Sign in" }).click()])
      await ready(visitor)
      expect(await visitor.locator("h1").textContent()).toBe("Requests")
      // Every ticket link is under the new slug, and the old one is gone.
      const links = await visitor.locator("tbody th a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))
      expect(links.length).toBeGreaterThan(0)
      for (const link of links) expect(link).toMatch(/^\/help\/[^/]+$/)
      expect((await visitor.goto(url("en", "/tickets")))?.status()).toBe(404)
      expect((await visitor.goto(url("en", "/help/t1")))?.status()).toBe(200)
    } finally {
      await api.save(before)
    }
  })

  it("P-BRAND-5 words the link in the portal's language", async () => {
    const admin = await asAdmin("ja")
    const snippet = await admin.locator("#s-link-html").inputValue()
    expect(snippet).toMatch(new RegExp(`^<a href="${url("ja", "/tickets")}">.+へ移動</a>$`))
    expect(await admin.getByText("他のサイトからポータルへのリンク").count()).toBe(1)
    mkdirSync(SCREENSHOTS, { recursive: true })
    await admin.locator("#domain").screenshot({ path: join(SCREENSHOTS, "ja-admin-domain-link.png") })
  })
})
