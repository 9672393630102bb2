/**
 * P-EXT-6 over real HTTP with a real SMTP server: sign-in by emailed link. The link works once
 * and for 15 minutes (the server's clock moves), signs in with the same session cookie as a
 * password, ends the contact's other links (P-SEC-5), is built from the configured origin whatever
 * the Host header says, and keeps only a safe `next` (P-SEC-1). Unknown emails get the same answer
 * and no mail (P-SEC-8). With the setting off (the default) nothing is offered and both procedures
 * refuse.
 */
import type { ReceivedMail } from "@portal/mail/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data, error } from "./support/Http.ts"
import { type Doc, linkIn, startWorld, type World } from "./support/World.ts"

const PATH = "/account/sign-in-link"
let world: World
let off: World
beforeAll(async () => {
  world = await startWorld({
    edit: (acme: Doc, sakura: Doc) => {
      acme.portal.emailSignIn = true
      sakura.portal.emailSignIn = true
      acme.domains.push({ host: "support.acme.test", language: "en" })
    },
  })
  off = await startWorld()
})
afterAll(async () => {
  await world.close()
  await off.close()
})

const seen = new Set<ReceivedMail>()
const nextMail = async (w: World, to: string) => {
  const mail = await w.smtp.waitFor((m) => m.to === to && !seen.has(m))
  seen.add(mail)
  return mail
}
const tokenOf = (mail: ReceivedMail) => linkIn(mail.text, PATH).searchParams.get("token") ?? ""
/** Ask for a link; `host`: a (hostile) Host header sent on the server's real socket. */
const ask = (w: World, email: string, next?: string | null, host?: string) =>
  w.client().mutate("auth.requestSignInLink", next === undefined ? { email } : { email, next }, host ? { host } : {})

describe("P-EXT-6 sign-in by emailed link", () => {
  it("P-EXT-6 the link signs in once, with the same session as a password; a used link is refused", async () => {
    world.advanceClock(61 * 60_000)
    const res = await ask(world, "ken@globex.test")
    expect(res.status).toBe(200)
    expect(data(res)).toEqual({ ok: true })
    const mail = await nextMail(world, "ken@globex.test")
    expect(mail.subject).toContain("sign-in link")
    expect(linkIn(mail.text, PATH).origin).toBe(`http://localhost:${world.port}`)
    const customer = world.client()
    const used = await customer.mutate("auth.signInWithLink", { token: tokenOf(mail) })
    expect(used.status).toBe(200)
    expect(data(used)).toMatchObject({ signedIn: true, subject: { type: "contact", id: "p1" } })
    expect(used.setCookies.join(";")).toMatch(/HttpOnly/i)
    const me = data(await customer.query("auth.me"))
    expect(me.subject).toMatchObject({ type: "contact", email: "ken@globex.test" })
    expect((await customer.query("tickets.list", {})).status).toBe(200)
    const again = await world.client().mutate("auth.signInWithLink", { token: tokenOf(mail) })
    expect(again.status).toBe(400)
    expect(error(again)?.data.reason).toBe("invalidToken:emailSignIn")
  })

  it("P-EXT-6 a link expires after 15 minutes (the server's clock)", async () => {
    world.advanceClock(61 * 60_000)
    await ask(world, "yuki@globex.test")
    const late = await nextMail(world, "yuki@globex.test")
    await ask(world, "yuki@globex.test")
    const inTime = await nextMail(world, "yuki@globex.test")
    world.advanceClock(14 * 60_000)
    // 14 minutes on: still valid (the newer link; using it ends the older one, P-SEC-5).
    expect((await world.client().mutate("auth.signInWithLink", { token: tokenOf(inTime) })).status).toBe(200)
    expect((await world.client().mutate("auth.signInWithLink", { token: tokenOf(late) })).status).toBe(400)
    await ask(world, "yuki@globex.test")
    const expiring = await nextMail(world, "yuki@globex.test")
    world.advanceClock(15 * 60_000 + 1_000)
    const expired = await world.client().mutate("auth.signInWithLink", { token: tokenOf(expiring) })
    expect(expired.status).toBe(400)
    expect(error(expired)?.data.reason).toBe("invalidToken:emailSignIn")
  })

  it("P-EXT-6 P-SEC-8 unknown emails get the same answer as a real one, and no mail", async () => {
    world.advanceClock(61 * 60_000)
    const before = world.smtp.messages.length
    const answers = []
    for (const email of ["nobody@globex.test", "Nobody@Example.test"]) {
      const res = await ask(world, email)
      answers.push([res.status, res.text])
    }
    const known = await ask(world, "mia@initech.test")
    await nextMail(world, "mia@initech.test")
    for (const a of answers) expect(a).toEqual([known.status, known.text])
    await new Promise((r) => setTimeout(r, 300))
    expect(world.smtp.messages.length).toBe(before + 1)
  })

  it("P-EXT-6 P-SEC-5 P-SEC-1 the link comes from the configured origin, never the Host header, with a safe next", async () => {
    world.advanceClock(61 * 60_000)
    await ask(world, "ken@globex.test", "/tickets/t1", "support.acme.test:9999")
    const mail = await nextMail(world, "ken@globex.test")
    expect(mail.text).not.toMatch(/9999/)
    const link = new URL(/https?:\/\/\S+/.exec(mail.text)?.[0] ?? "")
    expect(link.origin).toBe("https://support.acme.test")
    expect(link.searchParams.get("next")).toBe("/tickets/t1")
    for (const next of ["https://evil.test/x", "//evil.test", "/\\evil.test", "javascript:alert(1)"]) {
      world.advanceClock(61 * 60_000)
      await ask(world, "ken@globex.test", next)
      const m = await nextMail(world, "ken@globex.test")
      expect(new URL(/https?:\/\/\S+/.exec(m.text)?.[0] ?? "").searchParams.get("next"), next).toBeNull()
      expect(m.text).not.toContain("evil")
    }
  })

  it("P-EXT-6 at most 3 links per email per hour, the same answer past it", async () => {
    world.advanceClock(61 * 60_000)
    const before = world.smtp.messages.filter((m) => m.to === "yuki@globex.test").length
    for (let i = 0; i < 5; i++) expect((await ask(world, "yuki@globex.test")).status).toBe(200)
    await new Promise((r) => setTimeout(r, 500))
    expect(world.smtp.messages.filter((m) => m.to === "yuki@globex.test").length).toBe(before + 3)
    for (const m of world.smtp.messages) seen.add(m)
  })

  it("P-EXT-6 P-SEC-2 hostile input is a 400 with a code, never a 500", async () => {
    for (const input of [{ email: "x\u0000@y.test" }, { email: "a".repeat(5000) }, { email: 1 }, {}])
      expect((await world.client().mutate("auth.requestSignInLink", input)).status).toBe(400)
    for (const input of [{ token: "" }, { token: "a".repeat(600) }, { token: "\u0000" }, {}])
      expect((await world.client().mutate("auth.signInWithLink", input)).status).toBe(400)
  })

  it("P-EXT-6 off (the default): the portal does not offer it and both procedures refuse", async () => {
    const info = data(await off.client().query("portal.info"))
    expect(info.access.emailLink).toBe(false)
    expect(data(await world.client().query("portal.info")).access.emailLink).toBe(true)
    const ask = await off.client().mutate("auth.requestSignInLink", { email: "ken@globex.test" })
    expect(ask.status).toBe(403)
    expect(error(ask)?.data.refusalCode).toBe("email_sign_in_off")
    const use = await off.client().mutate("auth.signInWithLink", { token: "x".repeat(43) })
    expect(use.status).toBe(403)
    await new Promise((r) => setTimeout(r, 200))
    expect(off.smtp.messages).toHaveLength(0)
  })
})
