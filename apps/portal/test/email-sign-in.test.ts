// P-EXT-6 in Chromium with real emails: where the admin turns it on, the sign-in page offers
// "Email me a sign-in link" beside the password; the link read from the local SMTP server opens
// a page whose "Sign in" button (a POST: a prefetching mail scanner signs nobody in) signs the
// customer in and goes to the safe `next`; the link works once. English without JavaScript,
// Japanese with it. Off (the demo's default), the sign-in page offers nothing of it.
import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, ready, screenshot, url } from "./support/browser.ts"
import { SCREENSHOTS } from "./support/env.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { linkIn, type Mail, waitForMail } from "./support/mailbox.ts"
import { adminApi } from "./support/settings.ts"

const TEXT = {
  en: {
    offer: "Email me a sign-in link",
    email: "Email for a sign-in link",
    sent: "a sign-in link is on its way",
    subject: "Your sign-in link",
    signIn: "Sign in",
    invalid: "This sign-in link is invalid",
    setting: "Offer sign-in by email link",
  },
  ja: {
    offer: "サインイン用リンクをメールで受け取る",
    email: "サインイン用リンクの送信先メールアドレス",
    sent: "サインイン用リンクをお送りしました",
    subject: "サインイン用リンク",
    signIn: "サインインする",
    invalid: "このサインイン用リンクは無効",
    setting: "メールのリンクによるサインインを提供する",
  },
} as const

const used = new Set<string>()
const nextMail = async (email: string, subject: string): Promise<Mail> => {
  const mail = await waitForMail(email, (m) => m.subject.includes(subject) && !used.has(m.text))
  used.add(mail.text)
  return mail
}

const askForLink = async (page: Page, lang: Lang, email: string, next: string) => {
  await page.goto(url(lang, `/account/sign-in?next=${encodeURIComponent(next)}`))
  await ready(page)
  await page.getByLabel(TEXT[lang].email).fill(email)
  await Promise.all([
    page.waitForURL(/\/account\/email-link/),
    page.getByRole("button", { name: TEXT[lang].offer }).click(),
  ])
  await ready(page)
  expect(await page.locator("p.notice.success").textContent()).toContain(TEXT[lang].sent)
}

describe.skipIf(skip)("sign-in by emailed link (P-EXT-6)", () => {
  const { open, asAdmin } = useBrowser()

  for (const [lang, javaScript] of [
    ["en", false],
    ["ja", true],
  ] as const)
    it(`P-EXT-6 signs in by a link read from the mail, once, and goes to next (${lang}, JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const admin = await asAdmin(lang)
      const api = adminApi(admin, lang)
      const email = "yuki@globex.test"
      const next = "/tickets?status=open"
      await api.withSettings(
        (s) => ({ ...s, emailSignIn: true }),
        async () => {
          // The admin screen shows the saved setting.
          await admin.reload()
          await ready(admin)
          expect(await admin.getByLabel(TEXT[lang].setting).isChecked()).toBe(true)
          await admin.getByLabel(TEXT[lang].setting).scrollIntoViewIfNeeded()
          await admin.screenshot({ path: join(SCREENSHOTS, `email-sign-in.admin.${lang}.png`) })

          const page = await open({ javaScript })
          await page.goto(url(lang, `/account/sign-in?next=${encodeURIComponent(next)}`))
          await ready(page)
          await expectAccessible(page, lang)
          await screenshot(page, `email-sign-in.offer.${lang}`)
          await askForLink(page, lang, email, next)

          const mail = await nextMail(email, TEXT[lang].subject)
          const link = linkIn(mail, "/account/sign-in-link")
          expect(link.origin).toBe(new URL(url(lang, "/")).origin)
          expect(link.searchParams.get("next")).toBe(next)
          // A prefetch (GET) of the link signs nobody in and uses nothing.
          const prefetch = await page.request.get(link.toString())
          expect(prefetch.status()).toBe(200)
          // The token is in the page's URL: its requests send only the origin as Referer.
          expect(prefetch.headers()["referrer-policy"]).toBe("strict-origin")
          await page.goto(link.toString())
          await ready(page)
          await expectAccessible(page, lang)
          await screenshot(page, `email-sign-in.link.${lang}`)
          expect(new URL(page.url()).pathname).toBe("/account/sign-in-link")
          // The form posts to the bare path: the token travels in the body, never in a URL.
          expect(await page.locator("main form").getAttribute("action")).toBe("/account/sign-in-link")
          await Promise.all([
            page.waitForURL((u) => u.pathname === "/tickets"),
            page.getByRole("button", { name: TEXT[lang].signIn, exact: true }).click(),
          ])
          await ready(page)
          expect(new URL(page.url()).search).toBe("?status=open")
          expect(await page.locator("tbody tr").count()).toBeGreaterThan(0)

          // Used once: another browser gets "invalid" and no session.
          const other = await open({ javaScript })
          await other.goto(link.toString())
          await ready(other)
          await other.getByRole("button", { name: TEXT[lang].signIn, exact: true }).click()
          await other.getByText(TEXT[lang].invalid).waitFor()
          expect(new URL(other.url()).pathname).toBe("/account/sign-in-link")
          await other.goto(url(lang, "/tickets"))
          expect(new URL(other.url()).pathname).toBe("/account/sign-in")
        },
      )
    })

  it("P-EXT-6 off (the default): the sign-in page offers no link, and the request page sends to sign-in", async () => {
    const page = await open()
    await page.goto(url("en", "/account/sign-in"))
    await ready(page)
    expect(await page.getByRole("button", { name: TEXT.en.offer }).count()).toBe(0)
    await page.goto(url("en", "/account/email-link"))
    expect(new URL(page.url()).pathname).toBe("/account/sign-in")
  })
})
