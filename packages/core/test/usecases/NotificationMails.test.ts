import { describe, expect, it } from "vitest"
import { EXCERPT_CHARS, renderNotification } from "../../src/usecases/index.ts"

const vars = {
  portalName: "Acme <Support>",
  ticketSubject: "Invoice\nis wrong",
  reference: "t1",
  link: "https://support.acme.test/tickets/t1",
  unsubscribeLink: "https://support.acme.test/unsubscribe/abc.0123",
  message: "Line one\n<b>two</b>",
}

describe("notification emails (NotificationMails)", () => {
  it("P-NOT-1: the subject names the ticket and the portal; the body has the message, the link and the unsubscribe link", () => {
    const m = renderNotification("agentMessage", "en", vars)
    expect(m.subject).toBe("[Acme <Support>] New reply: Invoice is wrong")
    expect(m.text).toContain("Line one\n<b>two</b>")
    expect(m.text).toContain("https://support.acme.test/tickets/t1")
    expect(m.text).toContain("https://support.acme.test/unsubscribe/abc.0123")
    // HTML: every value escaped.
    expect(m.html).toContain("&lt;b&gt;two&lt;/b&gt;")
    expect(m.html).toContain("Acme &lt;Support&gt;")
    expect(m.html).not.toContain("<b>two</b>")
  })

  it("P-NOT-1, P-DOM-4: Japanese copy for a ja portal", () => {
    const m = renderNotification("agentMessage", "ja", vars)
    expect(m.subject).toBe("[Acme <Support>] 「Invoice is wrong」に返信がありました")
    expect(m.html).toContain('lang="ja"')
  })

  it("P-NOT-2: the form confirmation carries the reference; the closed email the link", () => {
    const c = renderNotification("formConfirmation", "en", vars)
    expect(c.subject).toBe("[Acme <Support>] We received your request: Invoice is wrong")
    expect(c.text).toContain("Reference: t1")
    const j = renderNotification("formConfirmation", "ja", vars)
    expect(j.text).toContain("お問い合わせ番号: t1")
    const closed = renderNotification("closed", "en", vars)
    expect(closed.subject).toBe("[Acme <Support>] Closed: Invoice is wrong")
    expect(closed.text).toContain("https://support.acme.test/tickets/t1")
    expect(closed.text).not.toContain("Line one")
  })

  it("P-EXT-2 P-NOT-2: the closed email asks for a rating with a good and a bad link to the ticket page (en, ja)", () => {
    const en = renderNotification("closed", "en", vars)
    expect(en.text).toContain("How did we do? Rate our help:")
    expect(en.text).toContain("Good: https://support.acme.test/tickets/t1?rate=good#rate")
    expect(en.text).toContain("Bad: https://support.acme.test/tickets/t1?rate=bad#rate")
    expect(en.html).toContain('href="https://support.acme.test/tickets/t1?rate=good#rate"')
    expect(en.html).toContain('href="https://support.acme.test/tickets/t1?rate=bad#rate"')
    const ja = renderNotification("closed", "ja", vars)
    expect(ja.text).toContain("良い: https://support.acme.test/tickets/t1?rate=good#rate")
    expect(ja.text).toContain("悪い: https://support.acme.test/tickets/t1?rate=bad#rate")
    // Only the closed email asks.
    for (const kind of ["agentMessage", "formConfirmation"] as const)
      expect(renderNotification(kind, "en", vars).text).not.toContain("rate=")
  })

  it("P-NOT-1: a long message is cut to an excerpt with a note", () => {
    const m = renderNotification("agentMessage", "en", { ...vars, message: "x".repeat(EXCERPT_CHARS + 50) })
    expect(m.text).toContain(`${"x".repeat(EXCERPT_CHARS)}…`)
    expect(m.text).not.toContain("x".repeat(EXCERPT_CHARS + 1))
    expect(m.text).toContain("(Read the rest on the portal.)")
  })

  it("refuses a link that is not http(s)", () => {
    expect(() => renderNotification("closed", "en", { ...vars, link: "javascript:alert(1)" })).toThrow(TypeError)
  })
})
