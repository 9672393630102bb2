/**
 * Every page at desktop (1280×800) and phone (390×844) width, in both languages, into
 * artifacts/screenshots/<lang>-<page>.<desktop|phone>.png, each checked for the basics of
 * accessibility (labels, one h1, <html lang>, skip link) on the way.
 */

import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, ready, screenshot, url } from "./support/browser.ts"
import { SCREENSHOTS } from "./support/env.ts"
import { skip, useBrowser } from "./support/fixture.ts"

describe.skipIf(skip)("screenshots", () => {
  const { open, as, asAdmin } = useBrowser()

  const visit = async (page: Page, lang: Lang, path: string, name: string) => {
    await page.goto(url(lang, path))
    await ready(page)
    await expectAccessible(page, lang)
    await screenshot(page, `${lang}-${name}`)
  }

  for (const lang of ["en", "ja"] as const) {
    it(`system pages (${lang})`, async () => {
      const page = await open()
      await visit(page, lang, "/account/sign-in", "sign-in")
      await visit(page, lang, "/account/register", "register")
      await page.getByRole("button", { name: lang === "en" ? "Create account" : "登録する" }).click()
      await page.locator("#consent-error").waitFor()
      await expectAccessible(page, lang)
      await screenshot(page, `${lang}-register-errors`)
      await page.locator("#f-firstName").fill("Alex")
      await page.locator("#f-email").fill(`screenshot-${lang}@example.test`)
      await page.locator("#f-password").fill("screenshot-password-1")
      await page.locator("input[name=consent]").check()
      await page.locator("form button[type=submit]").click()
      // P-AUTH-3: "check your email"; the login exists once the mailed link is used.
      await page.locator("#register-done").waitFor()
      await expectAccessible(page, lang)
      await screenshot(page, `${lang}-register-done`)
      await visit(page, lang, "/account/forgot-password", "forgot-password")
      await page.locator("#f-email").fill("ken@globex.test")
      await page.locator("form button[type=submit]").click()
      await page.locator(".notice.success").waitFor()
      await screenshot(page, `${lang}-forgot-password-sent`)
      await visit(page, lang, "/account/reset-password?token=example", "reset-password")
      await visit(page, lang, "/account/invitation?token=example", "invitation")
      await visit(page, lang, "/account/access-denied", "access-denied")
      await visit(page, lang, "/account/signed-out", "signed-out")
      await visit(page, lang, "/account/session-expired", "session-expired")
      await visit(page, lang, "/admin/sign-in", "admin-sign-in")
    })

    it(`customer pages (${lang})`, async () => {
      const page = await as(lang, "yuki@globex.test")
      await visit(page, lang, "/tickets", "list")
      await visit(page, lang, "/tickets?status=closed&q=zzz", "list-empty")
      await visit(page, lang, "/tickets/t3", "detail-closed")
      await visit(page, lang, "/tickets/t9", "detail")
      await visit(page, lang, "/tickets/t9?close=confirm", "detail-close-confirm")
      await page.goto(url(lang, "/tickets/t9"))
      await ready(page)
      await page.locator(".side a.button.danger").click()
      await page.getByRole("dialog").waitFor()
      await page.screenshot({ path: join(SCREENSHOTS, `${lang}-detail-close-dialog.desktop.png`) })
      await visit(page, lang, "/tickets/new", "form")
      await page.locator("form.card button[type=submit]").click()
      await page.locator("#form-subject-error").waitFor()
      await screenshot(page, `${lang}-form-errors`)
      await visit(page, lang, "/tickets/no-such-ticket", "not-found")
    })

    it(`admin settings (${lang})`, async () => {
      const page = await asAdmin(lang)
      await expectAccessible(page, lang)
      await screenshot(page, `${lang}-admin`)
      await page.getByRole("tab", { name: lang === "en" ? "Ticket detail" : "チケット詳細" }).click()
      await page
        .locator("#templates")
        .screenshot({ path: join(SCREENSHOTS, `${lang}-admin-preview-detail.desktop.png`) })
      await page.getByRole("tab", { name: lang === "en" ? "Support form" : "サポートフォーム" }).click()
      await page.locator("#templates").screenshot({ path: join(SCREENSHOTS, `${lang}-admin-preview-form.desktop.png`) })
      // The branding editor with a draft colour in its live preview and a message next to a field.
      await page.locator("#b-primaryColor").fill("#2e7d32")
      await page.locator("#b-logoUrl").fill("http://insecure.example/logo.png")
      await page.getByRole("button", { name: lang === "en" ? "Save branding" : "ブランディングを保存" }).click()
      await page.locator("#b-logoUrl-error").waitFor()
      await page.locator("#branding").screenshot({ path: join(SCREENSHOTS, `${lang}-admin-branding.desktop.png`) })
      await page.setViewportSize({ width: 390, height: 844 })
      await page.locator("#branding").screenshot({ path: join(SCREENSHOTS, `${lang}-admin-branding.phone.png`) })
      // The API tokens: one just created (shown once, with its copy button) and a revoke
      // confirmation open on it; then revoked again, so the shared server keeps no live token.
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.locator("#at-name").fill(lang === "en" ? "CRM sync" : "CRM連携")
      await page.getByRole("button", { name: lang === "en" ? "Create token" : "トークンを作成" }).click()
      await page.locator("#at-secret").waitFor()
      const newest = page.locator("#api-tokens li").first()
      await newest.locator("button.danger").click()
      await expectAccessible(page, lang)
      await page.locator("#api-tokens").screenshot({ path: join(SCREENSHOTS, `${lang}-admin-api-tokens.desktop.png`) })
      await page.setViewportSize({ width: 390, height: 844 })
      await page.locator("#api-tokens").screenshot({ path: join(SCREENSHOTS, `${lang}-admin-api-tokens.phone.png`) })
      await newest.locator("button.danger.solid").click()
      await newest.locator(".badge").waitFor()
    })
  }
})
