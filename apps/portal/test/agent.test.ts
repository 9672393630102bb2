// P-AGT-1..5 in the browser: the agent workspace at /agent. An agent signs in, sees a customer's
// reply arrive without a reload (server-sent events), answers with an attachment, writes an
// internal note and closes the ticket; the customer sees the answer and the closed state on the
// portal, never the note. Two agents changing one ticket: the second is told what changed.
// Customers and agents without tickets.work are refused on every /agent page.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, origin, ready, url } from "./support/browser.ts"
import { demo } from "./support/env.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration } from "./support/integration.ts"

const words = {
  en: {
    signIn: "Sign in",
    send: "Send reply",
    addNote: "Add note",
    close: "Close ticket",
    save: "Save",
    internalNote: "Internal note: customers never see it",
    replied: "The customer replied.",
    newTicket: "New ticket:",
    conflict: "Someone else changed this ticket",
    forbidden: "No access to tickets",
    customerRefused: "For the support team only",
    closed: "Closed",
  },
  ja: {
    signIn: "サインイン",
    send: "返信を送信",
    addNote: "メモを追加",
    close: "チケットをクローズ",
    save: "保存",
    internalNote: "社内メモ: 顧客には表示されません",
    replied: "顧客が返信しました。",
    newTicket: "新しいチケット:",
    conflict: "他の担当者がこのチケットを変更しました",
    forbidden: "チケットへのアクセス権がありません",
    customerRefused: "サポートチーム専用です",
    closed: "クローズ",
  },
} as const

const attachment = { name: "invoice-fix.txt", mimeType: "text/plain", buffer: Buffer.from("Corrected total: 1,200\n") }

let counter = 0
/** A new ticket of Ken's (contact p1) with one email thread the portal shows, made through the integration API. */
const newTicket = async (lang: Lang, subject: string) => {
  const id = `agt-${lang}-${Date.now().toString(36)}-${++counter}`
  const at = new Date().toISOString()
  await integration(lang, "tickets.upsert", {
    ticket: {
      id,
      subject,
      content: `${subject} (created by the agent workspace tests)`,
      pipelineId: "support",
      stageId: "new",
      requesterId: "p1",
      createdAt: at,
      lastActivityAt: at,
      properties: {},
      contactIds: ["p1"],
      companyIds: [],
    },
    thread: { id: `${id}-th`, inboxId: "ib1", channel: "email" },
    message: { id: `${id}-m1`, author: { type: "contact", id: "p1" }, text: `First message of ${subject}` },
    idempotencyKey: `e2e-${id}`,
  })
  return id
}

/** Signs `page` in at /agent with the sign-in form there (auth.agentSignIn) and waits for the list. */
const signInAtAgent = async (page: Page, lang: Lang, email: string, password: string, next = "/agent") => {
  await page.goto(url(lang, next === "/agent" ? "/agent" : `/agent?next=${encodeURIComponent(next)}`))
  await page.locator("#f-email").fill(email)
  await page.locator("#f-password").fill(password)
  await page.getByRole("button", { name: words[lang].signIn, exact: true }).click()
  // The form is on /agent itself: done when it has gone (the list, or the page asked for).
  await page.locator("form[action='?/signIn']").waitFor({ state: "detached" })
  await page.waitForURL((u) => u.pathname === next.split("?")[0])
  await ready(page)
}

describe.skipIf(skip)("agent workspace", () => {
  const { open, as } = useBrowser()

  /** One agent page per test, signed in as the demo admin (tickets.work and portal.settings). */
  const asAgent = async (lang: Lang, javaScript = true) => {
    const page = await open({ javaScript })
    await signInAtAgent(page, lang, demo[lang].admin, demo.adminPassword)
    return page
  }

  for (const lang of ["en", "ja"] as const) {
    const w = words[lang]

    it(`P-AGT-1 P-AGT-2 P-AGT-3 P-AGT-4 answers a customer's live reply with a file, notes internally, closes; the customer sees the answer, never the note (${lang})`, async () => {
      const subject = lang === "en" ? "Total on my bill is wrong" : "請求書の合計が違います"
      const ticketId = await newTicket(lang, subject)
      const agent = await asAgent(lang)
      await expectAccessible(agent, lang)
      // P-AGT-1: the new ticket is on the list; its subject links to its page.
      await agent.getByRole("link", { name: subject }).click()
      await agent.waitForURL(url(lang, `/agent/${ticketId}`))
      await ready(agent)
      await expectAccessible(agent, lang)
      // P-AGT-2: the thread the portal shows is marked.
      expect(await agent.locator("section.thread.portal").count()).toBe(1)
      // A marker that a reload would lose.
      await agent.evaluate(() => Object.assign(window, { __stayed: true }))

      // P-AGT-4: the customer replies on the portal while the agent's page is open.
      const customerReply = lang === "en" ? "Any news on the invoice?" : "請求書の件はどうなりましたか?"
      const customer = await as(lang, "ken@globex.test")
      await customer.goto(url(lang, `/${demo[lang].slug}/${ticketId}`))
      await ready(customer)
      await customer.locator("#reply-text").fill(customerReply)
      await Promise.all([customer.waitForURL(/done=reply/), customer.locator("form.reply button[type=submit]").click()])
      await agent.locator("ol.messages li", { hasText: customerReply }).waitFor({ timeout: 15_000 })
      expect(await agent.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true)
      expect(await agent.locator("[aria-live=polite]").textContent()).toContain(w.replied)

      // P-AGT-3: the answer with an attachment (upload with progress, the same action without JavaScript).
      const answer =
        lang === "en"
          ? "We corrected the invoice; the new one is attached."
          : "請求書を訂正しました。添付をご確認ください。"
      await agent.locator("#reply-text").fill(answer)
      await agent.locator("#reply-files").setInputFiles(attachment)
      await Promise.all([agent.waitForURL(/done=reply/), agent.getByRole("button", { name: w.send }).click()])
      const sent = agent.locator("ol.messages li", { hasText: answer })
      await sent.waitFor()
      expect(await sent.getByRole("link", { name: new RegExp(attachment.name) }).count()).toBe(1)

      // An internal note, marked as internal in words (not colour only).
      const note = lang === "en" ? "Finance approved the credit note." : "経理がクレジットノートを承認済み。"
      await agent.locator("#note-text").fill(note)
      await Promise.all([agent.waitForURL(/done=note/), agent.getByRole("button", { name: w.addNote }).click()])
      const shownNote = agent.locator("[data-kind=note]", { hasText: note })
      await shownNote.waitFor()
      expect(await shownNote.textContent()).toContain(w.internalNote)

      // Closing: the pipeline's closed stage.
      await Promise.all([agent.waitForURL(/done=close/), agent.getByRole("button", { name: w.close }).click()])
      expect(await agent.locator("header.title .stage").getAttribute("class")).toContain("closed")

      // The customer sees the answer, its file and the closed state; never the note.
      await customer.goto(url(lang, `/${demo[lang].slug}/${ticketId}`))
      const main = (await customer.locator("main").textContent()) ?? ""
      expect(main).toContain(answer)
      expect(main).not.toContain(note)
      expect(await customer.locator("header.title .badge").getAttribute("class")).toContain("closed")
      const href = await customer.getByRole("link", { name: new RegExp(attachment.name) }).getAttribute("href")
      const file = await customer.request.get(`${origin(lang)}${href}`)
      expect(file.status()).toBe(200)
      expect(Buffer.from(await file.body()).equals(attachment.buffer)).toBe(true)
    })

    it(`P-AGT-4 a new ticket appears on the open list without a reload, announced (${lang})`, async () => {
      const agent = await asAgent(lang)
      await agent.evaluate(() => Object.assign(window, { __stayed: true }))
      const subject = lang === "en" ? `Live ticket ${Date.now()}` : `リアルタイムのチケット ${Date.now()}`
      await newTicket(lang, subject)
      await agent.getByRole("link", { name: subject }).waitFor({ timeout: 15_000 })
      expect(await agent.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true)
      expect(await agent.locator("[aria-live=polite]").textContent()).toContain(`${w.newTicket} ${subject}`)
    })

    it(`P-AGT-3 two agents change one ticket: the second is told what changed, nothing is overwritten (${lang})`, async () => {
      const ticketId = await newTicket(lang, lang === "en" ? "Two agents" : "二人の担当者")
      const first = await asAgent(lang)
      const second = await asAgent(lang)
      for (const page of [first, second]) {
        await page.goto(url(lang, `/agent/${ticketId}`))
        await ready(page)
      }
      // The second agent starts changing the owner; the first moves the stage meanwhile.
      await second.locator("#ticket-owner").selectOption("u1")
      await first.locator("#ticket-stage").selectOption("waiting")
      await Promise.all([
        first.waitForURL(/done=update/),
        first.getByRole("button", { name: w.save, exact: true }).click(),
      ])
      // The second page hears of the change but keeps the agent's unsaved choice and its old version.
      await second.getByRole("button", { name: w.save, exact: true }).click()
      const alert = second.getByRole("alert").filter({ hasText: w.conflict })
      await alert.waitFor()
      const waiting =
        lang === "en"
          ? "Waiting on us"
          : (await first.locator("header.title .stage").textContent())?.split("·")[0]?.trim()
      expect(await alert.textContent()).toContain(waiting ?? "")
      // Nothing was overwritten: the stage is the first agent's, the owner unchanged.
      await second.goto(url(lang, `/agent/${ticketId}`))
      expect(await second.locator("#ticket-stage").inputValue()).toBe("waiting")
      expect(await second.locator("#ticket-owner").inputValue()).toBe("")
    })

    it(`P-AGT-3 without JavaScript a reply against an old version is refused, says what changed and keeps the text (${lang})`, async () => {
      const ticketId = await newTicket(lang, lang === "en" ? "Stale reply" : "古い返信")
      const stale = await asAgent(lang, false)
      await stale.goto(url(lang, `/agent/${ticketId}`))
      const other = await asAgent(lang)
      await other.goto(url(lang, `/agent/${ticketId}`))
      await ready(other)
      await other.locator("#ticket-stage").selectOption("waiting-customer")
      await Promise.all([
        other.waitForURL(/done=update/),
        other.getByRole("button", { name: w.save, exact: true }).click(),
      ])
      const draft = lang === "en" ? "A reply written on an old page" : "古いページで書いた返信"
      await stale.locator("#reply-text").fill(draft)
      await stale.getByRole("button", { name: w.send }).click()
      await stale.getByRole("alert").filter({ hasText: w.conflict }).waitFor()
      expect(await stale.locator("#reply-text").inputValue()).toBe(draft)
      // Sent again on purpose, with the page as it is now: accepted.
      await Promise.all([stale.waitForURL(/done=reply/), stale.getByRole("button", { name: w.send }).click()])
      expect(await stale.locator("ol.messages").textContent()).toContain(draft)
    })

    it(`P-AGT-5 customers and agents without tickets.work are refused on /agent pages (${lang})`, async () => {
      const ticketId = await newTicket(lang, lang === "en" ? "Refusals" : "拒否")
      // Nobody signed in: the sign-in form, coming back to the ticket afterwards.
      const anonymous = await open()
      await anonymous.goto(url(lang, `/agent/${ticketId}`))
      expect(new URL(anonymous.url()).pathname).toBe("/agent")
      expect(await anonymous.locator("#f-email").count()).toBe(1)
      // A customer: a clear 403 page, on the list and on a ticket.
      const customer = await as(lang, "ken@globex.test")
      for (const path of ["/agent", `/agent/${ticketId}`]) {
        const response = await customer.goto(url(lang, path))
        expect(response?.status()).toBe(403)
        expect(await customer.locator("h1").textContent()).toBe(w.customerRefused)
      }
      // An agent without tickets.work (portal.settings alone does not give it).
      const plain = await open()
      await plain.goto(url(lang, "/agent"))
      await plain.locator("#f-email").fill(NO_WORK[lang].email)
      await plain.locator("#f-password").fill(NO_WORK[lang].password)
      await plain.getByRole("button", { name: w.signIn }).click()
      await plain.getByRole("heading", { name: w.forbidden }).waitFor()
      for (const path of ["/agent", `/agent/${ticketId}`]) {
        const response = await plain.goto(url(lang, path))
        expect(response?.status()).toBe(403)
        expect(await plain.locator("h1").textContent()).toBe(w.forbidden)
      }
      // The form actions refuse too (the API decides): a hand-made post changes nothing.
      const post = await plain.request.post(url(lang, `/agent/${ticketId}?/note`), {
        multipart: { text: "sneaky", version: "1", idempotencyKey: crypto.randomUUID() },
        headers: { origin: origin(lang), accept: "text/html" },
      })
      expect(post.status()).toBe(403)
    })
  }
})

/** A demo agent with portal.settings but without tickets.work on each portal (P-AGT-5). */
const NO_WORK = {
  en: { email: "kai@acme.test", password: "settings-demo-2026" },
  ja: { email: "kai@sakura.test", password: "settings-demo-2026" },
} as const
