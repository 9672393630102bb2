/**
 * P-NOT-5 `portal start` with PORTAL_INBOUND_SMTP_PORT: the same process takes replies by email
 * (in-memory store with the demo, so no database is created): a reply to a reply address signed with
 * PORTAL_SECRET is accepted (250 only once stored), one signed with another secret is refused.
 */
import type { ContactId, TicketId, WorkspaceId } from "@portal/core/domain"
import { replyAddress } from "@portal/core/rules"
import { createTransport } from "nodemailer"
import { describe, expect, it } from "vitest"
import { startPortal } from "./support/Cli.ts"

const SECRET = "cli-inbound-portal-secret-0123456789abcdef"
const INBOUND_LINE = /Inbound SMTP for replies by email on port (\d+)/

const to = (secret: string) =>
  replyAddress(
    secret,
    { workspaceId: "acme" as WorkspaceId, ticketId: "t1" as TicketId, contactId: "p1" as ContactId },
    "localhost",
  )

describe("P-NOT-5 portal start with PORTAL_INBOUND_SMTP_PORT", () => {
  it("P-NOT-5 starts the inbound SMTP listener, which stores a signed reply and refuses a forged one", async () => {
    const env = {
      ...process.env,
      DATABASE_URL: "",
      PORTAL_STORAGE: "memory",
      SMTP_URL: "",
      LOG_LEVEL: "info",
      PORTAL_SECRET: SECRET,
      PORTAL_INBOUND_SMTP_PORT: "0",
    }
    const server = await startPortal(env, ["--demo"])
    try {
      await expect.poll(() => INBOUND_LINE.exec(server.output()), { timeout: 10_000 }).not.toBeNull()
      const port = Number(INBOUND_LINE.exec(server.output())?.[1])
      const transport = createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true })
      const mail = { from: "ken@globex.test", subject: "Re: Invoice is wrong", text: "Answered by email." }
      const sent = await transport.sendMail({ ...mail, to: to(SECRET) })
      expect(sent.response).toMatch(/^250 /)
      const forged = await transport.sendMail({ ...mail, to: to("another-secret-0123456789abcdef") }).then(
        () => null,
        (e: { responseCode?: number }) => e.responseCode,
      )
      expect(forged).toBe(550)
    } finally {
      expect(await server.stop()).toBe(0)
    }
  }, 120_000)
})
