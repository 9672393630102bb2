// P-EXT-1 participants (CC) in Chromium, on the English and the Japanese portal: the requester
// adds a colleague on the support form and another on the ticket page; the colleague (another
// company) signs in, finds the ticket under "Shared with me", opens it and replies; the
// requester removes someone; a participant has no way to share further. Then the same without
// JavaScript (plain form posts).
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, ready, screenshot, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"

const words = {
  en: {
    submit: "Submit",
    cc: "CC colleagues",
    sharedWith: "Shared with",
    add: "Add people by email",
    share: "Share",
    sharedView: "Shared with me",
    send: "Send reply",
    sent: "Your reply was sent.",
    remove: (name: string) => `Remove ${name}`,
    yuki: "Yuki Tanaka",
    invalid: "Enter a valid email address.",
  },
  ja: {
    submit: "送信",
    cc: "CC（共有する同僚）",
    sharedWith: "共有先",
    add: "メールアドレスで共有を追加",
    share: "共有する",
    sharedView: "共有されたもの",
    send: "返信を送信",
    sent: "返信を送信しました。",
    remove: (name: string) => `${name} を共有先から外す`,
    yuki: "田中 由紀",
    invalid: "有効なメールアドレスを入力してください。",
  },
} as const

describe.skipIf(skip)("participants (P-EXT-1)", () => {
  const { as } = useBrowser()

  for (const [lang, javaScript] of [
    ["en", true],
    ["ja", true],
    ["en", false],
  ] as ReadonlyArray<[Lang, boolean]>) {
    const w = words[lang]
    it(`P-EXT-1 ${lang}: CC on the form, another on the ticket page, the colleague replies from Shared with me (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const subject = `Shared desk booking ${lang} ${javaScript ? "js" : "plain"}`
      const ken = await as(lang, "ken@globex.test", { javaScript })
      await ken.goto(url(lang, "/tickets/new"))
      await ready(ken)
      await ken.locator("#form-subject").fill(subject)
      await ken.locator("#form-content").fill("Mia from Initech needs to follow this too.")
      // A bad address is named under the CC field and nothing is created.
      await ken.getByLabel(w.cc).fill("not-an-email")
      await ken.getByRole("button", { name: w.submit, exact: true }).click()
      await ken.locator("#form-cc-error").waitFor()
      expect(await ken.locator("#form-cc").getAttribute("aria-invalid")).toBe("true")
      expect(await ken.locator("#form-cc-error").textContent()).toBe(w.invalid)
      await ken.getByLabel(w.cc).fill("mia@initech.test")
      await expectAccessible(ken, lang)
      await Promise.all([
        ken.waitForURL(/\/tickets\/[^/?]+\?done=created$/),
        ken.getByRole("button", { name: w.submit, exact: true }).click(),
      ])
      const ticketPath = new URL(ken.url()).pathname
      const shared = ken.getByRole("region", { name: w.sharedWith })
      expect(await shared.textContent()).toContain("mia@initech.test")

      // Another colleague on the ticket page (keyboard: type, Enter submits the form).
      await shared.getByLabel(w.add).fill("yuki@globex.test")
      await Promise.all([ken.waitForURL(/done=shared/), shared.getByLabel(w.add).press("Enter")])
      expect(await ken.getByRole("region", { name: w.sharedWith }).textContent()).toContain("yuki@globex.test")
      await expectAccessible(ken, lang)
      if (lang !== "en" || javaScript) await screenshot(ken, `participants-ticket.${lang}`)

      // The colleague of another company finds it under "Shared with me" and replies.
      const mia = await as(lang, "mia@initech.test", { javaScript })
      await Promise.all([
        mia.waitForURL(/view=shared/),
        mia
          .getByRole("navigation", { name: lang === "en" ? "View" : "表示" })
          .getByRole("link", { name: w.sharedView })
          .click(),
      ])
      await ready(mia)
      const subjects = await mia.locator("tbody th a").allTextContents()
      expect(subjects).toContain(subject)
      expect(subjects).not.toContain("Invoice is wrong")
      if (lang !== "en" || javaScript) await screenshot(mia, `participants-list.${lang}`)
      await Promise.all([
        mia.waitForURL(new RegExp(`${ticketPath}$`)),
        mia.getByRole("link", { name: subject }).click(),
      ])
      await ready(mia)
      // A participant sees who it is shared with but cannot change it.
      expect(await mia.getByLabel(w.add).count()).toBe(0)
      await mia.locator("#reply-text").fill(`Initech here, thanks (${lang})`)
      await Promise.all([mia.waitForURL(/done=reply/), mia.getByRole("button", { name: w.send }).click()])
      expect(await mia.locator("main").textContent()).toContain(w.sent)

      // The requester sees the reply, and removes Yuki again.
      await ken.goto(url(lang, ticketPath))
      expect(await ken.locator("ol.messages").textContent()).toContain(`Initech here, thanks (${lang})`)
      await Promise.all([ken.waitForURL(/done=unshared/), ken.getByRole("button", { name: w.remove(w.yuki) }).click()])
      const after = (await ken.getByRole("region", { name: w.sharedWith }).textContent()) ?? ""
      expect(after).toContain("mia@initech.test")
      expect(after).not.toContain("yuki@globex.test")
    })
  }
})
