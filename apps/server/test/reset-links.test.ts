/**
 * P-SEC-5 over real HTTP with a real SMTP server: using a password-reset or invitation link ends
 * every other outstanding link of that login, and the links in emails are built from the domain's
 * configured origin, never from the request's Host header (its port, a userinfo trick, or another
 * known domain's port). acme's domains: `localhost` (a loopback domain: http and the server's own
 * port) and `support.acme.test` (https, no port).
 */
import type { ReceivedMail } from "@portal/mail/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { ADMIN, type Doc, linkIn, startWorld, type World } from "./support/World.ts"

let world: World
let configured: World
const edit = (acme: Doc) => {
  acme.domains.push({ host: "support.acme.test", language: "en" })
  acme.portal.access = { method: "membership", registration: "accessGroups", listIds: ["l1"] }
}
beforeAll(async () => {
  world = await startWorld({ edit })
  configured = await startWorld({ edit, publicLinks: { scheme: "https", port: 8443 } })
})
afterAll(async () => {
  await world.close()
  await configured.close()
})

const RESET = "/account/reset-password"
const INVITATION = "/account/invitation"

/** The next mail to `to` not seen before. */
const seen = new Set<ReceivedMail>()
const nextMail = async (w: World, to: string) => {
  const mail = await w.smtp.waitFor((m) => m.to === to && !seen.has(m))
  seen.add(mail)
  return mail
}

/** A request with a hostile Host header, on the server's real socket. */
const withHost = (w: World, host: string, path: string, input: unknown, cookie?: string) =>
  w.client().mutate(path, input, { host, ...(cookie ? { cookie } : {}) })

const adminOf = async (w: World): Promise<Client> => {
  const admin = w.client()
  await admin.signIn(ADMIN.email, ADMIN.password, true)
  return admin
}

describe("P-SEC-5 links in emails come from the configured origin, never the Host header", () => {
  it("P-SEC-5 reset mails ignore the Host header's port and userinfo, and another known domain's port", async () => {
    const hostile = [
      ["localhost:9999", `http://localhost:${world.port}`],
      ["LOCALHOST:9999", `http://localhost:${world.port}`],
      ["support.acme.test:9999", "https://support.acme.test"],
      [`support.acme.test:${world.port}`, "https://support.acme.test"],
    ] as const
    for (const [host, origin] of hostile) {
      const res = await withHost(world, host, "auth.requestPasswordReset", { email: "ken@globex.test" })
      expect(res.status, host).toBe(200)
      const mail = await nextMail(world, "ken@globex.test")
      expect(mail.text).not.toMatch(/evil|9999/)
      expect(linkIn(mail.text, RESET).origin, host).toBe(origin)
      // The limit is 3 mails per email per hour: move past it for the next case.
      world.advanceClock(61 * 60_000)
    }
  })

  it("P-SEC-5 P-SEC-2 a Host header with userinfo (localhost:1@evil.test) is refused with 400 invalid_host and mails nothing", async () => {
    const admin = await adminOf(world)
    world.advanceClock(61 * 60_000)
    const before = world.smtp.messages.length
    for (const host of ["localhost:1@evil.test", "evil.test@localhost", "localhost/evil", "localhost:99999999"]) {
      const reset = await withHost(world, host, "auth.requestPasswordReset", { email: "ken@globex.test" })
      expect(reset.status, host).toBe(400)
      expect(reset.json?.error?.data?.code).toBe("invalid_host")
      const invite = await withHost(world, host, "admin.accessGroups.invite", {}, admin.cookieHeader())
      expect(invite.status, host).toBe(400)
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(world.smtp.messages.length).toBe(before)
  })

  it("P-SEC-5 invitation mails ignore the Host header too", async () => {
    const admin = await adminOf(world)
    for (const [host, origin] of [
      ["localhost:9999", `http://localhost:${world.port}`],
      ["support.acme.test:9999", "https://support.acme.test"],
    ] as const) {
      const res = await withHost(
        world,
        host,
        "admin.accessGroups.invite",
        { includeRegistered: true },
        admin.cookieHeader(),
      )
      expect(res.status, `${host} ${res.text}`).toBe(200)
      const mail = await nextMail(world, "ken@globex.test")
      expect(mail.text).not.toMatch(/evil|9999/)
      expect(linkIn(mail.text, INVITATION).origin, host).toBe(origin)
    }
  })

  it("P-SEC-5 the configured scheme and port (PORTAL_PUBLIC_SCHEME, PORTAL_PUBLIC_PORT) are used for every domain", async () => {
    await withHost(configured, "localhost:9999", "auth.requestPasswordReset", { email: "ken@globex.test" })
    expect(linkIn((await nextMail(configured, "ken@globex.test")).text, RESET).origin).toBe("https://localhost:8443")
    await withHost(configured, "support.acme.test:80", "auth.requestPasswordReset", { email: "ken@globex.test" })
    expect(linkIn((await nextMail(configured, "ken@globex.test")).text, RESET).origin).toBe(
      "https://support.acme.test:8443",
    )
  })
})

describe("P-SEC-5 using a link ends every other outstanding link of that login", () => {
  const reset = async (w: World, email: string) => {
    expect((await w.client().mutate("auth.requestPasswordReset", { email })).status).toBe(200)
    return linkIn((await nextMail(w, email)).text, RESET).searchParams.get("token")
  }
  const invite = async (w: World, admin: Client, email: string) => {
    expect((await admin.mutate("admin.accessGroups.invite", { includeRegistered: true })).status).toBe(200)
    return linkIn((await nextMail(w, email)).text, INVITATION).searchParams.get("token")
  }

  it("P-SEC-5 of two reset links, using the newer one ends the older one", async () => {
    world.advanceClock(61 * 60_000)
    const email = "ken@globex.test"
    const first = await reset(world, email)
    const second = await reset(world, email)
    expect(
      (await world.client().mutate("auth.resetPassword", { token: second, password: "the-newest-secret-1" })).status,
    ).toBe(200)
    const stale = await world.client().mutate("auth.resetPassword", { token: first, password: "an-attackers-choice-1" })
    expect(stale.status).toBe(400)
    expect(error(stale)?.data.reason).toBe("invalidToken:passwordReset")
    await world.client().signIn(email, "the-newest-secret-1")
  })

  it("P-SEC-5 using an invitation ends an outstanding reset link and an older invitation", async () => {
    world.advanceClock(61 * 60_000)
    const admin = await adminOf(world)
    const resetToken = await reset(world, "ken@globex.test")
    const olderInvite = await invite(world, admin, "ken@globex.test")
    const newerInvite = await invite(world, admin, "ken@globex.test")
    const ken = world.client()
    expect(
      (await ken.mutate("auth.acceptInvitation", { token: newerInvite, password: "kens-invited-secret" })).status,
    ).toBe(200)
    expect(data(await ken.query("auth.me")).subject).toMatchObject({ type: "contact" })
    const oldInvite = await world
      .client()
      .mutate("auth.acceptInvitation", { token: olderInvite, password: "not-kens-secret-1" })
    expect(oldInvite.status).toBe(400)
    const oldReset = await world
      .client()
      .mutate("auth.resetPassword", { token: resetToken, password: "not-kens-secret-1" })
    expect(oldReset.status).toBe(400)
    await world.client().signIn("ken@globex.test", "kens-invited-secret")
  })

  it("P-SEC-5 using a reset link ends an outstanding invitation", async () => {
    world.advanceClock(61 * 60_000)
    const admin = await adminOf(world)
    const invitation = await invite(world, admin, "ken@globex.test")
    const resetToken = await reset(world, "ken@globex.test")
    expect(
      (await world.client().mutate("auth.resetPassword", { token: resetToken, password: "kens-reset-secret" })).status,
    ).toBe(200)
    const late = await world
      .client()
      .mutate("auth.acceptInvitation", { token: invitation, password: "not-kens-secret-2" })
    expect(late.status).toBe(400)
    await world.client().signIn("ken@globex.test", "kens-reset-secret")
  })
})
