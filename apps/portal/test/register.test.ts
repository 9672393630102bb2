// P-AUTH-3, P-CON: a new customer registers with consent and sees their tickets.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

/**
 * Registration answers alike for a new email and a known one and starts no session (no account
 * enumeration); the page then offers the sign-in form with the email filled in.
 */
const registerThenSignIn = async (page: Page, password: string) => {
  await page.getByRole("button", { name: "Create account" }).click()
  await page.getByRole("heading", { name: "You are registered" }).waitFor()
  await expectAccessible(page, "en")
  await page.locator("#f-password").fill(password)
  await Promise.all([page.waitForURL(url("en", "/tickets")), page.getByRole("button", { name: "Sign in" }).click()])
}

describe.skipIf(skip)("registration", () => {
  const { open } = useBrowser()

  it("shows Register on the sign-in page of a self-registration portal", async () => {
    const page = await open()
    await page.goto(url("en", "/account/sign-in"))
    await expectAccessible(page, "en")
    const register = page.getByRole("link", { name: "Register" })
    expect(await register.getAttribute("href")).toBe("/account/register")
  })

  it("refuses to register without the consent box, saying so next to it", async () => {
    const page = await open()
    await page.goto(url("en", "/account/register"))
    await expectAccessible(page, "en")
    // The consent notice, its checkbox label and the legal link come from the settings (P-CON-1).
    expect(await page.locator("#consent-notice").textContent()).toContain(
      "Acme processes your data to answer your requests.",
    )
    expect(await page.getByRole("link", { name: /privacy notice/ }).getAttribute("href")).toBe(
      "https://example.com/privacy",
    )
    await page.locator("#f-firstName").fill("Nora")
    await page.locator("#f-email").fill("nora@example.test")
    await page.locator("#f-password").fill("a-long-password-1")
    await page.getByRole("button", { name: "Create account" }).click()
    await page.locator("#consent-error").waitFor()
    expect(await page.locator("#consent-error").textContent()).toBe("Please give your consent to continue.")
    expect(new URL(page.url()).pathname).toBe("/account/register")
    expect(await page.locator("#f-email").inputValue()).toBe("nora@example.test")
  })

  it("registers a known contact with consent, who then sees their tickets", async () => {
    const page = await open()
    await page.goto(url("en", "/account/register"))
    // solo@example.test is a contact of the demo without a login; ticket t7 is theirs.
    await page.locator("#f-firstName").fill("Sam")
    await page.locator("#f-lastName").fill("Solo")
    await page.locator("#f-email").fill("solo@example.test")
    await page.locator("#f-password").fill("solo-password-2026")
    await page.getByLabel("I agree to let Acme process my data.").check()
    await registerThenSignIn(page, "solo-password-2026")
    expect(await page.locator("h1").textContent()).toBe("Requests")
    expect(await page.getByRole("link", { name: "Password policy" }).count()).toBe(1)
    // Only their own: no primary company, so no Organization / Mine switch (P-VIS-2).
    expect(await page.locator("tbody tr").count()).toBe(1)
    expect(await page.getByRole("navigation", { name: "View" }).count()).toBe(0)
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(1)
  })

  it("registers a brand-new customer, who lands on an empty list", async () => {
    const page = await open({ javaScript: false })
    await page.goto(url("en", "/account/register"))
    await page.locator("#f-firstName").fill("Nora")
    await page.locator("#f-email").fill("nora@example.test")
    await page.locator("#f-password").fill("a-long-password-1")
    await page.getByLabel("I agree to let Acme process my data.").check()
    await registerThenSignIn(page, "a-long-password-1")
    expect(await page.getByRole("heading", { name: "No Requests yet" }).count()).toBe(1)
    await expectAccessible(page, "en")
  })
})
