/**
 * The customer's procedures over real HTTP: list filters, detail, reply with attachments (limits,
 * idempotency), close, the support form, and file downloads (sniffed type, safe headers).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let ken: Client
beforeAll(async () => {
  world = await startWorld()
  ken = world.client()
  await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
})
afterAll(() => world.close())

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex")

describe("tickets.list", () => {
  it("filters by status, searches, switches Organization / Mine, and pages with a cursor", async () => {
    const all = data(await ken.query("tickets.list", {}))
    expect(all.organizationView).toBe(true)
    const open = data(await ken.query("tickets.list", { status: "open" }))
    expect(open.items.every((t: { status: { state: string } }) => t.status.state === "open")).toBe(true)
    const closed = data(await ken.query("tickets.list", { status: "closed" }))
    expect(open.items.length + closed.items.length).toBe(all.items.length)
    const search = data(await ken.query("tickets.list", { q: "INVOICE" }))
    expect(search.items.map((t: { id: string }) => t.id)).toContain("t1")
    const mine = data(await ken.query("tickets.list", { view: "mine" })).items.map((t: { id: string }) => t.id)
    const org = data(await ken.query("tickets.list", { view: "organization" })).items.map((t: { id: string }) => t.id)
    expect(org).toContain("t9")
    expect(mine).not.toContain("t9")
    const page1 = data(await ken.query("tickets.list", { limit: 2, sort: "created" }))
    expect(page1.items).toHaveLength(2)
    const page2 = data(await ken.query("tickets.list", { limit: 2, sort: "created", cursor: page1.nextCursor }))
    expect(page2.items[0].id).not.toBe(page1.items[0].id)
    const bad = await ken.query("tickets.list", { cursor: "not-a-cursor" })
    expect(bad.status).toBe(400)
    expect(error(bad)?.data.issues).toEqual([{ path: "cursor", code: "invalid_cursor", message: "Invalid cursor" }])
  })

  it("sorts by every column both ways and pages each sort; another sort's cursor is refused (P-EXT-4)", async () => {
    const idsOf = (page: { items: ReadonlyArray<{ id: string }> }) => page.items.map((t) => t.id)
    for (const sort of ["subject", "created", "owner", "lastActivity", "status"])
      for (const direction of ["asc", "desc"]) {
        const whole = idsOf(data(await ken.query("tickets.list", { sort, direction, limit: 100 })))
        const other = idsOf(
          data(await ken.query("tickets.list", { sort, direction: direction === "asc" ? "desc" : "asc", limit: 100 })),
        )
        // Ties are broken by id in the same direction: the other way is the exact reverse.
        expect(other).toEqual([...whole].reverse())
        const paged: Array<string> = []
        let cursor: string | null = null
        do {
          const page = data(await ken.query("tickets.list", { sort, direction, limit: 3, cursor }))
          paged.push(...idsOf(page))
          cursor = page.nextCursor
          if (cursor !== null) {
            const foreign = await ken.query("tickets.list", { sort: sort === "subject" ? "owner" : "subject", cursor })
            expect(foreign.status).toBe(400)
            expect(error(foreign)?.data.issues).toEqual([
              { path: "cursor", code: "invalid_cursor", message: "Invalid cursor" },
            ])
          }
        } while (cursor !== null)
        expect(paged).toEqual(whole)
      }
    const subjects = data(await ken.query("tickets.list", { sort: "subject", direction: "asc", limit: 100 })).items.map(
      (t: { subject: string }) => t.subject,
    )
    expect(subjects).toEqual([...subjects].sort())
    for (const bad of [{ sort: "requester" }, { sort: "subject", direction: "up" }, { sort: 1 }]) {
      const refused = await ken.query("tickets.list", bad)
      expect(refused.status).toBe(400)
    }
  })

  it("names contacts with their name parts, so pages can order them for the language", async () => {
    const t1 = data(await ken.query("tickets.list", {})).items.find((t: { id: string }) => t.id === "t1")
    expect(t1.requester).toEqual({ id: "p1", name: "Ken Ito", firstName: "Ken", lastName: "Ito" })
    // P-SEC-6: the owner (an agent) by display name only, no agent id.
    expect(t1.owner).toEqual({ name: "Hana Sato" })
    const detail = data(await ken.query("tickets.get", { ticketId: "t1" }))
    const fromKen = detail.messages.find((m: { author: { type: string } }) => m.author.type === "contact")
    expect(fromKen).toMatchObject({ authorName: "Ken Ito", authorFirstName: "Ken", authorLastName: "Ito" })
  })
})

describe("tickets.reply and files", () => {
  it("replies with attachments; the file downloads with a sniffed type and safe headers", async () => {
    const sent = {
      ticketId: "t2",
      text: "Here is another screenshot",
      attachments: [
        { name: "shot.png", contentType: "image/png", dataBase64: PNG.toString("base64") },
        {
          name: 'evil"name<script>.html',
          contentType: "text/html",
          dataBase64: Buffer.from("<script>alert(1)</script>").toString("base64"),
        },
      ],
      idempotencyKey: "reply-1",
    }
    const reply = await ken.mutate("tickets.reply", sent)
    expect(reply.status).toBe(200)
    expect(data(reply).duplicate).toBe(false)
    // A retry is the same request (P-SEC-3: the same key with other files would be a 409).
    const again = await ken.mutate("tickets.reply", sent)
    expect(data(again)).toMatchObject({ messageId: data(reply).messageId, duplicate: true })
    const detail = data(await ken.query("tickets.get", { ticketId: "t2" }))
    const message = detail.messages.find((m: { id: string }) => m.id === data(reply).messageId)
    expect(message.attachments).toHaveLength(2)
    const [png, html] = message.attachments
    const file = await ken.request(png.url)
    expect(file.status).toBe(200)
    expect(file.headers["content-type"]).toBe("image/png")
    expect(file.body.equals(PNG)).toBe(true)
    expect(file.headers["x-content-type-options"]).toBe("nosniff")
    expect(file.headers["content-disposition"]).toMatch(/^attachment; filename="shot.png"/)
    const script = await ken.request(html.url)
    expect(script.headers["content-type"]).toBe("text/plain; charset=utf-8")
    expect(script.headers["content-disposition"]).toMatch(/^attachment; filename="evil_name<script>.html"/)
    expect(script.headers["content-security-policy"]).toMatch(/default-src 'none'/)
  })

  it("refuses too many or too large files, and an empty reply, with 400 and the paths", async () => {
    const tooMany = await ken.mutate("tickets.reply", {
      ticketId: "t2",
      text: "x",
      attachments: Array.from({ length: 11 }, (_, i) => ({
        name: `f${i}.txt`,
        contentType: "text/plain",
        dataBase64: "eA==",
      })),
      idempotencyKey: "reply-many",
    })
    expect(tooMany.status).toBe(400)
    expect(error(tooMany)?.data.issues).toEqual(
      expect.arrayContaining([
        { path: "attachments", code: "too_many_files", message: "Attach at most 10 files.", params: { max: 10 } },
      ]),
    )
    const big = Buffer.alloc(10 * 1024 * 1024 + 1).toString("base64")
    const tooBig = await ken.mutate("tickets.reply", {
      ticketId: "t2",
      text: "x",
      attachments: [{ name: "big.bin", contentType: "application/octet-stream", dataBase64: big }],
      idempotencyKey: "reply-big",
    })
    expect(tooBig.status).toBe(400)
    expect(error(tooBig)?.data.issues).toEqual([
      {
        path: "attachments[0]",
        code: "file_too_large",
        message: '"big.bin" is larger than 10 MiB.',
        params: { name: "big.bin", maxMiB: 10 },
      },
    ])
    const empty = await ken.mutate("tickets.reply", { ticketId: "t2", text: "  ", idempotencyKey: "reply-empty" })
    expect(error(empty)?.data.issues).toEqual([
      { path: "text", code: "message_empty", message: "Write a message or attach a file." },
    ])
  })

  it("refuses a reply to a closed ticket (P-ACT-2) with 412", async () => {
    const res = await ken.mutate("tickets.reply", { ticketId: "t10", text: "reopen?", idempotencyKey: "closed-1" })
    expect(res.status).toBe(412)
    expect(error(res)?.data.action).toBe("reply")
  })
})

describe("tickets.close", () => {
  it("closes an open ticket into its pipeline's closed stage (P-ACT-3)", async () => {
    const res = await ken.mutate("tickets.close", { ticketId: "t1" })
    expect(data(res)).toEqual({ closed: true })
    const detail = data(await ken.query("tickets.get", { ticketId: "t1" }))
    expect(detail.ticket.status.state).toBe("closed")
    expect(detail.canClose).toBe(false)
    expect((await ken.mutate("tickets.close", { ticketId: "t1" })).status).toBe(412)
  })
})

describe("form", () => {
  it("returns the support form and creates exactly one ticket per submission key (P-FORM-3)", async () => {
    const form = data(await ken.query("form.get"))
    expect(form).toMatchObject({ menuText: "New request", headerText: "How can we help?" })
    expect(form.fields.map((f: { name: string }) => f.name)).toEqual(["subject", "content", "category", "orderNumber"])
    const submit = {
      values: { subject: "Printer on fire", content: "Please help", category: "bug" },
      idempotencyKey: "form-1",
    }
    const first = data(await ken.mutate("form.submit", submit))
    const second = data(await ken.mutate("form.submit", submit))
    expect(second).toEqual({ ticketId: first.ticketId, duplicate: true })
    const detail = data(await ken.query("tickets.get", { ticketId: first.ticketId }))
    expect(detail.ticket.subject).toBe("Printer on fire")
    const missing = await ken.mutate("form.submit", { values: { content: "no subject" }, idempotencyKey: "form-2" })
    expect(missing.status).toBe(400)
    expect(error(missing)?.data.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining("subject") })]),
    )
  })
})
