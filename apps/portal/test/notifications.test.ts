// P-NOT-1 in Chromium: an agent's reply through the integration API reaches the customer as a real
// email (the server's notifier, SMTP to the tests' mailbox); the customer follows its link, signs
// in, and lands on the ticket with the reply.
import { describe, expect, it } from "vitest"
import { ready, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration, upsertTicket } from "./support/integration.ts"
import { waitForMail } from "./support/mailbox.ts"

describe.skipIf(skip)("email notifications", () => {
  const { open } = useBrowser()

  it("P-NOT-1: the customer follows the link in the received email to the ticket (after sign-in)", async () => {
    const text = `Your export works again (${Date.now()}).`
    await upsertTicket("en", {
      id: "e2e-notify-1",
      subject: "Export keeps failing",
      contactId: "p1",
      at: "2026-12-01T09:00:00Z",
    })
    await integration("en", "messages.create", {
      ticketId: "e2e-notify-1",
      agentId: "u1",
      text,
      idempotencyKey: "e2e-notify-reply-1",
    })
    const mail = await waitForMail("ken@globex.test", (m) => m.text.includes(text), 30_000)
    expect(mail.subject).toBe("[Acme Support] New reply: Export keeps failing")
    const href = /https?:\/\/[^\s<>"]+\/tickets\/e2e-notify-1\b/.exec(mail.text)?.[0]
    expect(href).toBeDefined()
    const link = new URL(href as string)
    expect(link.origin).toBe(new URL(url("en", "/")).origin)

    const page = await open()
    await page.goto(link.toString())
    await ready(page)
    // Not signed in: the sign-in page, which returns to the ticket.
    expect(new URL(page.url()).pathname).toBe("/account/sign-in")
    await page.locator("#f-email").fill("ken@globex.test")
    await page.locator("#f-password").fill("customer-demo-2026")
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/tickets/e2e-notify-1"),
      page.locator("form button[type=submit]").click(),
    ])
    await ready(page)
    await page.getByText(text).waitFor()
    expect(await page.getByRole("heading", { name: "Export keeps failing" }).count()).toBeGreaterThan(0)
  })
})
