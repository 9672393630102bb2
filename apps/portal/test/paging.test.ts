// P-LIST-1: a customer with more tickets than one page walks the list forward and back. The
// tickets come through the integration API; the way back lives in the URL (?cursor=&prev=).
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { ready, screenshot, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { upsertContact, upsertTicket } from "./support/integration.ts"
import { registerWithEmailLink } from "./support/registration.ts"

const email = "pager@example.test"
const password = "turn-the-leaf-2026"
const COUNT = 57 // 25 + 25 + 7: three pages
const subjectOf = (n: number) => `Paging ticket ${String(n).padStart(2, "0")}`
// Ticket n had its last activity n hours after the start: the list (newest first) runs 57 … 1.
const newestFirst = Array.from({ length: COUNT }, (_, i) => subjectOf(COUNT - i))

const subjects = (page: Page) => page.locator("tbody th a").allTextContents()
const pages = (page: Page) => page.getByRole("navigation", { name: "Pages" })

/** Click a link of the pagination and wait for the list of the new URL. */
const go = async (page: Page, name: string) => {
  const before = page.url()
  await Promise.all([
    page.waitForURL((u) => u.toString() !== before),
    pages(page).getByRole("link", { name, exact: true }).click(),
  ])
  await ready(page)
}

describe.skipIf(skip)("ticket list paging", () => {
  const { as } = useBrowser()

  beforeAll(async () => {
    const { contactId } = await upsertContact("en", {
      id: "e2e-pager",
      email,
      firstName: "Paige",
      lastName: "Turner",
    })
    const start = Date.parse("2026-09-01T08:00:00Z")
    for (let n = 1; n <= COUNT; n++)
      await upsertTicket("en", {
        id: `e2e-page-${n}`,
        subject: subjectOf(n),
        contactId,
        at: new Date(start + n * 3_600_000).toISOString(),
      })
    // The contact has no login yet: self-registration (with consent) and its email link give it one.
    await registerWithEmailLink("en", { email, password, firstName: "Paige", lastName: "Turner" })
  })

  it("walks three pages with Next and Previous, the way back kept in the URL", async () => {
    const page = await as("en", email, { password })
    expect(new URL(page.url()).pathname).toBe("/tickets")

    // Page 1: the 25 newest, Next only.
    expect(await subjects(page)).toEqual(newestFirst.slice(0, 25))
    expect(await pages(page).textContent()).toContain("Page 1")
    expect(await pages(page).getByRole("link").allTextContents()).toEqual(["Next page →"])
    await expectAccessible(page, "en")

    // Page 2: the next 25; Previous and Next.
    await go(page, "Next page")
    expect(await subjects(page)).toEqual(newestFirst.slice(25, 50))
    expect(await pages(page).textContent()).toContain("Page 2")
    expect(await pages(page).getByRole("link").allTextContents()).toEqual(["← Previous page", "Next page →"])
    await screenshot(page, "en-list-page-2")
    const page2 = page.url()

    // Page 3: the last 7; First, Previous, no Next. The URL holds page 2's cursor for the way back.
    await go(page, "Next page")
    expect(await subjects(page)).toEqual(newestFirst.slice(50))
    expect(await pages(page).textContent()).toContain("Page 3")
    expect(await pages(page).getByRole("link").allTextContents()).toEqual(["First page", "← Previous page"])
    const search = new URL(page.url()).searchParams
    expect(search.get("cursor")).toBeTruthy()
    expect(search.get("prev")).toBe(new URL(page2).searchParams.get("cursor"))

    // A reload (or a shared link) opens the same page, and Previous still works from there.
    await page.reload()
    await ready(page)
    expect(await subjects(page)).toEqual(newestFirst.slice(50))
    await go(page, "Previous page")
    expect(page.url()).toBe(page2)
    expect(await subjects(page)).toEqual(newestFirst.slice(25, 50))
    await go(page, "Previous page")
    expect(new URL(page.url()).search).toBe("")
    expect(await subjects(page)).toEqual(newestFirst.slice(0, 25))

    // First page from page 3.
    await go(page, "Next page")
    await go(page, "Next page")
    await go(page, "First page")
    expect(new URL(page.url()).search).toBe("")
    expect(await subjects(page)).toEqual(newestFirst.slice(0, 25))
  })

  it("pages without JavaScript too, keeping the filters", async () => {
    const page = await as("en", email, { password, javaScript: false })
    await page.goto(url("en", "/tickets?status=open&q=paging"))
    expect(await subjects(page)).toEqual(newestFirst.slice(0, 25))
    await go(page, "Next page")
    const next = new URL(page.url()).searchParams
    expect(next.get("status")).toBe("open")
    expect(next.get("q")).toBe("paging")
    expect(await subjects(page)).toEqual(newestFirst.slice(25, 50))
    await go(page, "Previous page")
    expect(new URL(page.url()).search).toBe("?status=open&q=paging")
  })

  it("opens the first page for a cursor that is not one", async () => {
    const page = await as("en", email, { password })
    await page.goto(url("en", "/tickets?cursor=not-a-cursor&prev=x&status=open"))
    expect(new URL(page.url()).search).toBe("?status=open")
    expect(await subjects(page)).toEqual(newestFirst.slice(0, 25))
  })
})
