// Dates are shown in the portal's time zone (`portal.info.timeZone`, set by the admin), the same
// in the server's HTML and after hydration, whatever the browser's own zone is.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { adminApi } from "./support/settings.ts"

/** The created date of the ticket's properties and the first message's time, exactly as shown. */
const rawTimes = async (page: Page) => ({
  created: await page.locator(".props time").first().textContent(),
  message: await page.locator("ol.messages time").first().textContent(),
})
/** The same with every kind of space as " " (the page keeps the time and zone on one line with U+00A0). */
const times = async (page: Page) => {
  const raw = await rawTimes(page)
  return { created: raw.created?.replace(/\s/g, " "), message: raw.message?.replace(/\s/g, " ") }
}

describe.skipIf(skip)("time zone", () => {
  const { as, asAdmin } = useBrowser()

  // t1 was created 2026-10-01T09:01:00Z; its first message is from the same minute.
  it("shows the English portal's dates in UTC by default, whatever the browser's zone", async () => {
    const page = await as("en", "ken@globex.test", { timezoneId: "Pacific/Auckland" })
    await page.goto(url("en", "/tickets/t1"))
    const hydrated = await times(page)
    expect(hydrated.created).toBe("Oct 1, 2026, 9:01 AM UTC")
    expect(hydrated.message).toBe("Oct 1, 2026, 9:01 AM UTC")
    // The server's HTML says exactly the same, character for character (no JavaScript: what
    // hydration starts from), though Node and Chromium space "9:01 AM" differently by themselves.
    const plain = await as("en", "ken@globex.test", { javaScript: false, timezoneId: "America/Los_Angeles" })
    await plain.goto(url("en", "/tickets/t1"))
    expect(await rawTimes(plain)).toEqual(await rawTimes(page))
  })

  it("follows the time zone the admin sets, on the list and the detail page", async () => {
    const admin = await asAdmin("en")
    await adminApi(admin, "en").withSettings(
      (s) => ({ ...s, timeZone: "Asia/Tokyo" }),
      async () => {
        const page = await as("en", "ken@globex.test", { timezoneId: "Europe/London" })
        await page.goto(url("en", "/tickets/t1"))
        expect(await times(page)).toEqual({
          created: "Oct 1, 2026, 6:01 PM GMT+9",
          message: "Oct 1, 2026, 6:01 PM GMT+9",
        })
      },
    )
  })

  it("shows the Japanese portal's dates in Asia/Tokyo by default", async () => {
    const page = await as("ja", "ken@globex.test", { timezoneId: "UTC" })
    await page.goto(url("ja", "/tickets/t1"))
    expect((await times(page)).created).toBe("2026/10/01 18:01 JST")
  })
})
