/**
 * Sign-in and access over real HTTP (P-AUTH-1, -3, -4, -6, -7; P-AUTH-2 and -5 have their own
 * files): sessions, cookies, sign-out, idle expiry, no account enumeration, rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data, error } from "./support/Http.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, linkIn, startWorld, type World } from "./support/World.ts"

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(() => world.close())

const sessionCookie = (lines: ReadonlyArray<string>) => lines.find((l) => l.startsWith("portal_session="))

describe("P-AUTH-1 customers must sign in", () => {
  it("refuses the ticket list without a session, and serves it after a password sign-in", async () => {
    const c = world.client()
    const anonymous = await c.query("tickets.list")
    expect(anonymous.status).toBe(401)
    expect(error(anonymous)?.data.code).toBe("UNAUTHORIZED")
    await c.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const list = await c.query("tickets.list")
    expect(list.status).toBe(200)
    expect(data(list).items.length).toBeGreaterThan(0)
    expect(data(list).preview).toBe(false)
  })

  it("sets the session cookie HttpOnly, SameSite=Lax, Path=/, not Secure over http, and a new token each sign-in", async () => {
    const c = world.client()
    const first = sessionCookie((await c.signIn("ken@globex.test", CUSTOMER_PASSWORD)).setCookies)
    expect(first).toMatch(/HttpOnly/i)
    expect(first).toMatch(/SameSite=Lax/i)
    expect(first).toMatch(/Path=\//)
    expect(first).not.toMatch(/Secure/i)
    const token = /portal_session=([^;]+)/.exec(first ?? "")?.[1]
    expect(token?.length).toBeGreaterThanOrEqual(22)
    const second = sessionCookie((await c.signIn("ken@globex.test", CUSTOMER_PASSWORD)).setCookies)
    expect(/portal_session=([^;]+)/.exec(second ?? "")?.[1]).not.toBe(token)
    // The session of the first token was dropped at the second sign-in.
    const old = world.client()
    old.cookies.set("portal_session", token as string)
    expect((await old.query("tickets.list")).status).toBe(401)
  })

  it("answers a wrong password and an unknown email identically (no account enumeration)", async () => {
    const wrong = await world
      .client()
      .mutate("auth.signIn", { email: "ken@globex.test", password: "wrong-password-123" })
    const unknown = await world
      .client()
      .mutate("auth.signIn", { email: "nobody@globex.test", password: "wrong-password-123" })
    const noPassword = await world
      .client()
      .mutate("auth.signIn", { email: "solo@example.test", password: "wrong-password-123" })
    for (const res of [wrong, unknown, noPassword]) {
      expect(res.status).toBe(401)
      expect(res.setCookies.some((l) => l.startsWith("portal_session=") && !/Max-Age=0/i.test(l))).toBe(false)
    }
    expect(unknown.text).toBe(wrong.text)
    expect(noPassword.text).toBe(wrong.text)
  })
})

/** The registration link of the newest mail to `to` (waits for it: mails leave in the background). */
const verifyLink = async (to: string, after = 0) => {
  const mail = await world.smtp.waitFor(
    (m) => m.to === to && /\/account\/verify\?token=/.test(m.text) && world.smtp.messages.indexOf(m) >= after,
  )
  return linkIn(mail.text, "/account/verify")
}
const contactOf = (email: string) =>
  world.db?.state.workspaces.get("acme")?.contacts.find((c) => c.email.toLowerCase() === email.toLowerCase())
const consentsOf = (contactId: string) =>
  world.db?.state.workspaces.get("acme")?.consents.filter((c) => c.contactId === contactId) ?? []

describe("P-AUTH-3 self-registration", () => {
  it("offers a Register link and the consent texts; registration starts no session and no login; the mailed link does, once", async () => {
    const c = world.client()
    const info = data(await c.query("portal.info"))
    expect(info.access.selfRegistration).toBe(true)
    expect(info.consent.checkboxLabel).toMatch(/agree/i)
    const withoutConsent = await c.mutate("auth.register", {
      email: "new.customer@example.test",
      password: "a-long-password-1",
      firstName: "New",
      lastName: "Customer",
      consent: false,
    })
    expect(withoutConsent.status).toBe(400)
    expect(error(withoutConsent)?.data.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "consent" })]),
    )
    const ok = await c.mutate("auth.register", {
      email: "new.customer@example.test",
      password: "a-long-password-1",
      firstName: "New",
      lastName: "Customer",
      consent: true,
    })
    expect(ok.status).toBe(200)
    expect(data(ok)).toEqual({ ok: true, signedIn: false })
    expect(ok.setCookies).toEqual([])
    expect(data(await c.query("auth.me")).subject).toBeNull()
    // Not a login until the link is used.
    expect(contactOf("new.customer@example.test")).toBeUndefined()
    const early = await c.mutate("auth.signIn", { email: "new.customer@example.test", password: "a-long-password-1" })
    expect(early.status).toBe(401)
    const link = await verifyLink("new.customer@example.test")
    expect(link.host).toBe(`localhost:${world.port}`)
    const token = link.searchParams.get("token") as string
    const done = await c.mutate("auth.completeRegistration", { token })
    expect(done.status).toBe(200)
    expect(sessionCookie(done.setCookies)).toBeDefined()
    const me = data(await c.query("auth.me"))
    expect(me.subject).toMatchObject({ type: "contact", email: "new.customer@example.test", name: "New Customer" })
    expect(consentsOf(me.subject.id)).toHaveLength(1)
    const reused = await world.client().mutate("auth.completeRegistration", { token })
    expect(reused.status).toBe(400)
    expect(error(reused)?.data.reason).toBe("invalidToken:registration")
    await world.client().signIn("new.customer@example.test", "a-long-password-1")
  })

  it("names the signed-in customer as the portal's language writes names (family name first in ja, P-DOM-4)", async () => {
    const en = world.client("localhost")
    await en.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(data(await en.query("auth.me")).subject).toMatchObject({ name: "Ken Ito" })
    const ja = world.client("127.0.0.1")
    await ja.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(data(await ja.query("auth.me")).subject).toMatchObject({ name: "伊藤 健" })
  })

  it("answers a registration with an email that already has a login exactly like a new one, and tells the owner", async () => {
    const attempt = (email: string) =>
      world.client().mutate("auth.register", {
        email,
        password: "a-long-password-2",
        firstName: "Mallory",
        lastName: "M",
        consent: true,
      })
    const fresh = await attempt("brand.new@example.test")
    const known = await attempt("Ken@Globex.test")
    for (const res of [fresh, known]) {
      expect(res.status).toBe(200)
      expect(res.setCookies).toEqual([])
    }
    expect(known.text).toBe(fresh.text)
    // Ken learns of the attempt: a mail that sends him to the sign-in page, with no link that does anything.
    const notice = await world.smtp.waitFor(
      (m) => m.to === "ken@globex.test" && /already have an account/.test(m.subject),
    )
    expect(notice.text).toContain(`http://localhost:${world.port}/account/sign-in`)
    expect(notice.text).not.toMatch(/token=/)
    // Nothing about Ken changed: his password still works, the typed one does not.
    await world.client().signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const hijack = await world
      .client()
      .mutate("auth.signIn", { email: "ken@globex.test", password: "a-long-password-2" })
    expect(hijack.status).toBe(401)
  })
})

describe("P-AUTH-3 no account takeover through self-registration", () => {
  const attacker = { password: "attacker-password-1", firstName: "Mallory", lastName: "M", consent: true }

  it("P-AUTH-3 registering a contact's email (no login yet) grants nothing until the mailbox's owner opens the link", async () => {
    // solo@example.test is a contact of the demo without a login; ticket t7 is theirs.
    const before = structuredClone(contactOf("solo@example.test"))
    expect(before?.passwordHash).toBeNull()
    const mallory = world.client()
    const res = await mallory.mutate("auth.register", { email: "solo@example.test", ...attacker })
    expect(res.status).toBe(200)
    expect(res.setCookies).toEqual([])
    expect((await mallory.query("tickets.list")).status).toBe(401)
    expect((await mallory.query("tickets.get", { ticketId: "t7" })).status).toBe(401)
    const signIn = await mallory.mutate("auth.signIn", { email: "solo@example.test", password: attacker.password })
    expect(signIn.status).toBe(401)
    expect((await mallory.query("tickets.list")).status).toBe(401)
    // The contact is as it was: no password, no consent, same names.
    expect(contactOf("solo@example.test")).toEqual(before)
    expect(consentsOf(before?.id as string)).toEqual([])
    // The owner of the mailbox opens the link: the contact keeps its id and tickets.
    const owner = world.client()
    const link = await verifyLink("solo@example.test")
    const done = await owner.mutate("auth.completeRegistration", { token: link.searchParams.get("token") })
    expect(done.status).toBe(200)
    expect(data(await owner.query("auth.me")).subject).toMatchObject({ type: "contact", id: before?.id })
    expect(data(await owner.query("tickets.list")).items.map((t: { id: string }) => t.id)).toEqual(["t7"])
    expect(contactOf("solo@example.test")).toMatchObject({ id: before?.id, passwordHash: expect.any(String) })
  })

  it("P-AUTH-3 the same for a contact created by integration.contacts.upsert, under company scope", async () => {
    const api = world.client()
    const bearer = { authorization: `Bearer ${ACME_TOKEN}` }
    const upserted = await api.mutate(
      "integration.contacts.upsert",
      { id: "crm-globex-1", email: "aiko@globex.test", firstName: "Aiko", lastName: "Sato", primaryCompanyId: "c1" },
      bearer,
    )
    expect(data(upserted)).toEqual({ contactId: "crm-globex-1", email: "aiko@globex.test" })
    const before = structuredClone(contactOf("aiko@globex.test"))
    const mallory = world.client()
    const res = await mallory.mutate("auth.register", { email: "AIKO@globex.test", ...attacker })
    expect(res.status).toBe(200)
    expect(res.setCookies).toEqual([])
    const signIn = await mallory.mutate("auth.signIn", { email: "aiko@globex.test", password: attacker.password })
    expect(signIn.status).toBe(401)
    // Under company scope the company's tickets (t1 … t10 of Globex) stay out of reach.
    const list = await mallory.query("tickets.list", { view: "organization" })
    expect(list.status).toBe(401)
    expect((await mallory.query("tickets.get", { ticketId: "t9" })).status).toBe(401)
    expect(contactOf("aiko@globex.test")).toEqual(before)
    // Aiko herself proves she receives the mail: same contact, same company, the company's tickets.
    const aiko = world.client()
    const link = await verifyLink("aiko@globex.test")
    expect((await aiko.mutate("auth.completeRegistration", { token: link.searchParams.get("token") })).status).toBe(200)
    expect(data(await aiko.query("auth.me")).subject).toMatchObject({ id: "crm-globex-1", name: "Aiko Sato" })
    const org = data(await aiko.query("tickets.list", { view: "organization" }))
    expect(org.items.map((t: { id: string }) => t.id)).toContain("t9")
    expect(contactOf("aiko@globex.test")).toMatchObject({ id: "crm-globex-1", primaryCompanyId: "c1" })
    // The attacker's own registration of the address ended with hers: nothing left to use.
    expect((await mallory.mutate("auth.completeRegistration", { token: link.searchParams.get("token") })).status).toBe(
      400,
    )
  })

  it("P-AUTH-3 a link whose email got a login in the meantime is refused and changes nothing", async () => {
    const email = "late.link@example.test"
    const first = world.client()
    await first.mutate("auth.register", { email, ...attacker, password: "first-password-123" })
    const firstLink = await verifyLink(email)
    const mark = world.smtp.messages.length
    await first.mutate("auth.register", { email, ...attacker, password: "second-password-123" })
    const secondLink = await verifyLink(email, mark)
    expect(secondLink.searchParams.get("token")).not.toBe(firstLink.searchParams.get("token"))
    const used = await world
      .client()
      .mutate("auth.completeRegistration", { token: secondLink.searchParams.get("token") })
    expect(used.status).toBe(200)
    const hash = contactOf(email)?.passwordHash
    const stale = await world
      .client()
      .mutate("auth.completeRegistration", { token: firstLink.searchParams.get("token") })
    expect(stale.status).toBe(400)
    expect(error(stale)?.data.reason).toBe("invalidToken:registration")
    expect(contactOf(email)?.passwordHash).toBe(hash)
    await world.client().signIn(email, "second-password-123")
  })
})

describe("P-AUTH-4 system pages: password reset and sign-out", () => {
  it("mails a single-use reset link; following it sets a new password", async () => {
    const c = world.client()
    const known = await c.mutate("auth.requestPasswordReset", { email: "yuki@globex.test" })
    const unknown = await c.mutate("auth.requestPasswordReset", { email: "nobody@globex.test" })
    expect(known.status).toBe(200)
    expect(unknown.text).toBe(known.text)
    const mail = await world.smtp.waitFor((m) => m.to === "yuki@globex.test")
    const link = new URL(/https?:\/\/\S+\/account\/reset-password\?token=\S+/.exec(mail.text)?.[0] ?? "")
    expect(link.host).toBe(`localhost:${world.port}`)
    const token = link.searchParams.get("token") as string
    const weak = await c.mutate("auth.resetPassword", { token, password: "short" })
    expect(weak.status).toBe(400)
    const done = await c.mutate("auth.resetPassword", { token, password: "a-brand-new-password" })
    expect(done.status).toBe(200)
    const reused = await c.mutate("auth.resetPassword", { token, password: "another-new-password" })
    expect(reused.status).toBe(400)
    expect(error(reused)?.data.reason).toBe("invalidToken:passwordReset")
    await world.client().signIn("yuki@globex.test", "a-brand-new-password")
    expect(
      (await world.client().mutate("auth.signIn", { email: "yuki@globex.test", password: CUSTOMER_PASSWORD })).status,
    ).toBe(401)
  })

  it("serves an access denied page", async () => {
    const res = await world.client().request("/account/access-denied?reason=notInAudience")
    expect(res.status).toBe(403)
    expect(res.text).toMatch(/Access denied/)
  })
})

describe("P-AUTH-6 sign-out and idle timeout", () => {
  it("sign-out deletes the server session: the old cookie no longer works", async () => {
    const c = world.client()
    await c.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const token = c.cookies.get("portal_session") as string
    const out = await c.mutate("auth.signOut")
    expect(out.status).toBe(200)
    expect(out.setCookies.some((l) => /^portal_session=;/.test(l) && /Max-Age=0/i.test(l))).toBe(true)
    const replay = world.client()
    replay.cookies.set("portal_session", token)
    expect((await replay.query("tickets.list")).status).toBe(401)
  })

  it("an idle session ends after the portal's timeout and says why", async () => {
    const c = world.client()
    await c.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const me = data(await c.query("auth.me"))
    expect(Date.parse(me.idleExpiresAt) - Date.now()).toBeGreaterThan(55 * 60_000)
    world.advanceClock(30 * 60_000)
    expect((await c.query("tickets.list")).status).toBe(200)
    world.advanceClock(61 * 60_000)
    const token = c.cookies.get("portal_session") as string
    const expired = await c.query("tickets.list")
    expect(expired.status).toBe(401)
    expect(error(expired)?.data.reason).toBe("session-idle")
    const replay = world.client()
    replay.cookies.set("portal_session", token)
    expect(data(await replay.query("auth.me"))).toEqual({ subject: null, sessionEnded: null })
  })
})

describe("P-AUTH-7 agent preview", () => {
  it("an agent signed into the workspace previews the ticket list read-only", async () => {
    const agent = world.client()
    await agent.signIn(ADMIN.email, ADMIN.password, true)
    const sample = data(await agent.query("tickets.list"))
    expect(sample.preview).toBe(true)
    expect(sample.items.length).toBeGreaterThan(0)
    const asKen = data(await agent.query("tickets.list", { asContactId: "p1" }))
    expect(asKen.preview).toBe(true)
    expect(asKen.items.map((t: { id: string }) => t.id)).toContain("t1")
    const reply = await agent.mutate("tickets.reply", { ticketId: "t1", text: "hi", idempotencyKey: "agent-1" })
    expect(reply.status).toBe(403)
    expect(error(reply)?.data.reason).toBe("agentPreview")
  })

  it("a customer cannot borrow the preview to see another contact's list", async () => {
    const c = world.client()
    await c.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const res = await c.query("tickets.list", { asContactId: "p1" })
    expect(res.status).toBe(403)
  })
})

describe("rate limits", () => {
  it("stops sign-in attempts per ip and email with 429", async () => {
    const c = world.client()
    const statuses: Array<number> = []
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await c.mutate("auth.signIn", { email: "limit@globex.test", password: `wrong-password-${i}` })).status,
      )
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
  })
})
