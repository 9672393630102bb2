// @portal/mail: the `Mailer` port over SMTP, and the portal's email templates (ja, en).
export * from "./SmtpMailer.ts"
export * from "./Templates.ts"
