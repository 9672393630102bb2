/**
 * A real SMTP server on 127.0.0.1 (smtp-server, random port, no TLS) that keeps what it receives,
 * for this package's tests and the server's. Import from "@portal/mail/testing"; never in production.
 */
import type { AddressInfo } from "node:net"
import { SMTPServer } from "smtp-server"
import { type ParsedMessage, parseMessage } from "./MimeMessage.ts"

export { decodeEncodedWords, decodeQuotedPrintable, type ParsedMessage, parseMessage } from "./MimeMessage.ts"

export interface ReceivedMail extends ParsedMessage {
  /** Envelope recipients (RCPT TO), joined with ", "; one address for the portal's mails. */
  readonly to: string
  /** Envelope sender (MAIL FROM). */
  readonly from: string
  /** The message as received (after SMTP dot-unstuffing). */
  readonly raw: string
}

export interface TestSmtpServer {
  readonly host: "127.0.0.1"
  readonly port: number
  readonly messages: ReceivedMail[]
  /** The first message (received already or later) matching `predicate`; rejects after timeoutMs. */
  readonly waitFor: (predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number) => Promise<ReceivedMail>
  readonly close: () => Promise<void>
}

export interface TestSmtpOptions {
  /** Require these credentials (AUTH PLAIN/LOGIN over plain text, allowed for the test). */
  readonly auth?: { readonly user: string; readonly pass: string }
  /** Recipients answered with 550. */
  readonly rejectRecipient?: (address: string) => boolean
}

export const startTestSmtpServer = async (options: TestSmtpOptions = {}): Promise<TestSmtpServer> => {
  const messages: ReceivedMail[] = []
  const waiters = new Set<(mail: ReceivedMail) => void>()
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.user && auth.password === options.auth.pass
      callback(ok ? null : new Error("Invalid username or password"), ok ? { user: auth.username } : undefined)
    },
    onRcptTo(address, _session, callback) {
      const refused = options.rejectRecipient?.(address.address)
      callback(refused ? Object.assign(new Error("No such user"), { responseCode: 550 }) : undefined)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on("data", (c: Buffer) => chunks.push(c))
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8")
        const mail: ReceivedMail = {
          ...parseMessage(raw),
          to: session.envelope.rcptTo.map((a) => a.address).join(", "),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          raw,
        }
        messages.push(mail)
        for (const w of [...waiters]) w(mail)
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve())
  })
  const port = (server.server.address() as AddressInfo).port

  const waitFor = (predicate: (mail: ReceivedMail) => boolean, timeoutMs = 5000) =>
    new Promise<ReceivedMail>((resolve, reject) => {
      const found = messages.find(predicate)
      if (found) return resolve(found)
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`))
      }, timeoutMs)
      const waiter = (mail: ReceivedMail) => {
        if (!predicate(mail)) return
        clearTimeout(timer)
        waiters.delete(waiter)
        resolve(mail)
      }
      waiters.add(waiter)
    })

  return {
    host: "127.0.0.1",
    port,
    messages,
    waitFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
