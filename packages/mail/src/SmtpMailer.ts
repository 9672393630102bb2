/**
 * core's `Mailer` port over SMTP (nodemailer). One transport per layer, closed with the layer's
 * scope. Every failure (connection, authentication, a refused recipient) is a `MailError`.
 */
import { type Mail, MailError, Mailer } from "@portal/core/ports"
import { Effect, Layer } from "effect"
import nodemailer from "nodemailer"

export interface SmtpOptions {
  readonly host: string
  readonly port: number
  /** Implicit TLS from the first byte (usually port 465). With false, STARTTLS is used when offered. */
  readonly secure: boolean
  readonly auth?: { readonly user: string; readonly pass: string }
  /** The From header, e.g. `"Acme Support" <support@acme.test>`. */
  readonly from: string
  /** Refuse to send over a connection that did not upgrade with STARTTLS (recommended on 587). */
  readonly requireTls?: boolean
  /** Connection, greeting and socket timeouts; default 10 000 ms. */
  readonly timeoutMs?: number
}

// A CR or LF in an address or subject would let input write its own headers.
const HEADER_BREAK = /[\r\n]/

export const makeSmtpTransport = (options: SmtpOptions) => {
  const timeout = options.timeoutMs ?? 10_000
  return nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTls ?? false,
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  })
}

type Transport = ReturnType<typeof makeSmtpTransport>

/**
 * The mail's extra headers as nodemailer options: Message-ID, In-Reply-To, References and
 * Reply-To through their own options (nodemailer would otherwise write its own Message-ID), the
 * rest (List-Unsubscribe …) as plain headers.
 */
const headerOptions = (headers: Readonly<Record<string, string>>) => {
  const out: {
    messageId?: string
    inReplyTo?: string
    references?: string
    replyTo?: string
    headers?: Record<string, string>
  } = {}
  const rest: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase()
    if (key === "message-id") out.messageId = value
    else if (key === "in-reply-to") out.inReplyTo = value
    else if (key === "references") out.references = value
    else if (key === "reply-to") out.replyTo = value
    else rest[name] = value
  }
  if (Object.keys(rest).length > 0) out.headers = rest
  return out
}

const hasHeaderBreak = (mail: Mail) =>
  HEADER_BREAK.test(mail.to) ||
  HEADER_BREAK.test(mail.subject) ||
  Object.entries(mail.headers ?? {}).some(([k, v]) => HEADER_BREAK.test(k) || HEADER_BREAK.test(v))

const sendWith =
  (transport: Transport, from: string) =>
  (mail: Mail): Effect.Effect<void, MailError> =>
    hasHeaderBreak(mail)
      ? Effect.fail(new MailError({ method: "send", cause: new Error("line break in a recipient or subject") }))
      : Effect.tryPromise({
          try: () =>
            transport.sendMail({
              from,
              to: mail.to,
              subject: mail.subject,
              text: mail.text,
              ...(mail.html === undefined ? {} : { html: mail.html }),
              ...headerOptions(mail.headers ?? {}),
            }),
          catch: (cause) => new MailError({ method: "send", cause }),
        }).pipe(
          Effect.flatMap((info) =>
            info.rejected.length > 0
              ? Effect.fail(
                  new MailError({
                    method: "send",
                    cause: new Error(`refused: ${info.rejected.map(String).join(", ")}`),
                  }),
                )
              : Effect.void,
          ),
        )

/** The `Mailer` layer over an SMTP server. */
export const layerSmtp = (options: SmtpOptions): Layer.Layer<Mailer> =>
  Layer.effect(
    Mailer,
    Effect.acquireRelease(
      Effect.sync(() => makeSmtpTransport(options)),
      (transport) => Effect.sync(() => transport.close()),
    ).pipe(Effect.map((transport) => Mailer.of({ send: sendWith(transport, options.from) }))),
  )
