/**
 * P-VIS-4 over real HTTP, as a property over every ticket of the demo workspace × every contact:
 * a ticket or a file the customer may not see answers exactly like one that does not exist (same
 * status, same body) on every procedure and link that takes an id; visibility agrees with core's
 * pure rule (rules/Visibility.ts). Plus cross-workspace attempts through the other host.
 * Imported attachments have random ids (decided at import), so the tests read them from the store.
 */
import type { ContactId, ListId, PortalSettings, Ticket, WorkspaceId } from "@portal/core/domain"
import { canSee, viewerScope } from "@portal/core/rules"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { REFUSAL_FLOOR_MS } from "../src/http/Files.ts"
import { type Client, data } from "./support/Http.ts"
import { CUSTOMER_PASSWORD, type Doc, startWorld, type World } from "./support/World.ts"

const HIDDEN = "aGlkZGVu" // "hidden"
let world: World
let acme: Doc
const clients = new Map<string, Client>()

beforeAll(async () => {
  world = await startWorld({
    edit: (a, sakura) => {
      acme = a
      a.contacts.find((c: { id: string }) => c.id === "p4").password = CUSTOMER_PASSWORD
      const att = (name: string) => [{ name, contentType: "text/plain", dataBase64: HIDDEN }]
      const message = (threadId: string, messageId: string) =>
        a.threads
          .find((t: { id: string }) => t.id === threadId)
          .messages.find((m: { id: string }) => m.id === messageId)
      message("th1", "m2").attachments = att("internal-comment.txt") // a comment (P-COM-3)
      message("th1b", "m4").attachments = att("unconnected.txt") // an unconnected address (P-COM-2)
      message("th1c", "m5").attachments = att("later-thread.txt") // not the earliest thread (P-COM-4)
      message("th7", "m12").attachments = att("p4-own.txt")
      // P-EXT-1 participants: shared across companies, and one a ticket filter still hides (t8, internal).
      const share = (id: string, participantIds: string[]) => {
        a.tickets.find((t: { id: string }) => t.id === id).participantIds = participantIds
      }
      share("t5", ["p4"])
      share("t7", ["p3"])
      share("t8", ["p3"])
      // A ticket that exists only in acme, to try through sakura's host.
      a.tickets.push({ ...a.tickets[0], id: "t-acme-only", subject: "Acme only" })
      sakura.contacts.find((c: { id: string }) => c.id === "p4").password = CUSTOMER_PASSWORD
    },
  })
  for (const c of acme.contacts) {
    const client = world.client()
    await client.signIn(c.email, CUSTOMER_PASSWORD)
    clients.set(c.id, client)
  }
})
afterAll(() => world.close())

const visibleByRule = (contactId: string, ticket: Ticket) => {
  const contact = acme.contacts.find((c: { id: string }) => c.id === contactId)
  const lists = acme.lists
    .filter((l: { contactIds: string[] }) => l.contactIds.includes(contactId))
    .map((l: { id: ListId }) => l.id)
  const scope = viewerScope(
    "acme" as WorkspaceId,
    acme.portal as PortalSettings,
    { ...contact, id: contactId as ContactId },
    lists,
  )
  return canSee(ticket, scope)
}

/** acme's stored attachments (the import gave them random ids; the document has none). */
const storedAttachments = () => [...(world.db?.state.workspaces.get("acme")?.attachments.values() ?? [])]
const attachmentIds = () => storedAttachments().map((a) => a.id as string)
/** The id of the (only) attachment of an acme message. */
const attachmentOf = (messageId: string): string => {
  const [found, ...more] = storedAttachments().filter((a) => a.messageId === messageId)
  if (found === undefined || more.length > 0) throw new Error(`message ${messageId} has not exactly one attachment`)
  return found.id
}

describe("P-VIS-4: invisible is indistinguishable from missing", () => {
  it("tickets.get, tickets.reply, tickets.close and tickets.rate (P-EXT-2), for every ticket × every contact", async () => {
    let visible = 0
    let invisible = 0
    for (const [contactId, client] of clients) {
      const missing = {
        get: await client.query("tickets.get", { ticketId: "t-does-not-exist" }),
        reply: await client.mutate("tickets.reply", {
          ticketId: "t-does-not-exist",
          text: "hi",
          idempotencyKey: `k-${contactId}`,
        }),
        close: await client.mutate("tickets.close", { ticketId: "t-does-not-exist" }),
        rate: await client.mutate("tickets.rate", { ticketId: "t-does-not-exist", rating: "good" }),
      }
      expect(missing.get.status).toBe(404)
      for (const ticket of acme.tickets as Ticket[]) {
        const get = await client.query("tickets.get", { ticketId: ticket.id })
        if (visibleByRule(contactId, ticket)) {
          visible++
          expect(get.status, `${contactId} should see ${ticket.id}`).toBe(200)
          expect(data(get).ticket.id).toBe(ticket.id)
          continue
        }
        invisible++
        expect({ status: get.status, body: get.text }, `${contactId} must not see ${ticket.id}`).toEqual({
          status: missing.get.status,
          body: missing.get.text,
        })
        const reply = await client.mutate("tickets.reply", {
          ticketId: ticket.id,
          text: "hi",
          idempotencyKey: `k-${contactId}`,
        })
        expect({ status: reply.status, body: reply.text }).toEqual({
          status: missing.reply.status,
          body: missing.reply.text,
        })
        const close = await client.mutate("tickets.close", { ticketId: ticket.id })
        expect({ status: close.status, body: close.text }).toEqual({
          status: missing.close.status,
          body: missing.close.text,
        })
        const rate = await client.mutate("tickets.rate", { ticketId: ticket.id, rating: "good" })
        expect({ status: rate.status, body: rate.text }).toEqual({
          status: missing.rate.status,
          body: missing.rate.text,
        })
      }
    }
    expect(visible).toBeGreaterThan(5)
    expect(invisible).toBeGreaterThan(10)
  })

  it("the list shows exactly the tickets the rule allows", async () => {
    for (const [contactId, client] of clients) {
      const listed = data(await client.query("tickets.list", { limit: 100 }))
        .items.map((t: { id: string }) => t.id)
        .sort()
      const expected = (acme.tickets as Ticket[])
        .filter((t) => visibleByRule(contactId, t))
        .map((t) => t.id)
        .sort()
      expect(listed, contactId).toEqual(expected)
    }
  })

  it("/files/:id for every attachment × every contact: only files of visible messages download", async () => {
    let downloads = 0
    for (const [contactId, client] of clients) {
      const missing = await client.request("/files/does-not-exist")
      expect(missing.status).toBe(404)
      const shown = new Set<string>()
      for (const ticket of acme.tickets as Ticket[]) {
        const get = await client.query("tickets.get", { ticketId: ticket.id })
        if (get.status !== 200) continue
        for (const m of data(get).messages) for (const a of m.attachments) shown.add(a.id)
      }
      for (const id of attachmentIds()) {
        const res = await client.request(`/files/${encodeURIComponent(id)}`)
        if (shown.has(id)) {
          downloads++
          expect(res.status, `${contactId} downloads ${id}`).toBe(200)
        } else {
          expect({ status: res.status, body: res.text }, `${contactId} must not download ${id}`).toEqual({
            status: missing.status,
            body: missing.text,
          })
        }
      }
      for (const hidden of ["m2", "m4", "m5"].map(attachmentOf)) expect(shown.has(hidden)).toBe(false)
    }
    expect(downloads).toBeGreaterThan(2)
  })

  it("imported files have random ids: an id made from the message id is just a missing file", async () => {
    const files = acme.threads.flatMap((t: Doc) =>
      t.messages.flatMap((m: Doc) => (m.attachments ?? []).map((_: unknown, i: number) => [m.id, i] as const)),
    )
    const stored = storedAttachments()
    expect(stored).toHaveLength(files.length)
    for (const a of stored)
      expect(a.id).toMatch(/^att-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const ken = clients.get("p1") as Client
    const missing = await ken.request("/files/does-not-exist")
    for (const [messageId, i] of files)
      for (const guess of [`${messageId}#${i}`, `import/${messageId}/${i}`]) {
        const res = await ken.request(`/files/${encodeURIComponent(guess)}`)
        expect({ status: res.status, body: res.text }, guess).toEqual({ status: missing.status, body: missing.text })
      }
    // Ken sees t1's first message and downloads its file under the random id the API shows him.
    const t1 = data(await ken.query("tickets.get", { ticketId: "t1" }))
    const shown = t1.messages.find((m: { id: string }) => m.id === "m1").attachments.map((a: { id: string }) => a.id)
    expect(shown).toEqual([attachmentOf("m1")])
    expect((await ken.request(`/files/${encodeURIComponent(shown[0])}`)).status).toBe(200)
  })

  it("no refused download answers before REFUSAL_FLOOR_MS, whatever the reads behind it cost", async () => {
    const ken = clients.get("p1") as Client
    const timed = async (path: string) => {
      const started = performance.now()
      const res = await ken.request(path)
      return { status: res.status, ms: performance.now() - started }
    }
    // Missing; on an internal comment of a ticket Ken sees (m2); on a ticket of another customer (m12, t7).
    for (const path of ["/files/does-not-exist", ...["m2", "m12"].map((m) => `/files/${attachmentOf(m)}`)]) {
      const { status, ms } = await timed(path)
      expect(status, path).toBe(404)
      expect(ms, path).toBeGreaterThanOrEqual(REFUSAL_FLOOR_MS - 1)
    }
  })

  it("nobody signed in gets the same 404 for an existing file as for a missing one", async () => {
    const anonymous = world.client()
    const existing = await anonymous.request(`/files/${encodeURIComponent(attachmentOf("m1"))}`)
    const missing = await anonymous.request("/files/nope")
    expect({ status: existing.status, body: existing.text }).toEqual({ status: 404, body: missing.text })
  })
})

describe("cross-workspace attempts through the other host", () => {
  it("an acme session is no session on sakura's host", async () => {
    const ken = clients.get("p1") as Client
    const other = world.client("127.0.0.1")
    other.cookies.set("portal_session", ken.cookies.get("portal_session") as string)
    expect((await other.query("tickets.list")).status).toBe(401)
    expect((await other.request(`/files/${encodeURIComponent(attachmentOf("m1"))}`)).status).toBe(404)
  })

  it("a sakura customer cannot reach acme's tickets or files by id", async () => {
    const sakuraKen = world.client("127.0.0.1")
    await sakuraKen.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const missing = await sakuraKen.query("tickets.get", { ticketId: "t-does-not-exist" })
    const acmeOnly = await sakuraKen.query("tickets.get", { ticketId: "t-acme-only" })
    expect({ status: acmeOnly.status, body: acmeOnly.text }).toEqual({ status: 404, body: missing.text })
    const same = data(await sakuraKen.query("tickets.get", { ticketId: "t1" }))
    expect(same.ticket.subject).toBe("請求書の金額が違います")
    const fileMissing = await sakuraKen.request("/files/nope")
    for (const id of ["m1", "m2", "m4", "m12"].map(attachmentOf)) {
      const res = await sakuraKen.request(`/files/${encodeURIComponent(id)}`)
      expect({ status: res.status, body: res.text }).toEqual({ status: 404, body: fileMissing.text })
    }
  })
})
