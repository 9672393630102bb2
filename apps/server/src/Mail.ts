/**
 * The Mailer: SMTP from `SMTP_URL` (smtp://user:pass@host:port, smtps:// for implicit TLS;
 * `?requireTLS=true` refuses a plain connection), sender `MAIL_FROM`. Without SMTP_URL every mail is
 * written to the log instead (with its link, so a developer can follow it): the server says so
 * loudly at start.
 */
import { type Mail, Mailer } from "@portal/core/ports"
import { layerSmtp } from "@portal/mail"
import { Effect, Layer } from "effect"
import type { Logger } from "./Logger.ts"

export const parseSmtpUrl = (smtpUrl: string, from: string) => {
  let url: URL
  try {
    url = new URL(smtpUrl)
  } catch {
    throw new Error(`SMTP_URL is not a URL: ${smtpUrl.replace(/\/\/[^@]*@/, "//***@")}`)
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    throw new Error("SMTP_URL must start with smtp:// or smtps://")
  const secure = url.protocol === "smtps:"
  const user = decodeURIComponent(url.username)
  return {
    host: url.hostname,
    port: url.port === "" ? (secure ? 465 : 587) : Number(url.port),
    secure,
    from,
    ...(user === "" ? {} : { auth: { user, pass: decodeURIComponent(url.password) } }),
    ...(url.searchParams.get("requireTLS") === "true" ? { requireTls: true } : {}),
  }
}

export const layerLogMailer = (logger: Logger): Layer.Layer<Mailer> =>
  Layer.succeed(Mailer, {
    send: (mail: Mail) =>
      Effect.sync(() => {
        logger.warn(
          { mail: { to: mail.to, subject: mail.subject, text: mail.text } },
          "email not sent (no SMTP_URL): logged instead",
        )
      }),
  })

export const layerMailer = (smtpUrl: string | null, from: string, logger: Logger): Layer.Layer<Mailer> =>
  smtpUrl === null ? layerLogMailer(logger) : layerSmtp(parseSmtpUrl(smtpUrl, from))
