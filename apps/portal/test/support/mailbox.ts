/**
 * Real emails for the end-to-end tests. The global setup starts a local SMTP server
 * (`startTestSmtpServer` of @portal/mail/testing) that the portal server sends to (`SMTP_URL`),
 * and a tiny HTTP endpoint over what it received, because the tests run in other processes than
 * the global setup: `GET <mailbox>/messages` answers the received mails as JSON.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { type ReceivedMail, startTestSmtpServer } from "@portal/mail/testing"
import { inject } from "vitest"

export interface Mail {
  readonly to: string
  readonly from: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

const view = (mail: ReceivedMail): Mail => ({
  to: mail.to,
  from: mail.from,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
})

export interface RunningMailbox {
  readonly smtpUrl: string
  readonly url: string
  readonly stop: () => Promise<void>
}

/** In the global setup: the SMTP server and its HTTP view. */
export const startMailbox = async (): Promise<RunningMailbox> => {
  const smtp = await startTestSmtpServer()
  const http: Server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/messages") {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(smtp.messages.map(view)))
  })
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
  const port = (http.address() as AddressInfo).port
  return {
    smtpUrl: `smtp://${smtp.host}:${smtp.port}`,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()))
      await smtp.close()
    },
  }
}

/** In a test: the first mail to `to` (received already or within `timeoutMs`) that matches. */
export const waitForMail = async (
  to: string,
  matches: (mail: Mail) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Mail> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await fetch(`${inject("mailbox")}/messages`)
    const mails = (await response.json()) as Mail[]
    const found = mails.find((m) => m.to.toLowerCase() === to.toLowerCase() && matches(m))
    if (found) return found
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms (${mails.length} received)`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** The first link of a mail's text that goes to `path` on the portal (e.g. "/account/invitation"). */
export const linkIn = (mail: Mail, path: string): URL => {
  const href = [...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)]
    .map((m) => m[0])
    .find((u) => new URL(u).pathname === path)
  if (!href) throw new Error(`no link to ${path} in the mail "${mail.subject}":\n${mail.text}`)
  return new URL(href)
}
