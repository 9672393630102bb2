// P-DOM-4: the portal speaks its domain's language: Japanese on 127.0.0.1, English on localhost.
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { signIn, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

describe.skipIf(skip)("languages", () => {
  const { open, as } = useBrowser()

  it("serves the Japanese portal in Japanese", async () => {
    const page = await open()
    await page.goto(url("ja", "/account/sign-in"))
    await expectAccessible(page, "ja")
    expect(await page.title()).toBe("サインイン – さくら商事 サポート")
    expect(await page.getByRole("link", { name: "ご登録はこちら" }).count()).toBe(1)
    await signIn(page, "ja", "ken@globex.test")
    expect(await page.title()).toBe("さくら商事 サポート")
    expect(await page.locator("h1").textContent()).toBe("お問い合わせ")
    // The column names (a sortable header also carries an arrow and a hidden "sort …" hint, P-EXT-4).
    const columns = await page
      .locator("thead th")
      .evaluateAll((ths) => ths.map((th) => (th.querySelector(".label") ?? th).textContent?.trim()))
    expect(columns).toEqual(["件名", "依頼者", "作成日", "チケット担当者", "前回のアクティビティー日", "ステータス"])
    expect(await page.getByRole("link", { name: "組織お問い合わせ" }).count()).toBe(1)
    expect(await page.getByRole("link", { name: "自分が担当" }).count()).toBe(1)
    expect(await page.getByRole("button", { name: "サインアウト" }).count()).toBe(1)
    const statuses = new Set((await page.locator("tbody td.status").allTextContents()).map((s) => s.trim()))
    expect([...statuses].every((s) => s === "オープン" || s === "クローズ")).toBe(true)
    expect(await page.locator("tbody td time").first().textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2}$/)
  })

  it("serves the English portal in English", async () => {
    const page = await as("en", "ken@globex.test")
    await expectAccessible(page, "en")
    expect(await page.title()).toBe("Acme Support")
    expect(await page.locator("h1").textContent()).toBe("Requests")
    expect(await page.locator("tbody td time").first().textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/)
  })
})
