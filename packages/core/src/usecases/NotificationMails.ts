/**
 * The notification emails (P-NOT-1, P-NOT-2) in the portal's language (ja or en, P-DOM-4): the
 * subject names the ticket and the portal; the body has the agent's message (or an excerpt), the
 * ticket's reference and the link to its page, and the unsubscribe link (P-NOT-3). Text and HTML
 * parts; every value put into the HTML is escaped; links must be absolute http(s) URLs.
 * P-EXT-2: the "closed" email also asks for a rating with two links, good and bad. They only open
 * the ticket's page (after sign-in) with that choice preselected (`?rate=good#rate`); nothing
 * changes on a GET, so a mail scanner following them rates nothing.
 */
import type { NotificationKind } from "../ports/Outbox.ts"
import { defaultTicketLabel } from "../rules/Locale.ts"
import { withoutBidiControls } from "../rules/Names.ts"
import { escapeHtml, type MailLanguage, mailLanguage, type RenderedMail } from "./Mails.ts"

export interface NotificationVars {
  readonly portalName: string
  readonly ticketSubject: string
  /** The ticket's reference the customer can quote (its id). */
  readonly reference: string
  /** The ticket's page: `<origin>/<slug>/<ticketId>`. */
  readonly link: string
  readonly unsubscribeLink: string
  /** The agent's message (agentMessage); shortened to EXCERPT_CHARS. */
  readonly message?: string
  readonly recipientName?: string
  readonly ticketLabel?: string
}

/** A message longer than this is cut, with a note to read the rest on the portal. */
export const EXCERPT_CHARS = 2000

const oneLine = (s: string) => withoutBidiControls(s).replace(/\s+/g, " ").trim()

const excerptOf = (text: string): { readonly text: string; readonly cut: boolean } => {
  const clean = withoutBidiControls(text).replace(/\r\n?/g, "\n").trim()
  const chars = [...clean]
  return chars.length <= EXCERPT_CHARS
    ? { text: clean, cut: false }
    : { text: `${chars.slice(0, EXCERPT_CHARS).join("").trimEnd()}…`, cut: true }
}

const checkedLink = (link: string): string => {
  const url = URL.canParse(link) ? new URL(link) : undefined
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw new TypeError(`mail link must be an absolute http(s) URL: ${link}`)
  return url.href
}

interface Copy {
  readonly subject: string
  readonly greeting: string
  readonly intro: ReadonlyArray<string>
  readonly cutNote: string
  readonly reference: string
  readonly action: string
  readonly unsubscribe: string
}

const copyOf = (
  kind: NotificationKind,
  lang: MailLanguage,
  v: { portal: string; subject: string; label: string; name: string | undefined; reference: string },
): Copy => {
  if (lang === "ja") {
    const base = {
      greeting: v.name ? `${v.name} 様` : "お客様",
      cutNote: "（続きはポータルでご覧ください）",
      reference: `お問い合わせ番号: ${v.reference}`,
      action: `${v.label}を表示する`,
      unsubscribe: "今後このようなメールが不要な場合は、こちらから配信を停止できます:",
    }
    switch (kind) {
      case "agentMessage":
        return {
          ...base,
          subject: `[${v.portal}] 「${v.subject}」に返信がありました`,
          intro: [`「${v.subject}」に担当者から返信がありました。`],
        }
      case "formConfirmation":
        return {
          ...base,
          subject: `[${v.portal}] お問い合わせを受け付けました: ${v.subject}`,
          intro: [
            `お問い合わせ「${v.subject}」を受け付けました。担当者より改めてご連絡します。`,
            "次のリンクから内容と進み具合を確認できます。",
          ],
        }
      case "closed":
        return {
          ...base,
          subject: `[${v.portal}] 「${v.subject}」はクローズされました`,
          intro: [`お問い合わせ「${v.subject}」は担当者によってクローズされました。`],
        }
    }
  }
  const base = {
    greeting: v.name ? `Hello ${v.name},` : "Hello,",
    cutNote: "(Read the rest on the portal.)",
    reference: `Reference: ${v.reference}`,
    action: `View your ${v.label.toLowerCase().replace(/s$/, "")}`,
    unsubscribe: "To stop receiving these emails, unsubscribe here:",
  }
  switch (kind) {
    case "agentMessage":
      return {
        ...base,
        subject: `[${v.portal}] New reply: ${v.subject}`,
        intro: [`Our team replied to "${v.subject}".`],
      }
    case "formConfirmation":
      return {
        ...base,
        subject: `[${v.portal}] We received your request: ${v.subject}`,
        intro: [`We received your request "${v.subject}". Our team will get back to you.`, "You can follow it here:"],
      }
    case "closed":
      return {
        ...base,
        subject: `[${v.portal}] Closed: ${v.subject}`,
        intro: [`Your request "${v.subject}" was closed by our team.`],
      }
  }
}

/** P-EXT-2: the ticket page with a rating preselected (the customer still sends it). */
export const ratingLink = (link: string, rating: "good" | "bad"): string => {
  const url = new URL(link)
  url.searchParams.set("rate", rating)
  url.hash = "rate"
  return url.href
}

const ratingCopy = (lang: MailLanguage) =>
  lang === "ja"
    ? { ask: "今回の対応はいかがでしたか? 評価をお聞かせください:", good: "良い", bad: "悪い" }
    : { ask: "How did we do? Rate our help:", good: "Good", bad: "Bad" }

/** Subject, text and HTML of one notification. Throws a TypeError on a link that is not http(s). */
export const renderNotification = (
  kind: NotificationKind,
  language: MailLanguage | string,
  vars: NotificationVars,
): RenderedMail => {
  const lang = mailLanguage(language)
  const link = checkedLink(vars.link)
  const unsubscribe = checkedLink(vars.unsubscribeLink)
  const portal = oneLine(vars.portalName)
  const c = copyOf(kind, lang, {
    portal,
    subject: oneLine(vars.ticketSubject),
    label: oneLine(vars.ticketLabel ?? "") || defaultTicketLabel(lang),
    name: oneLine(vars.recipientName ?? "") || undefined,
    reference: oneLine(vars.reference),
  })
  const excerpt = kind === "agentMessage" && vars.message !== undefined ? excerptOf(vars.message) : null
  const quoted = excerpt === null ? [] : [...excerpt.text.split("\n"), ...(excerpt.cut ? [c.cutNote] : []), ""]
  const rate =
    kind === "closed"
      ? { ...ratingCopy(lang), goodLink: ratingLink(link, "good"), badLink: ratingLink(link, "bad") }
      : null
  const rateText = rate === null ? [] : ["", rate.ask, `${rate.good}: ${rate.goodLink}`, `${rate.bad}: ${rate.badLink}`]
  const text = [
    c.greeting,
    "",
    ...c.intro,
    "",
    ...quoted,
    c.reference,
    link,
    ...rateText,
    "",
    `— ${portal}`,
    "",
    c.unsubscribe,
    unsubscribe,
  ].join("\n")
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>`,
    `<body style="font-family:system-ui,sans-serif;line-height:1.6;color:#1f2937">`,
    p(c.greeting),
    ...c.intro.map(p),
    ...(excerpt === null
      ? []
      : [
          `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d1d5db;white-space:pre-wrap">${escapeHtml(excerpt.text)}</blockquote>`,
          ...(excerpt.cut ? [p(c.cutNote)] : []),
        ]),
    p(c.reference),
    `<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:#0b6bcb;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(c.action)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:#6b7280">${escapeHtml(link)}</p>`,
    ...(rate === null
      ? []
      : [
          p(rate.ask),
          `<p style="margin:0 0 16px"><a href="${escapeHtml(rate.goodLink)}">${escapeHtml(rate.good)}</a> &nbsp; <a href="${escapeHtml(rate.badLink)}">${escapeHtml(rate.bad)}</a></p>`,
        ]),
    `<p style="margin:24px 0 0">— ${escapeHtml(portal)}</p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#6b7280">${escapeHtml(c.unsubscribe)} <a href="${escapeHtml(unsubscribe)}">${escapeHtml(unsubscribe)}</a></p>`,
    "</body></html>",
  ].join("\n")
  return { subject: c.subject, text, html }
}
