// P-HOOK-1 in Chromium, in English and Japanese: the admin registers a webhook endpoint in the
// settings screen, a ticket event reaches a real local receiver (signed, verified with the
// `standardwebhooks` package), the delivery log shows it, and "Send again" sends it once more
// with the same webhook-id. The server runs with PORTAL_WEBHOOK_ALLOW_PRIVATE=1 (global-setup.ts).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import type { Lang } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { upsertTicket } from "./support/integration.ts"

interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

const text = {
  en: {
    url: "Endpoint URL",
    add: "Add endpoint",
    log: (u: string) => `Delivery log of ${u}`,
    delivered: "Delivered",
    resend: /^Send again: ticket\.created/,
    secret: "Signing secret",
    created: "Ticket created",
    rated: "Satisfaction rated",
    private: "This address is private or local",
  },
  ja: {
    url: "エンドポイント URL",
    add: "エンドポイントを追加",
    log: (u: string) => `${u} の配信ログ`,
    delivered: "配信済み",
    resend: /^再送信：.* の ticket\.created$/,
    secret: "署名シークレット",
    created: "チケット作成",
    rated: "満足度の評価",
    private: "このアドレスはプライベートまたはローカルです",
  },
} as const

describe.skipIf(skip)("webhooks in the admin screen", () => {
  const { asAdmin } = useBrowser()
  let receiver: Server
  let base = ""
  const received: Array<Received> = []

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ""
      req.setEncoding("utf8")
      req.on("data", (c: string) => {
        body += c
      })
      req.on("end", () => {
        received.push({ path: req.url ?? "", headers: req.headers, body })
        res.statusCode = 200
        res.end("ok")
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => receiver.close(resolve)))

  const waitFor = async (path: string, count: number) => {
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline) {
      const got = received.filter((r) => r.path === path)
      if (got.length >= count) return got
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`the receiver got ${received.filter((r) => r.path === path).length} of ${count} at ${path}`)
  }

  for (const lang of ["en", "ja"] as const satisfies ReadonlyArray<Lang>)
    it(`P-HOOK-1 (${lang}): register an endpoint, see the delivery in the log, send it again`, async () => {
      const t = text[lang]
      const path = `/e2e-${lang}-${Date.now()}`
      const endpoint = `${base}${path}`
      const page = await asAdmin(lang)
      const section = page.locator("#webhooks")
      await section.scrollIntoViewIfNeeded()
      await section.getByLabel(t.url).fill(endpoint)
      await section.getByLabel(t.rated).check()
      await section.getByRole("button", { name: t.add }).click()
      const item = section.locator("li.endpoint", { hasText: endpoint })
      await item.waitFor()
      await expectAccessible(page, lang)
      await page.screenshot({ path: `/tmp/hooks-shots/webhooks-admin-${lang}.png`, fullPage: false })

      // The signing secret, from the screen, verifies what the receiver gets.
      await item.locator("summary", { hasText: t.secret }).click()
      const secret = await item.locator("input[readonly]").inputValue()
      expect(secret).toMatch(/^whsec_/)

      const id = `e2e-hook-${lang}-${Date.now()}`
      await upsertTicket(lang, { id, subject: `Webhook ${lang}`, contactId: "p1", at: "2026-12-01T09:00:00Z" })
      const [first] = await waitFor(path, 1)
      const payload = new Webhook(secret).verify(first?.body ?? "", {
        "webhook-id": String(first?.headers["webhook-id"]),
        "webhook-timestamp": String(first?.headers["webhook-timestamp"]),
        "webhook-signature": String(first?.headers["webhook-signature"]),
      }) as { type: string; data: { ticketId: string } }
      expect(payload).toMatchObject({ type: "ticket.created", data: { ticketId: id } })

      await item.getByRole("button", { name: t.log(endpoint) }).click()
      const row = item.locator("tr[data-delivery-id]").first()
      await row.getByText(t.delivered).waitFor()
      await page.screenshot({ path: `/tmp/hooks-shots/webhooks-log-${lang}.png`, fullPage: false })
      // On a phone the log scrolls inside its own box; the section does not grow past its width.
      await page.setViewportSize({ width: 390, height: 844 })
      await row.scrollIntoViewIfNeeded()
      await page.screenshot({ path: `/tmp/hooks-shots/webhooks-log-${lang}.phone.png` })
      expect(
        await section.evaluate((el) => {
          const list = el.querySelector(".list") as HTMLElement
          return list.scrollWidth <= list.clientWidth + 1
        }),
      ).toBe(true)
      await page.setViewportSize({ width: 1280, height: 800 })
      await row.getByRole("button", { name: t.resend }).click()
      const [, again] = await waitFor(path, 2)
      expect(again?.headers["webhook-id"]).toBe(first?.headers["webhook-id"])

      // A private address without the flag would be refused; here the flag is on, so check a
      // refused one by form: plain http to a public address.
      await section.getByLabel(t.url).fill("http://8.8.8.8/hook")
      await section.getByRole("button", { name: t.add }).click()
      await section.locator("[data-issue]").first().waitFor()
    })
})
