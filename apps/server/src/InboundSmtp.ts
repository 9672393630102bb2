/**
 * P-NOT-5 The inbound SMTP listener: customers answer a notification by replying to its
 * `reply+<token>@<reply domain>` address, and the reply becomes their message on the ticket.
 * Meant to run behind the site's real MTA (docs/inbound-email.md), which takes mail for the reply
 * domain from the internet (TLS, spam and SPF/DKIM checks) and relays it here; so no AUTH and no
 * STARTTLS, and by default it listens on the loopback interface only.
 * - RCPT TO: only reply addresses this server signed, whose contact may still see the ticket and
 *   may reply to it now, from that contact's address (MAIL FROM). Anything else is refused there
 *   (550), before any data is read, and nothing is stored.
 * - Size: SIZE is advertised and a larger declared size is refused at MAIL FROM; the data is cut off
 *   at the same hard cap (552). The cap fits the portal's file limits (25 MiB in all) in base64.
 * - DATA: parsed with mailparser; the From header must be that contact too; the text (the HTML part
 *   as text when there is no text part) without quotes and signature, and the attachments with the
 *   portal's own limits, go through core's `receiveEmailReply`, the portal reply's use-case.
 *   Refusals are 5xx with a short reason; a store that is down is 451, so the MTA retries.
 */
import { createHash } from "node:crypto"
import type { AddressInfo } from "node:net"
import { emailReplyRecipient, type InboundEmail, receiveEmailReply, type UploadedFile } from "@portal/core/usecases"
import { Cause, Exit } from "effect"
import { convert as htmlToText } from "html-to-text"
import { type Attachment, type ParsedMail, simpleParser } from "mailparser"
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server"
import type { Logger } from "./Logger.ts"
import type { ServerRuntime } from "./Runtime.ts"
import { sniffContentType } from "./Sniff.ts"

const MIB = 1024 * 1024
/** 25 MiB of files in base64 (×4/3, plus line breaks), the text and the headers. */
export const INBOUND_MAX_BYTES = 36 * MIB
/** At most this many recipients in one transaction (one per ticket the mail answers). */
export const INBOUND_MAX_RECIPIENTS = 10

export interface InboundSmtpOptions {
  readonly port: number
  readonly host?: string
  readonly runtime: ServerRuntime
  /** PORTAL_SECRET: the key the reply addresses are signed with. */
  readonly secret: string
  readonly logger: Logger
  /** The hard size cap (default INBOUND_MAX_BYTES; tests use a small one). */
  readonly maxBytes?: number
}

export interface InboundSmtp {
  readonly port: number
  readonly close: () => Promise<void>
}

/** An SMTP reply: the code and enhanced status travel on the error, as smtp-server expects. */
const smtpError = (responseCode: number, message: string): Error => Object.assign(new Error(message), { responseCode })

/** A core failure as the SMTP answer a sending MTA understands. */
export const smtpErrorOf = (error: { readonly _tag?: string } | undefined): Error => {
  switch (error?._tag) {
    case "EmailReplyRefused": {
      const e = error as unknown as { code: string; reason: string }
      return e.code === "sender_mismatch" ? smtpError(550, `5.7.1 ${e.reason}`) : smtpError(550, `5.1.1 ${e.reason}`)
    }
    case "TicketNotFound":
      return smtpError(550, "5.1.1 No such reply address.")
    case "ActionNotAllowed":
      return smtpError(550, `5.7.1 ${(error as unknown as { reason: string }).reason}`)
    case "ValidationFailed": {
      const issues = (error as unknown as { issues: ReadonlyArray<{ code: string; message: string }> }).issues
      const tooLarge = issues.find((i) => i.code === "file_too_large" || i.code === "attachments_too_large")
      if (tooLarge) return smtpError(552, `5.3.4 ${tooLarge.message}`)
      const first = issues[0]
      return first?.code === "message_empty"
        ? smtpError(550, "5.6.0 The reply has no text of its own (only quoted text) and no files.")
        : smtpError(550, `5.6.0 ${first?.message ?? "The message was not accepted."}`)
    }
    case "Conflict":
      return smtpError(550, "5.7.0 This Message-ID was already used for another message.")
    default:
      return smtpError(451, "4.3.0 Temporary failure, try again later.")
  }
}

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/

/** The media type a file goes in with: the declared one if it is one, else what the bytes show. */
const contentTypeOf = (a: Attachment): string => {
  const declared = (a.contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? ""
  if (CONTENT_TYPE.test(declared)) return declared
  return sniffContentType(a.content).split(";")[0] as string
}

/** The customer's files: what they attached, not the images a client embeds in its HTML (logos). */
export const filesOf = (parsed: ParsedMail): ReadonlyArray<UploadedFile> =>
  parsed.attachments
    .filter((a) => a.contentDisposition === "attachment" || !a.related)
    .map((a) => ({
      name: a.filename?.trim() || "attachment",
      contentType: contentTypeOf(a),
      bytes: new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    }))

/**
 * RFC 3834: an automatic answer (out-of-office, vacation, a list's or a bounce's mail) is accepted
 * and dropped, never stored and never refused (a refusal would bounce back and forth).
 */
export const isAutomatic = (parsed: ParsedMail): boolean => {
  const header = (name: string) => {
    const value = parsed.headers.get(name)
    return typeof value === "string" ? value.trim().toLowerCase() : value === undefined ? "" : String(value)
  }
  const auto = header("auto-submitted")
  return (
    (auto !== "" && auto !== "no") ||
    ["bulk", "junk", "list", "auto_reply"].includes(header("precedence")) ||
    header("x-autoreply") !== "" ||
    header("x-autorespond") !== ""
  )
}

/**
 * The mail's text: the text part, else its HTML as text (mailparser converts a plain HTML body but
 * not one inside multipart/related, the usual shape of an HTML mail with an embedded image), with
 * quotes (<blockquote>) as "> " lines for QuotedReply, without images and link targets.
 */
export const bodyOf = (parsed: ParsedMail): string => {
  if (typeof parsed.text === "string") return parsed.text
  if (typeof parsed.html !== "string") return ""
  return htmlToText(parsed.html, {
    wordwrap: false,
    limits: { maxDepth: 100 },
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { ignoreHref: true } },
    ],
  })
}

const addressesOf = (parsed: ParsedMail): ReadonlyArray<string> => {
  const from = parsed.from
  if (from === undefined) return []
  return from.value.map((a) => a.address ?? "").filter((a) => a.length > 0)
}

const readStream = (stream: SMTPServerDataStream, max: number): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    let over = false
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > max) over = true
      else chunks.push(chunk)
    })
    stream.on("end", () => resolve(over || stream.sizeExceeded ? null : Buffer.concat(chunks)))
    stream.on("error", reject)
  })

export const startInboundSmtp = async (options: InboundSmtpOptions): Promise<InboundSmtp> => {
  const { runtime, secret, logger } = options
  const maxBytes = options.maxBytes ?? INBOUND_MAX_BYTES
  const failureOf = <A, E>(exit: Exit.Exit<A, E>): Error | null => {
    if (Exit.isSuccess(exit)) return null
    const error = Cause.findErrorOption(exit.cause)
    const found = error._tag === "Some" ? (error.value as { readonly _tag?: string }) : undefined
    const answer = smtpErrorOf(found)
    if ((answer as { responseCode?: number }).responseCode === 451)
      logger.error({ cause: Cause.pretty(exit.cause) }, "inbound email failed")
    return answer
  }
  const senderOf = (session: SMTPServerSession): string =>
    session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address

  const server = new SMTPServer({
    banner: "portal inbound replies",
    size: maxBytes,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    maxClients: 50,
    socketTimeout: 60_000,
    onMailFrom(address, _session, callback) {
      const args: Record<string, unknown> = address.args === false ? {} : address.args
      const declared = Number(args.SIZE ?? 0)
      if (Number.isFinite(declared) && declared > maxBytes)
        return callback(smtpError(552, "5.3.4 Message too big for this reply address."))
      callback()
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= INBOUND_MAX_RECIPIENTS)
        return callback(smtpError(452, "4.5.3 Too many recipients."))
      runtime
        .runPromiseExit(emailReplyRecipient(secret, address.address, senderOf(session)))
        .then((exit) => {
          const failure = failureOf(exit)
          if (failure !== null) logger.info({ code: failure.message.slice(0, 5) }, "inbound email: recipient refused")
          callback(failure)
        })
        .catch((error: unknown) => callback(error as Error))
    },
    onData(stream, session, callback) {
      readStream(stream, maxBytes)
        .then(async (raw) => {
          if (raw === null) return callback(smtpError(552, "5.3.4 Message too big for this reply address."))
          const parsed = await simpleParser(raw, { skipHtmlToText: false })
          if (isAutomatic(parsed)) {
            logger.info("inbound email: automatic answer dropped")
            return callback(null, "2.0.0 Automatic answer ignored.")
          }
          const base: Omit<InboundEmail, "recipient"> = {
            envelopeSender: senderOf(session),
            from: addressesOf(parsed),
            body: bodyOf(parsed),
            attachments: filesOf(parsed),
            messageKey: parsed.messageId?.trim() || `sha256:${createHash("sha256").update(raw).digest("hex")}`,
          }
          for (const rcpt of session.envelope.rcptTo) {
            const exit = await runtime.runPromiseExit(receiveEmailReply(secret, { ...base, recipient: rcpt.address }))
            const failure = failureOf(exit)
            if (failure !== null) return callback(failure)
            if (Exit.isSuccess(exit))
              logger.info(
                { messageId: exit.value.messageId, duplicate: exit.value.duplicate },
                "inbound email: reply stored",
              )
          }
          callback(null, "2.0.0 Reply received.")
        })
        .catch((error: unknown) => {
          logger.error({ error: String(error) }, "inbound email: could not read the message")
          callback(smtpError(451, "4.3.0 Temporary failure, try again later."))
        })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject)
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.server.off("error", reject)
      resolve()
    })
  })
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
