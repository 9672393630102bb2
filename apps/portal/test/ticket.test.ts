// P-COM, P-ACT-1/2/3: the detail page, replies with attachments (with and without JavaScript),
// closing with a confirmation, and replies on closed tickets per the setting; a refused reply or
// close says why in the portal's language (the API's refusal code, translated).
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, origin, ready, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration, upsertTicket } from "./support/integration.ts"
import { adminApi } from "./support/settings.ts"

const first = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Seat count: 10\n") }
const second = { name: "numbers.csv", mimeType: "text/csv", buffer: Buffer.from("seat,user\n1,ken\n2,yuki\n") }
const files = [first, second]

/** A hand-made form post to a page action, as a browser without JavaScript sends it. */
const post = (page: Page, lang: Lang, path: string, fields: Record<string, string>) =>
  page.request.post(url(lang, path), {
    multipart: fields,
    headers: { origin: origin(lang), accept: "text/html" },
  })

describe.skipIf(skip)("ticket detail", () => {
  const { as, asAdmin } = useBrowser()

  it("shows properties and only the visible conversation", async () => {
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", "/tickets/t1"))
    await expectAccessible(page, "en")
    const main = (await page.locator("main").textContent()) ?? ""
    expect(main).toContain("Hello, the October invoice is wrong.")
    expect(main).toContain("Thanks Ken, we are correcting the invoice")
    // P-COM-2/3/4: no internal comment, no thread of an unconnected address, only the earliest thread.
    expect(main).not.toContain("Checking with finance")
    expect(main).not.toContain("Forwarded from a private address")
    expect(main).not.toContain("Later chat thread")
    expect(await page.getByRole("link", { name: /Download orders\.txt/ }).getAttribute("href")).toMatch(/^\/files\//)
  })

  it("sends a reply with two attachments (upload with progress), both downloadable", async () => {
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", "/tickets/t1"))
    await ready(page)
    await page.locator("#reply-text").fill("Here are the numbers you asked for.")
    await page.locator("#reply-files").setInputFiles(first)
    await page.locator("#reply-files").setInputFiles(second)
    // Two picks add up (the JavaScript path keeps both), each removable.
    expect(await page.locator(".chosen li").count()).toBe(2)
    // With JavaScript the files go up through XMLHttpRequest (upload progress), to the same action.
    const [upload] = await Promise.all([
      page.waitForRequest(
        (r) => r.method() === "POST" && r.url().endsWith("?/reply") && r.headers()["x-sveltekit-action"] === "true",
      ),
      page.waitForURL(/done=reply/),
      page.getByRole("button", { name: "Send reply" }).click(),
    ])
    expect(upload.headers()["content-type"]).toMatch(/^multipart\/form-data/)
    expect(await page.getByRole("status").filter({ hasText: "Your reply was sent." }).count()).toBe(1)
    const last = page.locator("ol.messages > li").last()
    expect(await last.textContent()).toContain("Here are the numbers you asked for.")
    for (const file of files) {
      const href = await last.getByRole("link", { name: new RegExp(`Download ${file.name}`) }).getAttribute("href")
      const response = await page.request.get(`${origin("en")}${href}`)
      expect(response.status()).toBe(200)
      expect(Buffer.from(await response.body()).equals(file.buffer)).toBe(true)
    }
  })

  it("sends a reply with two attachments as a plain multipart post without JavaScript", async () => {
    const page = await as("en", "ken@globex.test", { javaScript: false })
    await page.goto(url("en", "/tickets/t1"))
    await page.locator("#reply-text").fill("Sent without JavaScript.")
    await page.locator("#reply-files").setInputFiles(files)
    await Promise.all([page.waitForURL(/done=reply/), page.getByRole("button", { name: "Send reply" }).click()])
    const last = page.locator("ol.messages > li").last()
    expect(await last.textContent()).toContain("Sent without JavaScript.")
    expect(await last.locator(".files a").count()).toBe(2)
  })

  it("closes a ticket after a confirmation dialog", async () => {
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", "/tickets/t2"))
    await ready(page)
    await page.getByRole("link", { name: "Mark as closed" }).click()
    const dialog = page.getByRole("dialog", { name: "Is your issue solved?" })
    await dialog.waitFor()
    await dialog.getByRole("button", { name: "Keep it open" }).click()
    expect(await dialog.isVisible()).toBe(false)
    await page.getByRole("link", { name: "Mark as closed" }).click()
    await Promise.all([
      page.waitForURL(/done=close/),
      dialog.getByRole("button", { name: "Yes, mark as closed" }).click(),
    ])
    expect((await page.locator("header.title .badge").textContent())?.trim()).toBe("Closed")
    // Replies to closed tickets are off in the demo (P-ACT-2).
    expect(await page.locator("#reply-text").count()).toBe(0)
    expect(await page.locator("main").textContent()).toContain("This is closed, so it takes no more replies.")
  })

  it("closes with the confirmation inline without JavaScript", async () => {
    const page = await as("en", "ken@globex.test", { javaScript: false })
    await page.goto(url("en", "/tickets/t4"))
    await Promise.all([page.waitForURL(/close=confirm/), page.getByRole("link", { name: "Mark as closed" }).click()])
    expect(await page.getByRole("heading", { name: "Is your issue solved?" }).count()).toBe(1)
    await Promise.all([
      page.waitForURL(/done=close/),
      page.getByRole("button", { name: "Yes, mark as closed" }).click(),
    ])
    expect((await page.locator("header.title .badge").textContent())?.trim()).toBe("Closed")
  })

  it("P-ACT-4 says why a ticket with no conversation takes no reply when there is no default inbox", async () => {
    // Two new tickets of Ken's with no thread, one open and one closed: a reply would start a
    // thread in the default inbox.
    const at = new Date().toISOString()
    await upsertTicket("en", { id: "t-no-thread", subject: "No thread yet", contactId: "p1", at })
    await upsertTicket("en", { id: "t-closed-no-thread", subject: "Closed, no thread", contactId: "p1", at })
    await integration("en", "tickets.setStage", { ticketId: "t-closed-no-thread", stageId: "closed" })
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", "/tickets/t-no-thread"))
    expect(await page.locator("#reply-text").count()).toBe(1)
    const noInbox = "Replies cannot be sent here yet: the team has not set up where they go. Please try again later."
    const admin = adminApi(await asAdmin("en"), "en")
    await admin.withSettings(
      (s) => ({ ...s, defaultInboxId: null, actions: { ...s.actions, allowReplyToClosed: true } }),
      async () => {
        await page.goto(url("en", "/tickets/t-no-thread"))
        expect(await page.locator("#reply-text").count()).toBe(0)
        expect(await page.locator("#reply").textContent()).toBe(noInbox)
        // Closed, with replies to closed tickets allowed: the reason is still the missing inbox.
        await page.goto(url("en", "/tickets/t-closed-no-thread"))
        expect(await page.locator("#reply").textContent()).toBe(noInbox)
        // A ticket with a conversation still takes replies (they go into its thread).
        await page.goto(url("en", "/tickets/t1"))
        expect(await page.locator("#reply-text").count()).toBe(1)
      },
    )
  })

  it("P-ACT-2 P-ACT-3 refuses a reply on a closed ticket saying why, or takes it where the setting allows", async () => {
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", "/tickets/t10"))
    expect(await page.locator("#reply-text").count()).toBe(0)
    expect(await page.locator("#reply").textContent()).toContain("This is closed, so it takes no more replies.")
    // Even a hand-made post is refused by the API (closed_ticket_reply_disabled), and the page says why.
    const forced = await post(page, "en", "/tickets/t10?/reply", { text: "Let me in", idempotencyKey: "forced-1" })
    expect(forced.status()).toBe(409)
    expect(await forced.text()).toContain("This is closed, so it takes no more replies.")
    // Closing it again: already_closed.
    const again = await post(page, "en", "/tickets/t10?/close", { confirm: "yes" })
    expect(again.status()).toBe(409)
    expect(await again.text()).toContain("This is already closed.")

    const admin = adminApi(await asAdmin("en"), "en")
    await admin.withSettings(
      (s) => ({ ...s, actions: { ...s.actions, allowReplyToClosed: true } }),
      async () => {
        await page.goto(url("en", "/tickets/t10"))
        await ready(page)
        expect(await page.locator("main").textContent()).toContain("This is closed, but you can still reply.")
        await page.locator("#reply-text").fill("One more thing about the address.")
        await Promise.all([page.waitForURL(/done=reply/), page.getByRole("button", { name: "Send reply" }).click()])
        expect(await page.locator("ol.messages > li").last().textContent()).toContain(
          "One more thing about the address.",
        )
      },
    )
  })

  it("P-ACT-2 P-ACT-3 P-DOM-4 says why in Japanese on the Japanese portal, with no English left", async () => {
    const page = await as("ja", "ken@globex.test")
    await page.goto(url("ja", "/tickets/t10"))
    expect(await page.locator("#reply-text").count()).toBe(0)
    expect(await page.locator("#reply").textContent()).toContain(
      "クローズ済みのため返信できません。別のご用件は新しく送信してください。",
    )
    const forced = await post(page, "ja", "/tickets/t10?/reply", {
      text: "入れてください",
      idempotencyKey: "forced-ja",
    })
    expect(forced.status()).toBe(409)
    const refused = await forced.text()
    expect(refused).toContain("クローズ済みのため返信できません。")
    expect(refused).not.toContain("This ticket is closed")
    const again = await post(page, "ja", "/tickets/t10?/close", { confirm: "yes" })
    expect(again.status()).toBe(409)
    expect(await again.text()).toContain("すでにクローズされています。")
  })
})
