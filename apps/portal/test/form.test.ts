// P-FORM: the support form in the navigation with its menu text, its header text above it,
// errors next to the fields (naming the field), and one new ticket the customer lands on.
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { ready, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

describe.skipIf(skip)("support form", () => {
  const { as } = useBrowser()

  for (const javaScript of [true, false]) {
    it(`creates one ticket and lands on it (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const page = await as("en", "ken@globex.test", { javaScript })
      await Promise.all([
        page.waitForURL(/\/tickets\/new$/),
        page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New request" }).click(),
      ])
      await ready(page)
      expect(await page.locator("h1").textContent()).toBe("How can we help?")
      await expectAccessible(page, "en")

      await page.getByRole("button", { name: "Submit" }).click()
      await page.locator("#form-subject-error").waitFor()
      expect(await page.locator("#form-subject-error").textContent()).toBe("Subject is required.")
      expect(await page.locator("#form-subject").getAttribute("aria-invalid")).toBe("true")

      const subject = `Printer jams (${javaScript ? "js" : "plain"})`
      await page.locator("#form-subject").fill(subject)
      await page.locator("#form-content").fill("The printer jams on every second page.")
      await page.locator("#form-category").selectOption("bug")
      await Promise.all([
        page.waitForURL(/\/tickets\/[^/]+\?done=created$/),
        page.getByRole("button", { name: "Submit" }).click(),
      ])
      expect(await page.locator("h1").textContent()).toBe(subject)
      expect(await page.locator("main").textContent()).toContain("Thank you, your request was created.")

      await page.goto(page.url().replace(/\/tickets\/.*$/, "/tickets"))
      const listed = await page.locator("tbody th a").allTextContents()
      expect(listed.filter((s) => s === subject)).toHaveLength(1)
    })
  }

  it("P-FORM-3 P-DOM-4 names each missing field by its label in Japanese", async () => {
    const page = await as("ja", "ken@globex.test", { javaScript: false })
    await page.goto(url("ja", "/tickets/new"))
    await page.locator("#form-content").fill("プリンターが紙詰まりします。")
    await page.getByRole("button", { name: "送信", exact: true }).click()
    await page.locator("#form-subject-error").waitFor()
    expect(await page.locator("#form-subject-error").textContent()).toBe("件名は必須です。")
    expect(await page.locator("#form-content-error").count()).toBe(0)
    expect(await page.locator("main").textContent()).toContain("入力内容を確認してください。")
    await expectAccessible(page, "ja")
  })
})
