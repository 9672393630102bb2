/**
 * The emails the portal sends to customers, in the portal's language (P-DOM-4): the access-group
 * invitation (P-AUTH-2) and the password reset link (P-AUTH-4). Plain text, so every mail client
 * shows the link as it is; the portal's page title names the sender's portal.
 * How long each link works is part of the text so the customer knows why an old link fails.
 */
import type { Language } from "../domain/Entities.ts"
import type { Mail } from "../ports/System.ts"

export const INVITATION_TTL_DAYS = 7
export const PASSWORD_RESET_TTL_MINUTES = 60

interface LinkMail {
  readonly to: string
  readonly portalName: string
  readonly link: string
}

const texts = {
  en: {
    invitation: (m: LinkMail) => ({
      subject: `You are invited to ${m.portalName}`,
      text: [
        "Hello,",
        "",
        `You have been invited to ${m.portalName}, where you can follow and answer your support requests.`,
        "Open this link to choose your password and sign in:",
        "",
        m.link,
        "",
        `The link works once and expires in ${INVITATION_TTL_DAYS} days.`,
        "If you did not expect this email, you can ignore it.",
      ],
    }),
    passwordReset: (m: LinkMail) => ({
      subject: `Reset your password for ${m.portalName}`,
      text: [
        "Hello,",
        "",
        `Someone asked to reset the password of your account on ${m.portalName}.`,
        "Open this link to choose a new password:",
        "",
        m.link,
        "",
        `The link works once and expires in ${PASSWORD_RESET_TTL_MINUTES} minutes.`,
        "If you did not ask for this, you can ignore this email: your password stays the same.",
      ],
    }),
  },
  ja: {
    invitation: (m: LinkMail) => ({
      subject: `${m.portalName} へのご招待`,
      text: [
        "こんにちは。",
        "",
        `${m.portalName} に招待されました。サポートへのお問い合わせの確認や返信ができます。`,
        "次のリンクを開いてパスワードを設定し、サインインしてください。",
        "",
        m.link,
        "",
        `このリンクは 1 回だけ使用でき、${INVITATION_TTL_DAYS} 日後に無効になります。`,
        "お心当たりがない場合は、このメールを破棄してください。",
      ],
    }),
    passwordReset: (m: LinkMail) => ({
      subject: `${m.portalName} のパスワード再設定`,
      text: [
        "こんにちは。",
        "",
        `${m.portalName} のアカウントのパスワード再設定が依頼されました。`,
        "次のリンクを開いて新しいパスワードを設定してください。",
        "",
        m.link,
        "",
        `このリンクは 1 回だけ使用でき、${PASSWORD_RESET_TTL_MINUTES} 分後に無効になります。`,
        "お心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。",
      ],
    }),
  },
} as const

const compose = (kind: "invitation" | "passwordReset", language: Language, m: LinkMail): Mail => {
  const { subject, text } = texts[language][kind](m)
  return { to: m.to, subject, text: text.join("\n") }
}

export const invitationMail = (language: Language, m: LinkMail): Mail => compose("invitation", language, m)
export const passwordResetMail = (language: Language, m: LinkMail): Mail => compose("passwordReset", language, m)
