// P-AUTH-6: sign-out at the top right of every page, and the idle-timeout sign-out page.
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { ready, signIn, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

describe.skipIf(skip)("sessions", () => {
  const { open, as } = useBrowser()

  // Each test ends its session, so each signs in as its own customer.
  for (const [javaScript, email] of [
    [true, "mia@initech.test"],
    [false, "yuki@globex.test"],
  ] as const) {
    it(`signs out from the top right (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const page = await as("en", email, { javaScript })
      for (const path of ["/tickets", "/tickets/t4", "/tickets/new"]) {
        await page.goto(url("en", path))
        expect(await page.locator("header.topbar").getByRole("button", { name: "Sign out" }).count(), path).toBe(1)
      }
      await Promise.all([
        page.waitForURL(url("en", "/account/signed-out")),
        page.getByRole("button", { name: "Sign out" }).click(),
      ])
      expect(await page.locator("h1").textContent()).toBe("You are signed out")
      await page.goto(url("en", "/tickets"))
      expect(new URL(page.url()).pathname).toBe("/account/sign-in")
    })
  }

  it("signs an idle customer out after the idle timeout and says why", async () => {
    const page = await open()
    await page.clock.install()
    await signIn(page, "en", "mia@initech.test")
    await page.goto(url("en", "/tickets/t5"))
    await ready(page)
    // The demo's idle timeout is 60 minutes.
    await page.clock.fastForward("59:00")
    expect(new URL(page.url()).pathname).toBe("/tickets/t5")
    await Promise.all([page.waitForURL(/\/account\/session-expired/), page.clock.fastForward("02:00")])
    await page.locator("h1").waitFor()
    expect(await page.locator("h1").textContent()).toBe("Your session has ended")
    expect(await page.locator("main").textContent()).toContain("after 60 minutes without activity")
    await expectAccessible(page, "en")
    // The session is over on the server too; signing in again comes back to the ticket.
    await page.goto(url("en", "/tickets"))
    expect(new URL(page.url()).pathname).toBe("/account/sign-in")
  })
})
