// Small accessibility checks run on every page the tests visit (no axe here: no extra download).
import type { Page } from "playwright-core"
import { expect } from "vitest"

/** Every visible form control has an accessible name; ids are unique; one h1; <html lang> set. */
export const expectAccessible = async (page: Page, lang: string) => {
  const report = await page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>("input:not([type=hidden]), select, textarea, button")]
    const unlabelled = controls
      .filter((c) => !c.closest("[inert]"))
      .filter((c) => {
        const field = c as HTMLInputElement
        const named =
          (field.labels?.length ?? 0) > 0 ||
          c.getAttribute("aria-label") ||
          c.getAttribute("aria-labelledby") ||
          (c.tagName === "BUTTON" && c.textContent?.trim())
        return !named
      })
      .map((c) => c.outerHTML.slice(0, 120))
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id)
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i)
    return {
      unlabelled,
      duplicates,
      h1: document.querySelectorAll("h1").length,
      lang: document.documentElement.lang,
      skip: document.querySelector("a.skip")?.getAttribute("href"),
    }
  })
  expect(report.unlabelled, "unlabelled controls").toEqual([])
  expect(report.duplicates, "duplicate ids").toEqual([])
  expect(report.h1, "one h1").toBe(1)
  expect(report.lang).toBe(lang)
  expect(report.skip).toBe("#main")
}
