// P-SEC-3 on the pages: a page's idempotency key that already sent something else (the browser's
// back button, an edit, send again) is refused with a message in the portal's language saying to
// reload, never an error page; the same request again is the first one.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { type Lang, origin, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

/** A hand-made form post to a page action, as a browser without JavaScript sends it. */
const post = (page: Page, lang: Lang, path: string, fields: Record<string, string>) =>
  page.request.post(url(lang, path), {
    multipart: fields,
    headers: { origin: origin(lang), accept: "text/html" },
    maxRedirects: 0,
  })

describe.skipIf(skip)("P-SEC-3 idempotency keys on the pages", () => {
  const { as } = useBrowser()

  it("P-SEC-3 a reply page's key reused with another text says to reload (en), and stores nothing", async () => {
    const page = await as("en", "ken@globex.test")
    // A ticket of its own: the demo's tickets may be closed by other tests sharing the server.
    const created = await post(page, "en", "/tickets/new", {
      subject: "Idempotency on the reply page",
      content: "Opened for this test",
      idempotencyKey: `e2e-own-${Date.now()}`,
    })
    expect(created.status()).toBe(303)
    const ticket = new URL(created.headers().location ?? "", url("en", "/")).pathname
    expect(ticket).toMatch(/^\/tickets\/[^/]+$/)
    const key = `e2e-reuse-${Date.now()}`
    const first = await post(page, "en", `${ticket}?/reply`, { text: "First words", idempotencyKey: key })
    expect(first.status()).toBe(303)
    const again = await post(page, "en", `${ticket}?/reply`, { text: "Other words", idempotencyKey: key })
    expect(again.status()).toBe(409)
    expect(await again.text()).toContain("This page already sent another reply. Reload the page to send this one.")
    await page.goto(url("en", ticket))
    const main = (await page.locator("main").textContent()) ?? ""
    expect(main).toContain("First words")
    expect(main).not.toContain("Other words")
  })

  it("P-SEC-3 a form page's key reused with other answers says to reload (ja)", async () => {
    const page = await as("ja", "ken@globex.test")
    const key = `e2e-form-${Date.now()}`
    const form = { subject: "プリンターの故障", content: "詳細", idempotencyKey: key }
    const first = await post(page, "ja", "/tickets/new", form)
    expect(first.status()).toBe(303)
    const again = await post(page, "ja", "/tickets/new", { ...form, subject: "別の件" })
    expect(again.status()).toBe(409)
    expect(await again.text()).toContain(
      "このページからは別の内容のリクエストを送信済みです。ページを再読み込みしてから送信してください。",
    )
  })
})
