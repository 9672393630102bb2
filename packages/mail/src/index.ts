// @portal/mail: core's `Mailer` port over SMTP. The email texts (ja, en) live in @portal/core (usecases/Mails.ts).
export * from "./SmtpMailer.ts"
