import { describe, expect, it } from "vitest"
import { escapeHtml, mailLanguage, renderMail } from "../../src/usecases/index.ts"

const link = "https://support.acme.test/register?token=abc123&x=1"

describe("renderMail", () => {
  it("renders the invitation in English with the single-use link and its expiry", () => {
    const m = renderMail("invitation", "en", {
      portalName: "Acme Support",
      link,
      recipientName: "Ken",
      expiresInMinutes: 7 * 1440,
    })
    expect(m.subject).toBe("You're invited to Acme Support")
    expect(m.text).toContain("Hello Ken,")
    expect(m.text).toContain(`\n${link}\n`)
    expect(m.text).toContain("This link works once and expires in 7 days.")
    expect(m.text).toContain("see your tickets")
    expect(m.html).toContain('href="https://support.acme.test/register?token=abc123&amp;x=1"')
    expect(m.html).toContain('<html lang="en">')
  })

  it("renders the invitation in Japanese, with the default label チケット", () => {
    const m = renderMail("invitation", "ja-JP", {
      portalName: "さくらサポート",
      link,
      recipientName: "田中",
      expiresInMinutes: 7 * 1440,
    })
    expect(m.subject).toBe("さくらサポート へのご招待")
    expect(m.text).toContain("田中 様")
    expect(m.text).toContain("チケットの確認や返信ができます")
    expect(m.text).toContain("このリンクは1回のみ有効です（7日で失効します）。")
    expect(m.text).toContain(link)
    expect(m.html).toContain('<html lang="ja">')
  })

  it("renders password resets in both languages", () => {
    const en = renderMail("passwordReset", "en", { portalName: "Acme Support", link })
    expect(en.subject).toBe("Reset your Acme Support password")
    expect(en.text).toContain("Hello,")
    expect(en.text).toContain("This link works once.")
    expect(renderMail("passwordReset", "en", { portalName: "A", link, expiresInMinutes: 60 }).text).toContain(
      "expires in 1 hour.",
    )
    expect(renderMail("passwordReset", "ja", { portalName: "A", link, expiresInMinutes: 90 }).text).toContain(
      "（90分で失効します）",
    )
    const ja = renderMail("passwordReset", "ja", { portalName: "さくらサポート", link })
    expect(ja.subject).toBe("さくらサポート パスワード再設定のご案内")
    expect(ja.text).toContain("お客様")
    expect(ja.text).toContain(link)
  })

  it("uses the portal's ticket label in the reply notice", () => {
    const en = renderMail("replyReceived", "en", { portalName: "Acme", link, ticketLabel: "Requests" })
    expect(en.html).toContain("View your requests")
    const ja = renderMail("replyReceived", "ja", { portalName: "さくら", link, ticketLabel: "お問い合わせ" })
    expect(ja.text).toContain("お問い合わせへの返信を受け付けました")
  })

  it("escapes every value in the HTML and keeps the subject on one line", () => {
    const m = renderMail("invitation", "en", {
      portalName: 'Acme <script>alert("x")</script>\r\nBcc: evil@x.test',
      link: 'https://acme.test/r?t="><img src=x onerror=alert(1)>',
      recipientName: "<b>Ken</b> & 'co'",
    })
    expect(m.subject).not.toMatch(/[\r\n]/)
    expect(m.html).not.toContain("<script>")
    expect(m.html).not.toContain("<b>Ken</b>")
    expect(m.html).not.toContain("<img")
    expect(m.html).toContain("&lt;b&gt;Ken&lt;/b&gt; &amp; &#39;co&#39;")
    expect(m.text).toContain("<b>Ken</b>") // plain text is not HTML
  })

  it("hole 12a: a name or portal name with bidi controls reads in order in the subject, text and HTML", () => {
    const m = renderMail("passwordReset", "en", {
      portalName: "Acme \u202eSupport",
      link,
      recipientName: "\u2067Ken\u2069",
      expiresInMinutes: 60,
    })
    for (const part of [m.subject, m.text, m.html])
      expect(part).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
    expect(m.text).toContain("Hello Ken,")
  })

  it("refuses a link that is not an absolute http(s) URL", () => {
    for (const bad of ["javascript:alert(1)", "/register?token=1", "data:text/html,x", ""]) {
      expect(() => renderMail("passwordReset", "en", { portalName: "Acme", link: bad })).toThrow(TypeError)
    }
  })

  it("maps language tags and escapes HTML", () => {
    expect([mailLanguage("ja"), mailLanguage("JA-jp"), mailLanguage("en-GB"), mailLanguage("jav")]).toEqual([
      "ja",
      "ja",
      "en",
      "en",
    ])
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
  })
})
