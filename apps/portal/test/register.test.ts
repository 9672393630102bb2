// P-AUTH-3, P-CON: a new customer registers with consent, confirms the email through the mailed
// link and sees their tickets; a missing consent or field is named next to it, and someone
// refused is told why (P-AUTH-2).
import type { Page, Request } from "playwright-core"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, ready, signIn, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { linkIn, waitForMail } from "./support/mailbox.ts"
import { adminApi } from "./support/settings.ts"

const words = {
  en: {
    submit: "Create account",
    checkEmail: "Check your email",
    subject: "Confirm your email for Acme Support",
    confirm: "Confirm and sign in",
    verifyTitle: "Confirm your email",
  },
  ja: {
    submit: "登録する",
    checkEmail: "メールをご確認ください",
    subject: "さくら商事 サポート メールアドレスの確認",
    confirm: "確認してサインイン",
    verifyTitle: "メールアドレスの確認",
  },
} as const

/**
 * P-AUTH-3: registration answers alike for a new email and a known one, starts no session and
 * says "check your email"; the mailed link's page confirms with one button (opening it uses
 * nothing), which signs the customer in on the ticket list. Returns the link.
 */
const registerThenConfirm = async (page: Page, lang: Lang, email: string): Promise<URL> => {
  const w = words[lang]
  await page.getByRole("button", { name: w.submit }).click()
  await page.getByRole("heading", { name: w.checkEmail }).waitFor()
  expect(await page.locator("#register-done").textContent()).toContain(email)
  await expectAccessible(page, lang)
  // No session yet: the ticket list still asks to sign in.
  expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: "portal_session" }))
  const mail = await waitForMail(email, (m) => m.subject === w.subject)
  const link = linkIn(mail, "/account/verify")
  expect(link.origin).toBe(new URL(url(lang, "/")).origin)
  // Opening the link twice (as a mail scanner would) uses nothing.
  await page.goto(link.toString())
  // No request made from the page (assets, the confirming POST) carries the token in its Referer.
  const referers: Array<string> = []
  const onRequest = async (request: Request) => referers.push((await request.allHeaders()).referer ?? "")
  page.on("request", onRequest)
  await page.goto(link.toString())
  await ready(page)
  await page.getByRole("heading", { name: w.verifyTitle }).waitFor()
  expect(await page.locator('meta[name="referrer"]').getAttribute("content")).toBe("strict-origin")
  await expectAccessible(page, lang)
  await Promise.all([page.waitForURL(url(lang, "/tickets")), page.getByRole("button", { name: w.confirm }).click()])
  page.off("request", onRequest)
  // The token never stays in the address bar, nor leaves in a Referer.
  expect(page.url()).not.toContain("token=")
  expect(referers.length).toBeGreaterThan(0)
  for (const referer of referers) expect(referer).not.toContain("token")
  return link
}

describe.skipIf(skip)("registration", () => {
  const { open, asAdmin } = useBrowser()

  it("shows Register on the sign-in page of a self-registration portal", async () => {
    const page = await open()
    await page.goto(url("en", "/account/sign-in"))
    await expectAccessible(page, "en")
    const register = page.getByRole("link", { name: "Register" })
    expect(await register.getAttribute("href")).toBe("/account/register")
  })

  it("P-CON-2 refuses to register without the consent box, saying so next to it", async () => {
    const page = await open()
    await page.goto(url("en", "/account/register"))
    await expectAccessible(page, "en")
    // The consent notice, its checkbox label and the legal link come from the settings (P-CON-1).
    expect(await page.locator("#consent-notice").textContent()).toContain(
      "Acme processes your data to answer your requests.",
    )
    expect(await page.getByRole("link", { name: /privacy notice/ }).getAttribute("href")).toBe(
      "https://example.com/privacy",
    )
    await page.locator("#f-firstName").fill("Nora")
    await page.locator("#f-email").fill("nora@example.test")
    await page.locator("#f-password").fill("a-long-password-1")
    await page.getByRole("button", { name: "Create account" }).click()
    await page.locator("#consent-error").waitFor()
    expect(await page.locator("#consent-error").textContent()).toBe(
      "To register, tick the box to agree to the processing of your data.",
    )
    expect(new URL(page.url()).pathname).toBe("/account/register")
    expect(await page.locator("#f-email").inputValue()).toBe("nora@example.test")
  })

  it("P-CON-2 P-DOM-4 names the consent box and the missing field in Japanese", async () => {
    const page = await open()
    await page.goto(url("ja", "/account/register"))
    await page.locator("#f-email").fill("nora-ja@example.test")
    await page.locator("#f-password").fill("a-long-password-1")
    await page.getByRole("button", { name: "登録する" }).click()
    await page.locator("#consent-error").waitFor()
    expect(await page.locator("#consent-error").textContent()).toBe(
      "登録するには、データの処理に同意するチェックボックスをオンにしてください。",
    )
    expect(await page.locator("#f-firstName-error").textContent()).toBe("名は必須です。")
    await expectAccessible(page, "ja")
  })

  it("P-AUTH-1 hole 12b: an obvious password is refused next to the field, in Japanese and English", async () => {
    for (const [lang, email, password, message] of [
      ["ja", "aoi-12b@example.test", "さくら商事サポート2026", "パスワードにポータル名を含めないでください。"],
      [
        "en",
        "nora-12b@example.test",
        "Password2026!",
        "This password is too common and easy to guess. Choose another one.",
      ],
    ] as const) {
      const page = await open()
      await page.goto(url(lang, "/account/register"))
      await page.locator("#f-firstName").fill("Aoi")
      await page.locator("#f-email").fill(email)
      await page.locator("#f-password").fill(password)
      await page.locator("input[name=consent]").check()
      await page.locator("main form button[type=submit]").click()
      await page.locator("#f-password-error").waitFor()
      expect(await page.locator("#f-password-error").textContent()).toContain(message)
      expect(await page.locator("#f-password").getAttribute("aria-invalid")).toBe("true")
      expect(await page.locator("#f-password").getAttribute("aria-describedby")).toContain("f-password-error")
      await expectAccessible(page, lang)
    }
  })

  it("P-AUTH-2 tells a contact outside the access groups why access is denied", async () => {
    const api = adminApi(await asAdmin("en"), "en")
    await api.withSettings(
      (s) => ({ ...s, access: { method: "membership", registration: "accessGroups", listIds: ["l1"] } }),
      async () => {
        // Yuki has a login but is not in "Priority customers": refusal code not_in_access_group.
        const page = await open()
        await signIn(page, "en", "yuki@globex.test")
        expect(new URL(page.url()).pathname).toBe("/account/access-denied")
        expect(new URL(page.url()).searchParams.get("code")).toBe("not_in_access_group")
        expect(await page.locator("#denied-reason").textContent()).toBe(
          "Your account is not among the customers with access to this portal. If you think this is a mistake, contact the team.",
        )
      },
    )
    // The Japanese page says it in Japanese.
    const ja = await open()
    await ja.goto(url("ja", "/account/access-denied?code=not_in_access_group"))
    expect(await ja.locator("#denied-reason").textContent()).toBe(
      "お使いのアカウントは、このポータルにアクセスできるお客様に含まれていません。誤りと思われる場合は、チームにお問い合わせください。",
    )
  })

  it("P-AUTH-2 says why an invitation link is refused on a portal that does not invite", async () => {
    // The English demo portal registers by itself: an invitation link is refused with
    // invitation_not_offered, and the access denied page says so (without JavaScript too).
    for (const javaScript of [true, false]) {
      const page = await open({ javaScript })
      await page.goto(url("en", "/account/invitation?token=not-a-real-token-000000000000"))
      await page.locator("#f-password").fill("a-long-password-1")
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/account/access-denied"),
        page.locator("form button[type=submit]").click(),
      ])
      expect(new URL(page.url()).searchParams.get("code")).toBe("invitation_not_offered")
      expect(await page.locator("#denied-reason").textContent()).toBe(
        "This portal does not use invitations. Register on the sign-in page instead.",
      )
    }
  })

  it("P-AUTH-3 registers a known contact with consent; after the emailed link they see their tickets", async () => {
    const page = await open()
    await page.goto(url("en", "/account/register"))
    // solo@example.test is a contact of the demo without a login; ticket t7 is theirs.
    await page.locator("#f-firstName").fill("Sam")
    await page.locator("#f-lastName").fill("Solo")
    await page.locator("#f-email").fill("solo@example.test")
    // Not "solo-…": a password containing the email's local part is refused (hole 12b).
    await page.locator("#f-password").fill("sam-quiet-harbor-2026")
    await page.getByLabel("I agree to let Acme process my data.").check()
    const link = await registerThenConfirm(page, "en", "solo@example.test")
    expect(await page.locator("h1").textContent()).toBe("Requests")
    expect(await page.getByRole("link", { name: "Password policy" }).count()).toBe(1)
    // Only their own: no primary company, so no Organization / Mine switch (P-VIS-2).
    expect(await page.locator("tbody tr").count()).toBe(1)
    expect(await page.getByRole("navigation", { name: "View" }).count()).toBe(0)
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(1)
    // The link worked once: used again (in another browser), it says so and signs no one in.
    const again = await open({ javaScript: false })
    await again.goto(link.toString())
    await again.getByRole("button", { name: "Confirm and sign in" }).click()
    await again.locator("#verify-error").waitFor()
    expect(await again.locator("#verify-error").textContent()).toContain(
      "This link is invalid, has expired or was already used.",
    )
    expect(await again.context().cookies()).not.toContainEqual(expect.objectContaining({ name: "portal_session" }))
    await expectAccessible(again, "en")
  })

  it("P-AUTH-3 registers a brand-new customer (without JavaScript), who lands on an empty list after the link", async () => {
    const page = await open({ javaScript: false })
    await page.goto(url("en", "/account/register"))
    await page.locator("#f-firstName").fill("Nora")
    await page.locator("#f-email").fill("nora@example.test")
    await page.locator("#f-password").fill("a-long-password-1")
    await page.getByLabel("I agree to let Acme process my data.").check()
    await registerThenConfirm(page, "en", "nora@example.test")
    expect(await page.getByRole("heading", { name: "No Requests yet" }).count()).toBe(1)
    await expectAccessible(page, "en")
  })

  it("P-AUTH-3 P-DOM-4 registers in Japanese: check your email, the link, signed in", async () => {
    const page = await open()
    await page.goto(url("ja", "/account/register"))
    await page.locator("#f-firstName").fill("花子")
    await page.locator("#f-lastName").fill("山田")
    await page.locator("#f-email").fill("hanako@example.test")
    await page.locator("#f-password").fill("blue-river-lantern-2026")
    await page.getByLabel("情報の処理に同意します。").check()
    await registerThenConfirm(page, "ja", "hanako@example.test")
    expect(await page.getByRole("button", { name: "サインアウト" }).count()).toBe(1)
    // A link that is not (or no longer) valid says so in Japanese.
    const bad = await open()
    await bad.goto(url("ja", "/account/verify?token=not-a-real-token-000000000000"))
    await ready(bad)
    await bad.getByRole("button", { name: "確認してサインイン" }).click()
    await bad.locator("#verify-error").waitFor()
    expect(await bad.locator("#verify-error").textContent()).toContain("このリンクは無効か")
    await expectAccessible(bad, "ja")
  })
})
