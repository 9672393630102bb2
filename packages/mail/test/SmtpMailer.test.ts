import { type Mail, Mailer } from "@portal/core/ports"
import { renderMail } from "@portal/core/usecases"
import { Effect, Exit } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { layerSmtp, type SmtpOptions } from "../src/index.ts"
import { startTestSmtpServer, type TestSmtpServer } from "../src/testing.ts"

const FROM = '"Acme Support" <support@acme.test>'
const servers: TestSmtpServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const start = async (options?: Parameters<typeof startTestSmtpServer>[0]) => {
  const server = await startTestSmtpServer(options)
  servers.push(server)
  return server
}

const send = (options: SmtpOptions, mail: Mail) =>
  Effect.runPromiseExit(Mailer.use((m) => m.send(mail)).pipe(Effect.provide(layerSmtp(options))))

const link = "https://support.acme.test/register?token=tok_0123456789abcdef"

describe("layerSmtp against a real SMTP server", () => {
  it("delivers an English invitation: recipient, subject, link in text and HTML", async () => {
    const server = await start()
    const rendered = renderMail("invitation", "en", { portalName: "Acme Support", link, recipientName: "Ken" })
    const exit = await send(
      { host: server.host, port: server.port, secure: false, from: FROM },
      { to: "ken@globex.test", ...rendered },
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    const mail = await server.waitFor((m) => m.to === "ken@globex.test")
    expect(mail.from).toBe("support@acme.test")
    expect(mail.headers.from).toBe("Acme Support <support@acme.test>")
    expect(mail.subject).toBe("You're invited to Acme Support")
    expect(mail.text).toContain(link)
    expect(mail.html).toContain(`href="${link}"`)
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i)
  })

  it("delivers a Japanese invitation whose MIME-encoded subject decodes back", async () => {
    const server = await start()
    const rendered = renderMail("invitation", "ja", { portalName: "さくらサポート", link, recipientName: "田中" })
    await send(
      { host: server.host, port: server.port, secure: false, from: FROM },
      { to: "aiko@sakura.test", ...rendered },
    )
    const mail = await server.waitFor((m) => m.to === "aiko@sakura.test")
    const rawSubject = /^Subject:(.*(?:\r\n[ \t].*)*)/m.exec(mail.raw)?.[1] ?? ""
    expect(rawSubject).toMatch(/=\?UTF-8\?[BQ]\?/i)
    expect(rawSubject).not.toContain("さくら")
    expect(mail.subject).toBe("さくらサポート へのご招待")
    expect(mail.text).toContain("田中 様")
    expect(mail.text).toContain(link)
    expect(mail.html).toContain("パスワードを設定する")
  })

  it("authenticates when credentials are configured, and fails with MailError on wrong ones", async () => {
    const server = await start({ auth: { user: "mailer", pass: "s3cret" } })
    const base = { host: server.host, port: server.port, secure: false, from: FROM }
    const mail = { to: "ken@globex.test", subject: "Hi", text: "Hello" }
    expect(Exit.isSuccess(await send({ ...base, auth: { user: "mailer", pass: "s3cret" } }, mail))).toBe(true)
    const wrong = await send({ ...base, auth: { user: "mailer", pass: "nope" } }, mail)
    expect(JSON.stringify(wrong)).toContain("MailError")
    expect(server.messages).toHaveLength(1)
  })

  it("fails with MailError when the recipient is refused or the server is unreachable", async () => {
    const server = await start({ rejectRecipient: (a) => a.startsWith("nobody@") })
    const refused = await send(
      { host: server.host, port: server.port, secure: false, from: FROM },
      { to: "nobody@globex.test", subject: "Hi", text: "Hello" },
    )
    expect(Exit.isFailure(refused)).toBe(true)
    expect(JSON.stringify(refused)).toContain('"_tag":"MailError"')
    const closed = await start()
    await closed.close()
    servers.splice(servers.indexOf(closed), 1)
    const down = await send(
      { host: closed.host, port: closed.port, secure: false, from: FROM, timeoutMs: 2000 },
      { to: "ken@globex.test", subject: "Hi", text: "Hello" },
    )
    expect(JSON.stringify(down)).toContain('"_tag":"MailError"')
  })

  it("refuses header injection through the recipient or subject, sending nothing", async () => {
    const server = await start()
    const options = { host: server.host, port: server.port, secure: false, from: FROM }
    const a = await send(options, { to: "ken@globex.test\r\nBcc: evil@x.test", subject: "Hi", text: "x" })
    const b = await send(options, { to: "ken@globex.test", subject: "Hi\r\nBcc: evil@x.test", text: "x" })
    expect(JSON.stringify(a)).toContain('"_tag":"MailError"')
    expect(JSON.stringify(b)).toContain('"_tag":"MailError"')
    expect(server.messages).toHaveLength(0)
  })

  it("waitFor times out when no matching mail arrives", async () => {
    const server = await start()
    await expect(server.waitFor((m) => m.to === "x@y.test", 200)).rejects.toThrow(/no matching mail/)
  })
})
