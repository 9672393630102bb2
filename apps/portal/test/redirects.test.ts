// P-SEC-1 in a real browser: a `next` that Chromium would read as another host ("/\t/evil.test"
// is "//evil.test" once the tab is dropped) never takes the customer off the portal, neither after
// the sign-in form (with and without JavaScript) nor when they are signed in already.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { origin, ready, url } from "./support/browser.ts"
import { demo } from "./support/env.ts"
import { skip, useBrowser } from "./support/fixture.ts"

const PHISH = "/account/sign-in?next=%2F%09%2Fevil.test%2Fphish"

/** Any request to the phishing host is answered locally, so an escape shows as that page, not a DNS error. */
const trapEvilHost = (page: Page) =>
  page
    .context()
    .route(/^https?:\/\/evil\.test\//, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<h1>phished</h1>" }),
    )

const expectOnTicketList = (page: Page) => {
  const at = new URL(page.url())
  expect(at.origin).toBe(origin("en"))
  expect(at.pathname).toBe(`/${demo.en.slug}`)
}

describe.skipIf(skip)("P-SEC-1: sign-in never redirects off the portal", () => {
  const { open } = useBrowser()

  for (const [javaScript, email] of [
    [true, "mia@initech.test"],
    [false, "yuki@globex.test"],
  ] as const) {
    it(`P-SEC-1: after the form and when already signed in, a next of "/\\t/evil.test" ends on the ticket list (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const page = await open({ javaScript })
      await trapEvilHost(page)
      await page.goto(url("en", PHISH))
      await ready(page)
      await page.locator("#f-email").fill(email)
      await page.locator("#f-password").fill(demo.password)
      await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith("/account/sign-in")),
        page.locator("form button[type=submit]").click(),
      ])
      await page.waitForLoadState("load")
      expectOnTicketList(page)
      expect(await page.locator("h1").textContent()).not.toBe("phished")
      // Signed in now: the sign-in page with the same next sends the customer to the list.
      await page.goto(url("en", PHISH))
      await page.waitForLoadState("load")
      expectOnTicketList(page)
      // CR, LF and U+3000 are re-encoded, never an error page.
      const odd = await page.goto(url("en", "/account/sign-in?next=%2Ftickets%3Fq%3Da%0D%0Ab%E3%80%80c"))
      expect(odd?.status()).toBe(200)
      expect(new URL(page.url()).searchParams.get("q")).toBe("ab\u3000c")
    })
  }
})
