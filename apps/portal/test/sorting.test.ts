// P-EXT-4: the list sorts by subject, created, owner, last activity and status, both directions,
// by links in the column headers (aria-sort, keyboard, no JavaScript needed), with the sort in the
// URL; unknown values are the default, never an error.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { screenshot, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

/** Compare strings by code points, as the portal sorts (rules/Listing.ts). */
const byCodePoints = (a: string, b: string) => {
  const x = Array.from(a)
  const y = Array.from(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}
const sortedBy = (values: ReadonlyArray<string>, compare: (a: string, b: string) => number) =>
  values.every((v, i) => i === 0 || compare(values[i - 1] as string, v) <= 0)

const column = (page: Page, index: number) =>
  page.locator("tbody tr").evaluateAll(
    (rows, i) =>
      rows.map((row) => {
        const cell = row.children[i] as HTMLElement
        return cell.querySelector("time")?.getAttribute("datetime") ?? cell.textContent?.trim() ?? ""
      }),
    index,
  )
const ids = (page: Page) =>
  page.locator("tbody th a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))
const sortParams = (page: Page) => {
  const params = new URL(page.url()).searchParams
  return [params.get("sort"), params.get("dir")]
}
const ariaSorts = (page: Page) =>
  page.locator("thead th").evaluateAll((ths) => ths.map((th) => th.getAttribute("aria-sort")))

/** Click a header's link and wait for the list of that sort. */
const clickHeader = async (page: Page, name: string, sort: string, dir: string) => {
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get("sort") === sort && u.searchParams.get("dir") === dir),
    page.locator("thead a.sort", { hasText: name }).click(),
  ])
}

// Columns: subject (th), requester, created, owner, last activity, status.
const COLUMNS = [
  { sort: "subject", en: "Subject", ja: "件名", index: 0, first: "asc" },
  { sort: "created", en: "Created", ja: "作成日", index: 2, first: "desc" },
  { sort: "owner", en: "Owner", ja: "チケット担当者", index: 3, first: "asc" },
  { sort: "lastActivity", en: "Last activity", ja: "前回のアクティビティー日", index: 4, first: "desc" },
  { sort: "status", en: "Status", ja: "ステータス", index: 5, first: "asc" },
] as const

describe.skipIf(skip)("sorting the ticket list (P-EXT-4)", () => {
  const { as } = useBrowser()

  for (const lang of ["en", "ja"] as const)
    it(`sorts by each header both ways, in the URL, with aria-sort (${lang})`, async () => {
      const page = await as(lang, "ken@globex.test")
      // The default: last activity, newest first.
      expect(await ariaSorts(page)).toEqual([null, null, null, null, "descending", null])
      for (const c of COLUMNS) {
        const other = c.first === "asc" ? "desc" : "asc"
        await clickHeader(page, c[lang], c.sort, c.first)
        expect(sortParams(page)).toEqual([c.sort, c.first])
        const sorts = await ariaSorts(page)
        expect(sorts.filter((s) => s !== null)).toEqual([c.first === "asc" ? "ascending" : "descending"])
        expect(sorts[c.index]).not.toBeNull()
        if (c.sort === "subject") await screenshot(page, `list-sorted-subject.${lang}`)
        const firstWay = await ids(page)
        const values = await column(page, c.index)
        if (c.sort === "subject") expect(sortedBy(values, byCodePoints)).toBe(true)
        if (c.sort === "created" || c.sort === "lastActivity")
          expect(sortedBy(values, (a, b) => Date.parse(b) - Date.parse(a))).toBe(true)
        if (c.sort === "owner")
          expect(
            sortedBy(
              values.map((v) => (v === "—" ? "" : v)),
              byCodePoints,
            ),
          ).toBe(true)
        if (c.sort === "status") {
          // Open/Closed shown: the rows group by state (ties by id), never interleave.
          const groups = values.filter((v, i) => i === 0 || values[i - 1] !== v)
          expect(new Set(groups).size).toBe(groups.length)
        }
        // Again: the other direction, the exact reverse (ties by id go the other way too).
        await clickHeader(page, c[lang], c.sort, other)
        expect(await ids(page)).toEqual([...firstWay].reverse())
      }
      await expectAccessible(page, lang)
    })

  it("works without JavaScript and by keyboard; a search keeps the sort", async () => {
    const page = await as("en", "ken@globex.test", { javaScript: false })
    await clickHeader(page, "Subject", "subject", "asc")
    const subjects = await column(page, 0)
    expect(sortedBy(subjects, byCodePoints)).toBe(true)
    // Keyboard: the header link takes focus and Enter follows it.
    await page.locator("thead a.sort", { hasText: "Subject" }).focus()
    await Promise.all([page.waitForURL(/dir=desc/), page.keyboard.press("Enter")])
    expect(sortParams(page)).toEqual(["subject", "desc"])
    expect(await column(page, 0)).toEqual([...subjects].reverse())
    // The search form carries the sort along.
    await page.locator("#list-q").fill("i")
    await Promise.all([page.waitForURL(/q=i/), page.getByRole("button", { name: "Apply" }).click()])
    expect(sortParams(page)).toEqual(["subject", "desc"])
    const found = await column(page, 0)
    expect(sortedBy([...found].reverse(), byCodePoints)).toBe(true)
  })

  it("treats unknown sort values as the default and a cursor of another sort as the first page", async () => {
    const page = await as("en", "ken@globex.test")
    const response = await page.goto(url("en", "/tickets?sort=bogus&dir=sideways"))
    expect(response?.status()).toBe(200)
    expect(await ariaSorts(page)).toEqual([null, null, null, null, "descending", null])
    const defaultIds = await ids(page)
    // A cursor made for another sort: refused by the API (400), shown as the first page.
    const cursor = Buffer.from(JSON.stringify(["subject", "asc", "a", "t1"])).toString("base64url")
    const again = await page.goto(url("en", `/tickets?sort=created&dir=asc&cursor=${cursor}`))
    expect(again?.status()).toBe(200)
    expect(new URL(page.url()).searchParams.get("cursor")).toBeNull()
    expect(sortParams(page)).toEqual(["created", "asc"])
    expect(await ariaSorts(page)).toEqual([null, null, "ascending", null, null, null])
    expect(defaultIds.length).toBeGreaterThan(0)
  })
})
