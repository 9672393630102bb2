/**
 * P-AUTH-2 membership with access groups, over real HTTP with a real SMTP server: the admin
 * sends the invitations, the customer follows the emailed single-use link and sets a password;
 * contacts outside the lists can neither register nor sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data, error } from "./support/Http.ts"
import { ADMIN, CUSTOMER_PASSWORD, linkIn, startWorld, type World } from "./support/World.ts"

let world: World
beforeAll(async () => {
  world = await startWorld({
    edit: (acme) => {
      acme.portal.access = { method: "membership", registration: "accessGroups", listIds: ["l1"] }
      // Mia (p3, in l1) has no login yet: she is the one to invite.
      delete acme.contacts.find((c: { id: string }) => c.id === "p3").password
    },
  })
})
afterAll(() => world.close())

describe("P-AUTH-2 access groups", () => {
  it("the sign-in page offers no Register link", async () => {
    const info = data(await world.client().query("portal.info"))
    expect(info.access).toMatchObject({ method: "membership", password: true, selfRegistration: false })
    expect(info.consent).toBeNull()
  })

  it("invites every list member without a login; the emailed link sets the password once and signs in", async () => {
    const admin = world.client()
    await admin.signIn(ADMIN.email, ADMIN.password, true)
    const report = await admin.mutate("admin.accessGroups.invite", {})
    expect(report.status).toBe(200)
    expect(data(report)).toEqual({ invited: 1, skipped: 1, failed: [] })
    const mail = await world.smtp.waitFor((m) => m.to === "mia@initech.test")
    expect(mail.subject).toMatch(/invited/i)
    const link = linkIn(mail.text, "/account/invitation")
    expect(link.host).toBe(`localhost:${world.port}`)
    const mia = world.client()
    const accepted = await mia.mutate("auth.acceptInvitation", {
      token: link.searchParams.get("token"),
      password: "mias-new-password",
    })
    expect(accepted.status).toBe(200)
    expect(data(await mia.query("auth.me")).subject).toMatchObject({ type: "contact", id: "p3" })
    expect(data(await mia.query("tickets.list")).items.length).toBeGreaterThan(0)
    const again = await world.client().mutate("auth.acceptInvitation", {
      token: link.searchParams.get("token"),
      password: "another-password-1",
    })
    expect(again.status).toBe(400)
    await world.client().signIn("mia@initech.test", "mias-new-password")
  })

  it("refuses sign-in to a contact outside the lists, even with the right password", async () => {
    const res = await world.client().mutate("auth.signIn", { email: "yuki@globex.test", password: CUSTOMER_PASSWORD })
    expect(res.status).toBe(403)
    expect(error(res)?.data.reason).toBe("notInAudience")
    expect(res.setCookies.some((l) => l.startsWith("portal_session=") && !/Max-Age=0/i.test(l))).toBe(false)
    await world.client().signIn("ken@globex.test", CUSTOMER_PASSWORD)
  })

  it("refuses self-registration", async () => {
    const res = await world.client().mutate("auth.register", {
      email: "solo@example.test",
      password: "a-long-password-1",
      firstName: "Sam",
      lastName: "Solo",
      consent: true,
    })
    expect(res.status).toBe(403)
    expect(error(res)?.data.reason).toBe("methodNotOffered")
  })

  it("only an admin may send invitations (P-SET-1)", async () => {
    const agent = world.client()
    await agent.signIn("taro@acme.test", "agent-demo-2026", true)
    expect((await agent.mutate("admin.accessGroups.invite", {})).status).toBe(403)
    const customer = world.client()
    await customer.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect((await customer.mutate("admin.accessGroups.invite", {})).status).toBe(403)
  })
})
