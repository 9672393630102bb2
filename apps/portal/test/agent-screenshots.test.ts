/**
 * The agent workspace (P-AGT-1/2) at desktop and phone width, in both languages, into
 * artifacts/screenshots/<lang>-agent-<page>.<desktop|phone>.png, each checked for the basics of
 * accessibility on the way: the sign-in, the list, a filtered and sorted list, and a ticket with
 * several threads, an internal comment and a note (demo ticket t1).
 */
import type { Page } from "playwright-core"
import { describe, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, ready, screenshot, url } from "./support/browser.ts"
import { demo } from "./support/env.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration } from "./support/integration.ts"

describe.skipIf(skip)("agent workspace screenshots", () => {
  const { open } = useBrowser()

  const visit = async (page: Page, lang: Lang, path: string, name: string) => {
    await page.goto(url(lang, path))
    await ready(page)
    await expectAccessible(page, lang)
    await screenshot(page, `${lang}-agent-${name}`)
  }

  for (const lang of ["en", "ja"] as const) {
    it(`list and ticket pages (${lang})`, async () => {
      const page = await open()
      await visit(page, lang, "/agent", "sign-in")
      await page.locator("#f-email").fill(demo[lang].admin)
      await page.locator("#f-password").fill(demo.adminPassword)
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/agent"),
        page.locator("form button[type=submit]").click(),
      ])
      await ready(page)
      await integration(lang, "notes.add", {
        id: `shot-note-${lang}-${Date.now()}`,
        ticketId: "t1",
        authorId: "u1",
        createdAt: new Date().toISOString(),
        text: lang === "en" ? "Credit note approved by finance." : "経理がクレジットノートを承認しました。",
      }).catch(() => undefined)
      await visit(page, lang, "/agent", "list")
      await visit(page, lang, "/agent?state=all&owner=unassigned&sort=subject&dir=asc", "list-filtered")
      await visit(page, lang, "/agent/t1", "ticket")
    })
  }
})
