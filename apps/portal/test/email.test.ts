// P-AUTH-2 and P-AUTH-4 with real emails: the server sends through SMTP to the tests' mailbox
// (global setup); the tests read the link in the mail, follow it in Chromium, set a password and
// sign in with it.
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, ready, signIn, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration, upsertContact } from "./support/integration.ts"
import { linkIn, waitForMail } from "./support/mailbox.ts"
import { registerWithEmailLink } from "./support/registration.ts"
import { adminApi } from "./support/settings.ts"

/** Follow a link of a mail on the portal it names, set `password` in the page's form. */
const setPasswordFrom = async (page: Page, lang: Lang, link: URL, password: string) => {
  // The link names the host the request came in on: the portal of `lang`.
  expect(link.origin).toBe(new URL(url(lang, "/")).origin)
  await page.goto(link.toString())
  await ready(page)
  await expectAccessible(page, lang)
  await page.locator("#f-password").fill(password)
  await Promise.all([
    page.waitForURL((u) => u.pathname !== link.pathname),
    page.locator("main form button[type=submit]").click(),
  ])
  await ready(page)
}

const signOut = async (page: Page) => {
  await Promise.all([
    page.waitForURL(/\/account\/signed-out/),
    page.locator("form[action='/account/sign-out'] button").click(),
  ])
}

describe.skipIf(skip)("emails", () => {
  const { open, asAdmin } = useBrowser()

  it("invites the contacts of an access group; the link sets a password that signs in (P-AUTH-2)", async () => {
    const email = "invitee@example.test"
    const password = "ivy-harbor-lantern-2026"
    await upsertContact("en", { id: "e2e-invitee", email, firstName: "Ivy", lastName: "Invitee" })
    await integration("en", "lists.upsert", { id: "e2e-invited", name: "E2E invited", contactIds: ["e2e-invitee"] })
    const admin = await asAdmin("en")
    const api = adminApi(admin, "en")
    await api.withSettings(
      (s) => ({ ...s, access: { method: "membership", registration: "accessGroups", listIds: ["e2e-invited"] } }),
      async () => {
        // The admin screen's button sends the registration emails of the saved lists.
        await admin.reload()
        await ready(admin)
        await admin.getByRole("button", { name: "Send registration emails" }).click()
        await admin.locator("#access .notice.success").waitFor()
        expect(await admin.locator("#access .notice.success").textContent()).toContain("Sent 1 invitations")

        const mail = await waitForMail(email)
        expect(mail.from).toBe("portal@e2e.test")
        expect(mail.subject).toContain("Acme Support")
        const link = linkIn(mail, "/account/invitation")
        expect(link.searchParams.get("token")).toBeTruthy()

        const page = await open()
        await setPasswordFrom(page, "en", link, password)
        // Accepting the invitation signs in: the (empty) list of the new customer.
        expect(new URL(page.url()).pathname).toBe("/tickets")
        expect(await page.getByRole("heading", { name: "No Requests yet" }).count()).toBe(1)

        // The link is single-use.
        await page.goto(link.toString())
        await page.locator("#f-password").fill("another-password-2026")
        await page.locator("main form button[type=submit]").click()
        await page.getByText("This invitation link is invalid or has expired.").waitFor()

        // The password signs in again after signing out.
        await page.goto(url("en", "/tickets"))
        await ready(page)
        await signOut(page)
        await signIn(page, "en", email, password)
        expect(new URL(page.url()).pathname).toBe("/tickets")
      },
    )
  })

  it("resets a forgotten password through the Japanese email (P-AUTH-4)", async () => {
    const email = "reset-e2e@example.test"
    const old = "old-password-2026"
    const fresh = "new-password-2026"
    // A customer with a login on the Japanese portal (self-registration, with consent).
    await registerWithEmailLink("ja", { email, password: old, firstName: "葵", lastName: "佐々木" })

    const page = await open()
    await page.goto(url("ja", "/account/forgot-password"))
    await ready(page)
    await page.locator("#f-email").fill(email)
    await page.locator("main form button[type=submit]").click()
    await page.locator(".notice.success").waitFor()

    const mail = await waitForMail(email, (m) => m.text.includes("/account/reset-password"))
    expect(mail.subject).toContain("さくら商事 サポート")
    expect(mail.text).toMatch(/パスワード/)
    const link = linkIn(mail, "/account/reset-password")
    await setPasswordFrom(page, "ja", link, fresh)
    // Back on the sign-in page, which says the password changed.
    expect(new URL(page.url()).pathname).toBe("/account/sign-in")
    expect(await page.locator(".notice.success").textContent()).toContain("パスワードを変更しました")

    await signIn(page, "ja", email, fresh)
    expect(new URL(page.url()).pathname).toBe("/tickets")
    await signOut(page)

    // The old password no longer works.
    await page.goto(url("ja", "/account/sign-in"))
    await page.locator("#f-email").fill(email)
    await page.locator("#f-password").fill(old)
    await page.locator("main form button[type=submit]").click()
    await page.locator(".notice.error").waitFor()
    expect(new URL(page.url()).pathname).toBe("/account/sign-in")
  })
})
