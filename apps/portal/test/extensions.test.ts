// P-EXT-2 (rate a closed ticket, en and ja, the email's preselected link), P-EXT-5 (a reply reopens
// a closed ticket where the admin set a stage) and the reply box fix (a sent reply empties the box;
// one draft posted twice with its key stores one message), in Chromium against the real server.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, origin, ready, screenshot, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration } from "./support/integration.ts"
import { adminApi } from "./support/settings.ts"

/** A hand-made form post to a page action, as a browser without JavaScript sends it. */
const post = (page: Page, lang: Lang, path: string, fields: Record<string, string>) =>
  page.request.post(url(lang, path), {
    multipart: fields,
    headers: { origin: origin(lang), accept: "text/html" },
    maxRedirects: 0,
  })

/** A ticket of Ken (p1) in the support pipeline's `stageId`, made through the integration API. */
const kenTicket = async (lang: Lang, id: string, subject: string, stageId: "new" | "closed") => {
  const at = new Date().toISOString()
  await integration(lang, "tickets.upsert", {
    ticket: {
      id,
      subject,
      content: `${subject} (created by the end-to-end tests)`,
      pipelineId: "support",
      stageId,
      requesterId: "p1",
      createdAt: at,
      lastActivityAt: at,
      properties: {},
      contactIds: ["p1"],
      companyIds: [],
    },
    idempotencyKey: `e2e-${id}`,
  })
  return `/tickets/${id}`
}

const copy = {
  en: {
    heading: "How did we do?",
    good: "Good",
    bad: "Bad",
    comment: "Comment (optional)",
    send: "Send rating",
    done: "Thank you for your rating.",
    yoursBad: "Your rating: Bad",
    already: "This ticket was already rated.",
  },
  ja: {
    heading: "対応はいかがでしたか?",
    good: "良い",
    bad: "悪い",
    comment: "コメント(任意)",
    send: "評価を送信",
    done: "評価をお送りいただきありがとうございます。",
    yoursBad: "あなたの評価: 悪い",
    already: "このチケットはすでに評価されています。",
  },
} as const

describe.skipIf(skip)("P-EXT-2 rating a closed ticket", () => {
  const { as, asAdmin } = useBrowser()

  for (const lang of ["en", "ja"] as const) {
    it(`P-EXT-2 rates a closed ticket from the email's link, once (${lang})`, async () => {
      const c = copy[lang]
      const stamp = `${Date.now()}`
      const path = await kenTicket(lang, `e2e-rate-${lang}-${stamp}`, `Rate me ${stamp}`, "closed")
      const page = await as(lang, "ken@globex.test")
      // The "closed" email's link: the page opens with the choice preselected, and nothing is rated yet.
      await page.goto(url(lang, `${path}?rate=bad#rate`))
      await ready(page)
      expect(await page.getByRole("heading", { name: c.heading }).count()).toBe(1)
      expect(await page.getByRole("radio", { name: c.bad }).isChecked()).toBe(true)
      expect(await page.getByRole("radio", { name: c.good }).isChecked()).toBe(false)
      await expectAccessible(page, lang)
      await page.getByLabel(c.comment).fill("Took a while — でも解決")
      await screenshot(page, `${lang}-rate-form`)
      await Promise.all([page.waitForURL(/done=rate/), page.getByRole("button", { name: c.send }).click()])
      expect(await page.getByRole("status").filter({ hasText: c.done }).count()).toBe(1)
      const section = page.locator("#rate")
      expect(await section.textContent()).toContain(c.yoursBad)
      expect(await section.textContent()).toContain("Took a while — でも解決")
      expect(await page.getByRole("button", { name: c.send }).count()).toBe(0)
      await screenshot(page, `${lang}-rate-done`)
      // A second rating (an old tab, no JavaScript): 409, the page says so and shows the first.
      const again = await post(page, lang, `${path}?/rate`, { rating: "good" })
      expect(again.status()).toBe(409)
      const html = await again.text()
      expect(html).toContain(c.already)
      expect(html).toContain(c.yoursBad)
      if (lang === "en") {
        // Agents see it: a mark in the list, the rating and comment on the ticket's page.
        const agent = await asAdmin("en")
        await agent.goto(url("en", `/agent/${path.split("/").pop()}`))
        await ready(agent)
        const details = (await agent.locator("dl").first().textContent()) ?? ""
        expect(details).toContain("Rated bad")
        expect(details).toContain("Took a while — でも解決")
        await agent.goto(url("en", `/agent?state=closed&q=${stamp}`))
        await ready(agent)
        const row = agent.locator("tbody tr").filter({ hasText: `Rate me ${stamp}` })
        expect(await row.textContent()).toContain("Rated bad")
        await screenshot(agent, "en-agent-rated")
      }
    })
  }

  it("P-EXT-2 an open ticket offers no rating", async () => {
    const path = await kenTicket("en", `e2e-rate-open-${Date.now()}`, "Still open", "new")
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", `${path}?rate=good`))
    expect(await page.locator("#rate").count()).toBe(0)
  })
})

describe.skipIf(skip)("P-EXT-5 a reply reopens a closed ticket", () => {
  const { as, asAdmin } = useBrowser()

  it("P-EXT-5 a reply to a closed ticket moves it to the admin's reopen stage: it shows open (en)", async () => {
    const admin = adminApi(await asAdmin("en"), "en")
    const path = await kenTicket("en", `e2e-reopen-${Date.now()}`, "Broke again", "closed")
    await admin.withSettings(
      (s) => ({
        ...s,
        actions: { ...s.actions, allowReplyToClosed: true, reopenStageByPipeline: { support: "waiting" } },
      }),
      async () => {
        const page = await as("en", "ken@globex.test")
        await page.goto(url("en", path))
        await ready(page)
        expect(await page.locator("header.title").textContent()).toContain("Closed")
        await page.locator("#reply-text").fill("It is broken again.")
        await Promise.all([page.waitForURL(/done=reply/), page.getByRole("button", { name: "Send reply" }).click()])
        expect(await page.locator("header.title").textContent()).toContain("Open")
        expect(await page.locator("ol.messages > li").last().textContent()).toContain("It is broken again.")
      },
    )
  })

  it("P-EXT-5 the admin screen sets the reopen stage per pipeline, or keeps tickets closed (ja)", async () => {
    const page = await asAdmin("ja")
    const admin = adminApi(page, "ja")
    await admin.withSettings(
      (s) => ({ ...s, actions: { ...s.actions, allowReplyToClosed: true } }),
      async () => {
        await page.goto(url("ja", "/admin"))
        await ready(page)
        const select = page.getByLabel("サポートのチケットに返信があったときの再オープン先ステージ")
        expect(await select.inputValue()).toBe("")
        expect(await select.locator("option").allTextContents()).toEqual([
          "クローズのままにする",
          "新規",
          "対応中",
          "お客様の返信待ち",
        ])
      },
    )
  })
})

describe.skipIf(skip)("the reply box after a sent reply", () => {
  const { as } = useBrowser()
  const file = { name: "log.txt", mimeType: "text/plain", buffer: Buffer.from("error 42\n") }

  it("empties text and files once sent, so a second click sends nothing again (en, JavaScript)", async () => {
    const path = await kenTicket("en", `e2e-box-${Date.now()}`, "Reply box", "new")
    const page = await as("en", "ken@globex.test")
    await page.goto(url("en", path))
    await ready(page)
    await page.locator("#reply-text").fill("Only once, please.")
    await page.locator("#reply-files").setInputFiles(file)
    await Promise.all([page.waitForURL(/done=reply/), page.getByRole("button", { name: "Send reply" }).click()])
    await page.waitForFunction(() => (document.querySelector("#reply-text") as HTMLTextAreaElement).value === "")
    expect(await page.locator("#reply-text").inputValue()).toBe("")
    expect(await page.locator("#reply-files").evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(0)
    expect(await page.locator(".chosen li").count()).toBe(0)
    // The second click has nothing to send: the page says so and stores nothing.
    await page.getByRole("button", { name: "Send reply" }).click()
    await page.getByText("Write a message or attach a file.").waitFor()
    await page.reload()
    const texts = await page.locator("ol.messages > li").allTextContents()
    expect(texts.filter((t) => t.includes("Only once, please."))).toHaveLength(1)
  })

  it("keeps text and files when the reply is refused (ja)", async () => {
    const path = await kenTicket("ja", `e2e-box-fail-${Date.now()}`, "返信欄", "new")
    const page = await as("ja", "ken@globex.test")
    await page.goto(url("ja", path))
    await ready(page)
    // Too long for core's limit (20,000 characters): refused with a 400, nothing stored.
    await page.locator("#reply-text").fill("あ".repeat(20_001))
    await page.locator("#reply-files").setInputFiles(file)
    await page.getByRole("button", { name: "返信を送信" }).click()
    await page.locator("#reply-error").waitFor()
    expect((await page.locator("#reply-text").inputValue()).length).toBe(20_001)
    expect(await page.locator("#reply-files").evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(1)
  })

  it("one draft posted twice with its key (two clicks without JavaScript) stores one message", async () => {
    const path = await kenTicket("en", `e2e-box-twice-${Date.now()}`, "Twice", "new")
    const page = await as("en", "ken@globex.test", { javaScript: false })
    const key = `e2e-draft-${Date.now()}`
    const fields = { text: "Sent by a double click", idempotencyKey: key }
    const [a, b] = await Promise.all([
      post(page, "en", `${path}?/reply`, fields),
      post(page, "en", `${path}?/reply`, fields),
    ])
    expect([a.status(), b.status()]).toEqual([303, 303])
    await page.goto(url("en", path))
    const texts = await page.locator("ol.messages > li").allTextContents()
    expect(texts.filter((t) => t.includes("Sent by a double click"))).toHaveLength(1)
    // Without JavaScript the page after the post is a new one: an empty box with a new key.
    expect(await page.locator("#reply-text").inputValue()).toBe("")
    expect(await page.locator("input[name=idempotencyKey]").inputValue()).not.toBe(key)
  })
})

describe.skipIf(skip)("P-EXT-3 the support form takes files", () => {
  const { as } = useBrowser()
  const notes = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Seat count: 10\n") }

  for (const [lang, javaScript] of [
    ["en", true],
    ["ja", false],
  ] as const) {
    it(`P-EXT-3 submits the form with a file and sees it on the new ticket (${lang}, ${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const page = await as(lang, "ken@globex.test", { javaScript })
      await page.goto(url(lang, "/tickets/new"))
      await ready(page)
      const subject = `Form with a file ${lang} ${Date.now()}`
      await page.locator("#form-subject").fill(subject)
      await page.locator("#form-content").fill("The numbers are attached.")
      await page.getByLabel(lang === "en" ? "Attach files" : "ファイルを添付").setInputFiles(notes)
      if (lang === "en") await screenshot(page, "en-form-file")
      await Promise.all([
        page.waitForURL(/\/tickets\/[^/]+\?done=created$/),
        page.getByRole("button", { name: lang === "en" ? "Submit" : "送信", exact: true }).click(),
      ])
      expect(await page.locator("h1").textContent()).toBe(subject)
      const link = page.locator("ol.messages > li").first().locator(".files a")
      expect(await link.count()).toBe(1)
      const href = await link.getAttribute("href")
      const response = await page.request.get(`${origin(lang)}${href}`)
      expect(response.status()).toBe(200)
      expect(Buffer.from(await response.body()).equals(notes.buffer)).toBe(true)
    })
  }

  it("P-EXT-3 a file over the limit is named under the file input; nothing is created (en)", async () => {
    const page = await as("en", "ken@globex.test", { javaScript: false })
    await page.goto(url("en", "/tickets/new"))
    await page.locator("#form-subject").fill("Too big")
    await page.locator("#form-content").fill("A big file")
    await page.getByLabel("Attach files").setInputFiles({
      name: "big.bin",
      mimeType: "application/octet-stream",
      buffer: Buffer.alloc(10 * 1024 * 1024 + 1),
    })
    await page.getByRole("button", { name: "Submit" }).click()
    await page.locator("#form-files-error").waitFor()
    expect(await page.locator("#form-files-error").textContent()).toContain("big.bin")
    expect(page.url()).toMatch(/\/tickets\/new$/)
  })
})
