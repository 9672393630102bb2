/**
 * The portal's emails in its language (P-SET language of the domain: ja or en): the invitation
 * with its single-use registration link (P-AUTH-2), the password reset (P-AUTH-4), the
 * self-registration's email check and its "you already have an account" twin (P-AUTH-3), and the
 * notice that a customer's reply was received. Text and HTML alternatives; every value put
 * into the HTML is escaped, and links must be absolute http(s) URLs.
 */

import type { Language } from "../domain/Entities.ts"
import type { Mail } from "../ports/System.ts"
import { defaultTicketLabel } from "../rules/Locale.ts"
import { withoutBidiControls } from "../rules/Names.ts"

export type MailKind =
  | "invitation"
  | "passwordReset"
  | "replyReceived"
  | "verifyRegistration"
  | "alreadyRegistered"
  | "signInLink"
export type MailLanguage = Language

export interface MailVars {
  readonly portalName: string
  /** Registration, reset, or ticket link: absolute http(s). */
  readonly link: string
  /** P-SET-3; default "Tickets" / "チケット". */
  readonly ticketLabel?: string
  readonly recipientName?: string
  /** How long the link works, shown for invitation and reset links (7 days, 60 minutes …). */
  readonly expiresInMinutes?: number
}

export interface RenderedMail {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** ja for any Japanese tag (ja, ja-JP), en otherwise. */
export const mailLanguage = (tag: string): MailLanguage => (/^ja(-|$)/i.test(tag) ? "ja" : "en")

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/** Values pasted into a subject or a text line stay on one line, and read in order (no bidi control, hole 12a). */
const oneLine = (s: string) => withoutBidiControls(s).replace(/\s+/g, " ").trim()

interface Copy {
  readonly subject: string
  readonly greeting: string
  readonly paragraphs: ReadonlyArray<string>
  readonly action: string
  readonly footer: ReadonlyArray<string>
}

interface CopyVars {
  readonly portal: string
  readonly label: string
  readonly name: string | undefined
  readonly minutes: number | undefined
}

/** "7 days", "2 hours", "90 minutes"; in Japanese "7日", "2時間", "90分". */
const duration = (minutes: number, lang: MailLanguage): string => {
  const [n, unit] = minutes % 1440 === 0 ? [minutes / 1440, 0] : minutes % 60 === 0 ? [minutes / 60, 1] : [minutes, 2]
  if (lang === "ja") return `${n}${["日", "時間", "分"][unit]}`
  return `${n} ${["day", "hour", "minute"][unit]}${n === 1 ? "" : "s"}`
}

const copyOf = (kind: MailKind, lang: MailLanguage, { portal, label, name, minutes }: CopyVars): Copy => {
  if (lang === "ja") {
    const greeting = name ? `${name} 様` : "お客様"
    const expiry = `このリンクは1回のみ有効です${minutes === undefined ? "" : `（${duration(minutes, "ja")}で失効します）`}。`
    const ignore = "お心当たりのない場合は、このメールを破棄してください。"
    switch (kind) {
      case "invitation":
        return {
          subject: `${portal} へのご招待`,
          greeting,
          paragraphs: [
            `${portal} に招待されました。${label}の確認や返信ができます。`,
            "次のリンクからパスワードを設定し、登録を完了してください。",
          ],
          action: "パスワードを設定する",
          footer: [expiry, ignore],
        }
      case "passwordReset":
        return {
          subject: `${portal} パスワード再設定のご案内`,
          greeting,
          paragraphs: [
            "パスワード再設定のご依頼を受け付けました。",
            "次のリンクから新しいパスワードを設定してください。",
          ],
          action: "パスワードを再設定する",
          footer: [expiry, `${ignore}パスワードは変更されません。`],
        }
      case "verifyRegistration":
        return {
          subject: `${portal} メールアドレスの確認`,
          greeting,
          paragraphs: [
            `${portal} への登録のお申し込みを受け付けました。`,
            "次のリンクを開いてメールアドレスを確認し、登録を完了してください。確認が済むまでアカウントは使えません。",
          ],
          action: "メールアドレスを確認する",
          footer: [expiry, `${ignore}登録は完了しません。`],
        }
      case "alreadyRegistered":
        return {
          subject: `${portal} アカウントはすでに登録されています`,
          greeting,
          paragraphs: [
            `このメールアドレスで ${portal} への登録のお申し込みがありましたが、このアドレスのアカウントはすでにあります。`,
            "次のリンクからサインインしてください。パスワードをお忘れの場合は、サインイン画面の「パスワードをお忘れですか?」から再設定できます。",
          ],
          action: "サインインする",
          footer: [`${ignore}アカウントは変更されていません。`],
        }
      case "signInLink":
        return {
          subject: `${portal} サインイン用リンク`,
          greeting,
          paragraphs: [
            "このメールアドレスでのサインインのご依頼を受け付けました。",
            "次のリンクを開いてサインインしてください。",
          ],
          action: "サインインする",
          footer: [expiry, `${ignore}このリンクがなければ誰もサインインできません。`],
        }
      case "replyReceived":
        return {
          subject: `${portal} 返信を受け付けました`,
          greeting,
          paragraphs: [`${label}への返信を受け付けました。担当者より改めてご連絡します。`],
          action: `${label}を表示する`,
          footer: [],
        }
    }
  }
  const greeting = name ? `Hello ${name},` : "Hello,"
  const expiry = `This link works once${minutes === undefined ? "" : ` and expires in ${duration(minutes, "en")}`}.`
  const ignore = "If you did not expect this email, you can ignore it."
  switch (kind) {
    case "invitation":
      return {
        subject: `You're invited to ${portal}`,
        greeting,
        paragraphs: [
          `You have been invited to ${portal}, where you can see your ${label.toLowerCase()} and reply to them.`,
          "Set your password to finish registering:",
        ],
        action: "Set your password",
        footer: [expiry, ignore],
      }
    case "passwordReset":
      return {
        subject: `Reset your ${portal} password`,
        greeting,
        paragraphs: ["We received a request to reset your password.", "Choose a new password here:"],
        action: "Reset your password",
        footer: [expiry, `${ignore} Your password stays the same.`],
      }
    case "verifyRegistration":
      return {
        subject: `Confirm your email for ${portal}`,
        greeting,
        paragraphs: [
          `We received a request to register for ${portal} with this email address.`,
          "Open this link to confirm your email and finish registering. Until then the account cannot be used:",
        ],
        action: "Confirm your email",
        footer: [expiry, `${ignore} No account is created.`],
      }
    case "alreadyRegistered":
      return {
        subject: `You already have an account on ${portal}`,
        greeting,
        paragraphs: [
          `Someone asked to register for ${portal} with this email address, but it already has an account.`,
          'Sign in here. If you forgot your password, choose "Forgot your password?" on the sign-in page to reset it:',
        ],
        action: "Sign in",
        footer: [`${ignore} Your account has not changed.`],
      }
    case "signInLink":
      return {
        subject: `Your sign-in link for ${portal}`,
        greeting,
        paragraphs: ["We received a request to sign in with this email address.", "Open this link to sign in:"],
        action: "Sign in",
        footer: [expiry, `${ignore} Nobody can sign in without this link.`],
      }
    case "replyReceived":
      return {
        subject: `We received your reply - ${portal}`,
        greeting,
        paragraphs: ["Thank you, we received your reply. Our team will get back to you."],
        action: `View your ${label.toLowerCase()}`,
        footer: [],
      }
  }
}

const checkedLink = (link: string): string => {
  const url = URL.canParse(link) ? new URL(link) : undefined
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new TypeError(`mail link must be an absolute http(s) URL: ${link}`)
  }
  return url.href
}

/** Subject, text and HTML of one email. Throws a TypeError on a link that is not http(s). */
export const renderMail = (kind: MailKind, language: MailLanguage | string, vars: MailVars): RenderedMail => {
  const lang = mailLanguage(language)
  const link = checkedLink(vars.link)
  const portalName = oneLine(vars.portalName)
  const c = copyOf(kind, lang, {
    portal: portalName,
    label: oneLine(vars.ticketLabel ?? "") || defaultTicketLabel(lang),
    name: oneLine(vars.recipientName ?? "") || undefined,
    minutes: vars.expiresInMinutes,
  })
  const text = [
    c.greeting,
    "",
    ...c.paragraphs,
    "",
    link,
    "",
    ...c.footer,
    ...(c.footer.length ? [""] : []),
    `— ${portalName}`,
  ].join("\n")
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>`,
    `<body style="font-family:system-ui,sans-serif;line-height:1.6;color:#1f2937">`,
    p(c.greeting),
    ...c.paragraphs.map(p),
    `<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:#0b6bcb;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(c.action)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:#6b7280">${escapeHtml(link)}</p>`,
    ...c.footer.map((f) => `<p style="margin:0 0 8px;font-size:13px;color:#6b7280">${escapeHtml(f)}</p>`),
    `<p style="margin:24px 0 0">— ${escapeHtml(portalName)}</p>`,
    "</body></html>",
  ].join("\n")
  return { subject: c.subject, text, html }
}

export const INVITATION_TTL_DAYS = 7
export const PASSWORD_RESET_TTL_MINUTES = 60

interface LinkMail {
  readonly to: string
  readonly portalName: string
  readonly link: string
  readonly ticketLabel?: string
}

const compose = (kind: MailKind, language: Language, m: LinkMail, expiresInMinutes: number): Mail => ({
  to: m.to,
  ...renderMail(kind, language, {
    portalName: m.portalName,
    link: m.link,
    expiresInMinutes,
    ...(m.ticketLabel === undefined ? {} : { ticketLabel: m.ticketLabel }),
  }),
})

/** P-AUTH-2: the access-group invitation with its single-use registration link. */
export const invitationMail = (language: Language, m: LinkMail): Mail =>
  compose("invitation", language, m, INVITATION_TTL_DAYS * 24 * 60)

/** P-AUTH-4: the password reset link. */
export const passwordResetMail = (language: Language, m: LinkMail): Mail =>
  compose("passwordReset", language, m, PASSWORD_RESET_TTL_MINUTES)

/** P-AUTH-3: how long a self-registration's email check link works. */
export const REGISTRATION_TTL_HOURS = 24

/** P-AUTH-3: the link that proves the registrant receives this address's mail. */
export const verifyRegistrationMail = (language: Language, m: LinkMail): Mail =>
  compose("verifyRegistration", language, m, REGISTRATION_TTL_HOURS * 60)

/** P-AUTH-3: a registration for an email that already has a login: the owner learns of it. */
export const alreadyRegisteredMail = (language: Language, m: LinkMail): Mail => ({
  to: m.to,
  ...renderMail("alreadyRegistered", language, { portalName: m.portalName, link: m.link }),
})

/** P-EXT-6: how long an emailed sign-in link works. */
export const SIGN_IN_LINK_TTL_MINUTES = 15

/** P-EXT-6: the single-use sign-in link. */
export const signInLinkMail = (language: Language, m: LinkMail): Mail =>
  compose("signInLink", language, m, SIGN_IN_LINK_TTL_MINUTES)
