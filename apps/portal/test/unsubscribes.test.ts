// P-NOT-3 in Chromium: a customer unsubscribes through the link of a real notification email; the
// admin sees them in the Notifications section of the settings and subscribes them again (the
// contact asked for it), after which the next notification reaches them.
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { ready } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { integration, upsertContact, upsertTicket } from "./support/integration.ts"
import { waitForMail } from "./support/mailbox.ts"

describe.skipIf(skip)("unsubscribed contacts in the admin screen", () => {
  const { open, asAdmin } = useBrowser()

  it("P-NOT-3: the admin sees the contact who unsubscribed and subscribes them again; mail flows again", async () => {
    const n = Date.now()
    const email = `ume.${n}@example.test`
    const contact = await upsertContact("en", { id: `e2e-unsub-${n}`, email, firstName: "Ume", lastName: "Sub" })
    const ticketId = `e2e-unsub-${n}`
    await upsertTicket("en", {
      id: ticketId,
      subject: "Newsletter question",
      contactId: contact.contactId,
      at: "2026-12-01T09:00:00Z",
    })
    const reply = (text: string, key: string) =>
      integration("en", "messages.create", { ticketId, agentId: "u1", text, idempotencyKey: key })

    const first = `We looked into it (${n}).`
    await reply(first, `e2e-unsub-reply-1-${n}`)
    const mail = await waitForMail(email, (m) => m.text.includes(first), 30_000)
    const unsubscribe = /https?:\/\/[^\s<>"]+\/unsubscribe\/[A-Za-z0-9_.-]+/.exec(mail.text)?.[0]
    expect(unsubscribe).toBeDefined()

    // The customer unsubscribes: the link's page, then its one button.
    const customer = await open()
    await customer.goto(unsubscribe as string)
    await Promise.all([customer.waitForLoadState("load"), customer.getByRole("button").click()])
    await customer.getByRole("status").waitFor()

    const admin = await asAdmin("en")
    const section = admin.locator("section#notifications")
    const list = section.getByRole("list", { name: "Unsubscribed contacts" })
    const row = list.getByRole("listitem").filter({ hasText: email })
    await row.waitFor()
    expect(await row.textContent()).toContain("Ume Sub")
    expect(await section.getByTestId("unsubscribed-count").textContent()).toMatch(/contacts? unsubscribed/)
    expect(await section.getByText("Subscribe a contact again only when they asked for it.").count()).toBe(1)
    await expectAccessible(admin, "en")

    // Keyboard: focus the row's button by its accessible name and press Enter.
    const button = section.getByRole("button", { name: `Subscribe Ume Sub (${email}) again` })
    await button.focus()
    await admin.keyboard.press("Enter")
    await section.getByRole("status").filter({ hasText: "Ume Sub gets notification emails again." }).waitFor()
    expect(await list.getByRole("listitem").filter({ hasText: email }).count()).toBe(0)
    // The screen after a reload agrees (the change is stored, not only drawn).
    await admin.reload()
    await ready(admin)
    expect(await admin.locator("section#notifications").getByText(email).count()).toBe(0)

    const second = `Here is the answer (${n}).`
    await reply(second, `e2e-unsub-reply-2-${n}`)
    const again = await waitForMail(email, (m) => m.text.includes(second), 30_000)
    expect(again.subject).toBe("[Acme Support] New reply: Newsletter question")
  })
})
