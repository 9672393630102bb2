/**
 * Participants (CC) over real HTTP (P-EXT-1, P-NOT-4): the requester shares a ticket on the form
 * and later; a participant from another company sees it under "shared", opens it and replies; a
 * ticket they may not see answers exactly like a missing one (P-VIS-4); a contact created for an
 * unknown address sees that ticket and nothing else; a participant gets the requester's emails
 * through a real SMTP server; hostile input is a 400 with a code and changes nothing.
 */
import { consumeEvents, deliverOutbox } from "@portal/core/usecases"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let ken: Client
let mia: Client
let yuki: Client

beforeAll(async () => {
  world = await startWorld()
  ken = world.client()
  await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  mia = world.client()
  await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
  yuki = world.client()
  await yuki.signIn("yuki@globex.test", CUSTOMER_PASSWORD)
})
afterAll(() => world.close())

const settle = async () => {
  const options = { secret: world.server.secret, linkOrigin: world.server.linkOrigin }
  await world.server.runtime.runPromise(consumeEvents(options))
  for (;;) {
    const r = await world.server.runtime.runPromise(deliverOutbox())
    if (r.claimed === 0) return
  }
}

const ids = async (c: Client, view: string, extra: Record<string, unknown> = {}) =>
  (data(await c.query("tickets.list", { view, ...extra })).items as Array<{ id: string }>).map((t) => t.id).sort()

describe("participants (P-EXT-1)", () => {
  it("P-EXT-1 a colleague of another company added by the requester sees the ticket under Shared with me, opens and replies", async () => {
    expect(await ids(mia, "shared")).toEqual([])
    expect((await mia.query("tickets.get", { ticketId: "t1" })).status).toBe(404)
    const add = await ken.mutate("tickets.addParticipants", { ticketId: "t1", emails: [" MIA@initech.test "] })
    expect(add.status).toBe(200)
    expect(data(add)).toEqual({ changed: true })
    expect(await ids(mia, "shared")).toEqual(["t1"])
    expect(await ids(mia, "all")).toContain("t1")
    expect(await ids(mia, "mine")).not.toContain("t1")
    expect(await ids(mia, "all", { q: "invoice" })).toContain("t1")
    const detail = data(await mia.query("tickets.get", { ticketId: "t1" }))
    expect(detail.participants).toEqual([
      { id: "p3", email: "mia@initech.test", name: "Mia Novak", firstName: "Mia", lastName: "Novak" },
    ])
    expect(detail.canManageParticipants).toBe(false)
    expect(data(await ken.query("tickets.get", { ticketId: "t1" })).canManageParticipants).toBe(true)
    const r = await mia.mutate("tickets.reply", {
      ticketId: "t1",
      text: "Initech sees it too",
      idempotencyKey: "cc-r1",
    })
    expect(r.status).toBe(200)
    const after = data(await ken.query("tickets.get", { ticketId: "t1" }))
    expect(after.messages.map((m: { text: string }) => m.text)).toContain("Initech sees it too")
  })

  it("P-EXT-1 P-AGT-2 the agent's ticket page names the participants among who sees it on the portal", async () => {
    const agent = world.client()
    await agent.signIn(ADMIN.email, ADMIN.password, true)
    const detail = data(await agent.query("agent.tickets.get", { ticketId: "t1" }))
    expect(detail.audience.participants).toEqual([{ id: "p3", name: expect.any(String), email: "mia@initech.test" }])
    const t4 = data(await agent.query("agent.tickets.get", { ticketId: "t4" }))
    expect(t4.audience).not.toHaveProperty("participants")
  })

  it("P-VIS-4 a Globex ticket Mia is not on answers exactly like a missing one, on every path", async () => {
    for (const [path, input] of [
      ["tickets.get", (id: string) => ({ ticketId: id })],
      ["tickets.reply", (id: string) => ({ ticketId: id, text: "x", idempotencyKey: `k-${id}` })],
      ["tickets.addParticipants", (id: string) => ({ ticketId: id, emails: ["a@b.test"] })],
      ["tickets.removeParticipant", (id: string) => ({ ticketId: id, contactId: "p3" })],
    ] as const) {
      const call = (id: string) => (path === "tickets.get" ? mia.query(path, input(id)) : mia.mutate(path, input(id)))
      const hidden = await call("t2")
      const missing = await call("no-such-ticket")
      expect(hidden.status).toBe(404)
      expect(missing.status).toBe(404)
      expect(hidden.text.replaceAll("t2", "X")).toBe(missing.text.replaceAll("no-such-ticket", "X"))
    }
  })

  it("P-EXT-1 only the requester adds or removes: a company colleague and a participant are refused (412 not_requester)", async () => {
    for (const c of [yuki, mia]) {
      const res = await c.mutate("tickets.addParticipants", { ticketId: "t1", emails: ["solo@example.test"] })
      expect(res.status).toBe(412)
      expect(error(res)?.data.refusalCode).toBe("not_requester")
      const rm = await c.mutate("tickets.removeParticipant", { ticketId: "t1", contactId: "p3" })
      expect(error(rm)?.data.refusalCode).toBe("not_requester")
    }
    expect(await ids(mia, "shared")).toEqual(["t1"])
  })

  it("P-EXT-1 hostile input is a 400 with a code and changes nothing", async () => {
    const before = data(await ken.query("tickets.get", { ticketId: "t1" })).participants
    for (const [emails, code] of [
      [["not-an-email"], "invalid_email"],
      [[""], "required"],
      [["a\u0000@b.test"], "invalid_characters"],
      [Array.from({ length: 21 }, (_, i) => `p${i}@x.test`), "too_many_participants"],
    ] as const) {
      const res = await ken.mutate("tickets.addParticipants", { ticketId: "t1", emails })
      expect(res.status).toBe(400)
      const issues = error(res)?.data.issues as ReadonlyArray<{ code: string }> | undefined
      expect(issues?.map((i) => i.code)).toContain(code)
    }
    for (const bad of [
      { ticketId: "t1" },
      { ticketId: "t1", emails: "a@b.test" },
      { ticketId: "t1", emails: Array(51).fill("a@b.test") },
    ])
      expect((await ken.mutate("tickets.addParticipants", bad)).status).toBe(400)
    expect(data(await ken.query("tickets.get", { ticketId: "t1" })).participants).toEqual(before)
  })

  it("P-EXT-1 an unknown address becomes a contact that sees this ticket and nothing else (not Globex's)", async () => {
    expect((await ken.mutate("tickets.addParticipants", { ticketId: "t2", emails: ["newbie@else.test"] })).status).toBe(
      200,
    )
    const detail = data(await ken.query("tickets.get", { ticketId: "t2" }))
    const newbie = detail.participants.find((p: { email: string }) => p.email === "newbie@else.test")
    expect(newbie).toBeDefined()
    // What that contact sees, through the agents' preview (the same customer use-cases).
    const agent = world.client()
    await agent.signIn(ADMIN.email, ADMIN.password, true)
    const as = async (view: string) =>
      (data(await agent.query("tickets.list", { view, asContactId: newbie.id })).items as Array<{ id: string }>).map(
        (t) => t.id,
      )
    expect(await as("all")).toEqual(["t2"])
    expect(await as("shared")).toEqual(["t2"])
    expect(await as("mine")).toEqual([])
    expect(await as("organization")).toEqual([])
    for (const other of ["t1", "t3", "t4", "t9", "t10"])
      expect((await agent.query("tickets.get", { ticketId: other, asContactId: newbie.id })).status).toBe(404)
    // Ken removes them again: the ticket is gone for them.
    expect((await ken.mutate("tickets.removeParticipant", { ticketId: "t2", contactId: newbie.id })).status).toBe(200)
    expect(await as("all")).toEqual([])
  })

  it("P-EXT-1 the support form's CC shares the new ticket (bad CC: 400, no ticket)", async () => {
    const values = { subject: "Shared printer", content: "Both of us need it", category: "bug" }
    const bad = await ken.mutate("form.submit", { values, idempotencyKey: "cc-form-0", cc: ["nope"] })
    expect(bad.status).toBe(400)
    expect(error(bad)?.data.issues).toEqual([expect.objectContaining({ path: "cc.0", code: "invalid_email" })])
    expect(await ids(yuki, "shared")).toEqual([])
    const res = await ken.mutate("form.submit", { values, idempotencyKey: "cc-form-1", cc: ["Yuki@Globex.test"] })
    expect(res.status).toBe(200)
    expect(await ids(yuki, "shared")).toEqual([data(res).ticketId])
  })
})

describe("participants get the requester's emails (P-NOT-4)", () => {
  it("P-NOT-4 an agent's message on a shared ticket mails the requester and each participant once", async () => {
    await settle() // the earlier tests' mails (the form's confirmation) first
    const before = { ken: world.smtp.messages.length }
    const res = await world
      .client()
      .mutate(
        "integration.messages.create",
        { ticketId: "t1", agentId: "u1", text: "Fixed for everyone.", idempotencyKey: "cc-notify-1" },
        { authorization: `Bearer ${ACME_TOKEN}` },
      )
    expect(res.status).toBe(200)
    await settle()
    await settle()
    const sent = world.smtp.messages.slice(before.ken)
    const to = (a: string) => sent.filter((m) => m.to === a)
    expect(to("ken@globex.test")).toHaveLength(1)
    expect(to("mia@initech.test")).toHaveLength(1)
    const mail = to("mia@initech.test")[0]
    expect(mail?.text).toContain("Fixed for everyone.")
    expect(mail?.text).toMatch(/http:\/\/localhost:\d+\/tickets\/t1\b/)
    // Not Yuki (Globex, sees it by company, but neither requester nor participant).
    expect(to("yuki@globex.test")).toHaveLength(0)
  })
})
