/**
 * Sign-in and access over real HTTP (P-AUTH-1, -3, -4, -6, -7; P-AUTH-2 and -5 have their own
 * files): sessions, cookies, sign-out, idle expiry, no account enumeration, rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data, error } from "./support/Http.ts"
import { ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

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

describe("P-AUTH-3 self-registration", () => {
  it("offers a Register link and the consent texts; registration starts no session, the customer then signs in", async () => {
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
    expect(data(await c.query("auth.me")).subject).toBeNull()
    await c.signIn("new.customer@example.test", "a-long-password-1")
    const me = data(await c.query("auth.me"))
    expect(me.subject).toMatchObject({ type: "contact", email: "new.customer@example.test", name: "New Customer" })
  })

  it("names the signed-in customer as the portal's language writes names (family name first in ja, P-DOM-4)", async () => {
    const en = world.client("localhost")
    await en.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(data(await en.query("auth.me")).subject).toMatchObject({ name: "Ken Ito" })
    const ja = world.client("127.0.0.1")
    await ja.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(data(await ja.query("auth.me")).subject).toMatchObject({ name: "伊藤 健" })
  })

  it("answers a registration with an email that already has a login exactly like a new one", async () => {
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
    // Nothing about Ken changed: his password still works, the typed one does not.
    await world.client().signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const hijack = await world
      .client()
      .mutate("auth.signIn", { email: "ken@globex.test", password: "a-long-password-2" })
    expect(hijack.status).toBe(401)
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
