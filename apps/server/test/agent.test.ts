/**
 * The agent workspace over HTTP (P-AGT-1..5), on the real server with the demo workspaces:
 * acme's agents hana (u1: portal.settings + tickets.work) and taro (u2: tickets.work), plus two
 * added here: kei (u3, no permission) and mai (u4, portal.settings only).
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data, error } from "./support/Http.ts"
import { openEvents } from "./support/Sse.ts"
import { ADMIN, AGENT_NO_SETTINGS, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

const KEI = { email: "kei@acme.test", password: "agent-demo-2026" }
const MAI = { email: "mai@acme.test", password: "agent-demo-2026" }
const SAKURA_AGENT = { email: "hana@sakura.test", password: "admin-demo-2026" }

let world: World
beforeAll(async () => {
  world = await startWorld({
    edit: (acme) => {
      acme.agents.push(
        { id: "u5", name: "Kei Ono", email: KEI.email, password: KEI.password },
        { id: "u6", name: "Mai Abe", email: MAI.email, permissions: ["portal.settings"], password: MAI.password },
      )
    },
  })
}, 60_000)
afterAll(() => world?.close())

const agent = async (who = ADMIN) => {
  const c = world.client()
  await c.signIn(who.email, who.password, true)
  return c
}
const customer = async (email = "ken@globex.test") => {
  const c = world.client()
  await c.signIn(email, CUSTOMER_PASSWORD)
  return c
}
const b64 = (s: string) => Buffer.from(s).toString("base64")

describe("agent.tickets (P-AGT-1, P-AGT-2)", () => {
  it("P-DOM-4 P-AGT-1 P-AGT-2: the agent list and ticket name contacts in the portal's language (family name first in ja), agents as spelled", async () => {
    const names = async (host: "localhost" | "127.0.0.1", who: { email: string; password: string }) => {
      const c = world.client(host)
      await c.signIn(who.email, who.password, true)
      const list = data(await c.query("agent.tickets.list", { requesterId: "p1", limit: 100 }))
      const detail = data(await c.query("agent.tickets.get", { ticketId: "t1" }))
      const authors = detail.threads.flatMap(
        (t: { messages: Array<{ author: { type: string }; authorName: string }> }) =>
          t.messages.filter((m) => m.author.type === "contact").map((m) => m.authorName),
      )
      return {
        list: [...new Set(list.items.map((r: { requester: { name: string } }) => r.requester.name))],
        requester: detail.ticket.requester.name,
        contacts: detail.contacts.map((x: { name: string }) => x.name),
        audience: detail.audience.contacts.map((x: { name: string }) => x.name),
        authors: [...new Set(authors)],
      }
    }
    expect(await names("127.0.0.1", SAKURA_AGENT)).toEqual({
      list: ["伊藤 健"],
      requester: "伊藤 健",
      contacts: ["伊藤 健"],
      audience: ["伊藤 健"],
      authors: ["伊藤 健"],
    })
    expect(await names("localhost", ADMIN)).toEqual({
      list: ["Ken Ito"],
      requester: "Ken Ito",
      contacts: ["Ken Ito"],
      audience: ["Ken Ito"],
      authors: ["Ken Ito"],
    })
  })

  it("P-AGT-1: the list's filter choices are the workspace's pipelines, stages and agents, whatever the page shows", async () => {
    const hana = await agent()
    const one = data(await hana.query("agent.tickets.list", { owner: "unassigned", limit: 1 }))
    expect(one.items).toHaveLength(1)
    const pipelines = one.choices.pipelines.map((p: { id: string }) => p.id)
    // Every pipeline, the internal one (only on t8) included, with its stages; every agent.
    expect([...pipelines].sort()).toEqual(["billing", "internal", "support"])
    for (const p of one.choices.pipelines) expect(p.stages.length).toBeGreaterThan(0)
    const agents = one.choices.agents.map((a: { id: string }) => a.id)
    expect([...agents].sort()).toEqual(["u1", "u2", "u3", "u5", "u6"])
  })
  it("P-AGT-1: lists every ticket of the workspace (not limited by portal visibility), with counts, filters, sorts and keyset pages", async () => {
    const hana = await agent()
    const all = data(await hana.query("agent.tickets.list", { limit: 100 }))
    const ids = all.items.map((t: { id: string }) => t.id)
    // t8 is in the internal pipeline the portal's filter hides from every customer.
    expect(ids).toEqual(expect.arrayContaining(["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"]))
    expect(all.counts.open + all.counts.closed).toBe(all.items.length)
    const closed = data(await hana.query("agent.tickets.list", { state: "closed", limit: 100 }))
    expect(closed.items.every((t: { state: string }) => t.state === "closed")).toBe(true)
    expect(closed.counts).toEqual(all.counts)
    const mine = data(await hana.query("agent.tickets.list", { owner: "me", limit: 100 }))
    expect(mine.items.length).toBeGreaterThan(0)
    expect(mine.items.every((t: { owner: { id: string } | null }) => t.owner?.id === "u1")).toBe(true)
    const unassigned = data(await hana.query("agent.tickets.list", { owner: "unassigned", limit: 100 }))
    expect(unassigned.items.map((t: { id: string }) => t.id).sort()).toEqual(["t4", "t7"])
    // Sorted by subject both ways, two rows a page, following the cursor.
    for (const direction of ["asc", "desc"] as const) {
      const seen: Array<string> = []
      let cursor: string | null = null
      do {
        const page = data(
          await hana.query("agent.tickets.list", { sort: { column: "subject", direction }, limit: 2, cursor }),
        )
        seen.push(...page.items.map((t: { subject: string }) => t.subject))
        cursor = page.nextCursor
      } while (cursor !== null)
      const sorted = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      expect(seen).toEqual(direction === "asc" ? sorted : sorted.reverse())
      expect(seen).toHaveLength(all.items.length)
    }
    const bad = await hana.query("agent.tickets.list", { cursor: "not-a-cursor" })
    expect(bad.status).toBe(400)
  })

  it("P-AGT-2: a ticket shows every thread, message, comment and note, marks the portal's thread, and says who sees it", async () => {
    const hana = await agent()
    const ken = await customer()
    const detail = data(await hana.query("agent.tickets.get", { ticketId: "t1" }))
    const portal = data(await ken.query("tickets.get", { ticketId: "t1" }))
    const shown = detail.threads.filter((t: { shownOnPortal: boolean }) => t.shownOnPortal)
    expect(shown.map((t: { id: string }) => t.id)).toEqual([portal.thread.id])
    expect(detail.replyThreadId).toBe(portal.thread.id)
    expect(detail.threads.length).toBeGreaterThan(1)
    // Every message of the portal's thread is there, and more (other threads, comments).
    const agentMessages = detail.threads.flatMap((t: { messages: Array<{ id: string }> }) =>
      t.messages.map((m) => m.id),
    )
    for (const m of portal.messages) expect(agentMessages).toContain(m.id)
    expect(detail.audience).toMatchObject({ portalEnabled: true, scope: "company" })
    expect(detail.audience.contacts.map((c: { email: string }) => c.email)).toContain("ken@globex.test")
    expect(detail.choices.agents.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(["u1", "u2"]))
    expect(detail.choices.pipelines.map((p: { id: string }) => p.id)).toEqual([detail.ticket.pipeline.id])
    expect(typeof detail.ticket.version).toBe("number")
    const missing = await hana.query("agent.tickets.get", { ticketId: "no-such-ticket" })
    expect(missing.status).toBe(404)
  })
})

describe("agent changes (P-AGT-3)", () => {
  it("P-AGT-3: an answer with a file reaches the customer, a note with a file never does, closing shows as closed", async () => {
    const taro = await agent(AGENT_NO_SETTINGS)
    const ken = await customer()
    const before = data(await taro.query("agent.tickets.get", { ticketId: "t1" }))
    const replied = await taro.mutate("agent.tickets.reply", {
      ticketId: "t1",
      version: before.ticket.version,
      text: "We are on it.",
      attachments: [{ name: "steps.txt", contentType: "text/plain", dataBase64: b64("1. restart") }],
      idempotencyKey: "agt-reply-1",
    })
    expect(replied.status).toBe(200)
    const r = data(replied)
    expect(r).toMatchObject({ duplicate: false, version: before.ticket.version + 1, threadId: before.replyThreadId })
    const noted = data(
      await taro.mutate("agent.tickets.note", {
        ticketId: "t1",
        version: r.version,
        text: "Customer is on the legacy plan: internal only",
        attachments: [{ name: "internal.txt", contentType: "text/plain", dataBase64: b64("secret") }],
        idempotencyKey: "agt-note-1",
      }),
    )
    expect(noted).toMatchObject({ duplicate: false, version: r.version + 1 })
    const seen = data(await ken.query("tickets.get", { ticketId: "t1" }))
    const answer = seen.messages.find((m: { id: string }) => m.id === r.messageId)
    expect(answer).toMatchObject({ text: "We are on it.", author: { type: "agent" } })
    expect((await ken.request(answer.attachments[0].url)).text).toBe("1. restart")
    expect(JSON.stringify(seen)).not.toContain("legacy plan")
    const after = data(await taro.query("agent.tickets.get", { ticketId: "t1" }))
    const note = after.notes.find((n: { id: string }) => n.id === noted.noteId)
    expect(note).toMatchObject({ authorId: "u2", text: expect.stringContaining("legacy plan") })
    // P-COM-3: the note's file downloads for an agent, and is the usual 404 for the customer.
    expect((await taro.request(note.attachments[0].url)).text).toBe("secret")
    expect((await ken.request(note.attachments[0].url)).status).toBe(404)
    // Closing is moving to a closed stage of the ticket's pipeline.
    const stage = after.choices.pipelines[0].stages.find((s: { state: string }) => s.state === "closed")
    const closed = data(
      await taro.mutate("agent.tickets.update", { ticketId: "t1", version: noted.version, stageId: stage.id }),
    )
    expect(closed).toMatchObject({ changed: true, ticket: { state: "closed", stage: { id: stage.id } } })
    const list = data(await ken.query("tickets.list", { status: "closed", limit: 100 }))
    expect(list.items.map((t: { id: string }) => t.id)).toContain("t1")
  })

  it("P-AGT-3: two agents on one ticket: the second is told of the conflict with what changed, and nothing is overwritten", async () => {
    const hana = await agent()
    const taro = await agent(AGENT_NO_SETTINGS)
    const seenByHana = data(await hana.query("agent.tickets.get", { ticketId: "t4" }))
    const seenByTaro = data(await taro.query("agent.tickets.get", { ticketId: "t4" }))
    expect(seenByTaro.ticket.version).toBe(seenByHana.ticket.version)
    const v = seenByHana.ticket.version
    const first = await hana.mutate("agent.tickets.update", { ticketId: "t4", version: v, ownerId: "u1" })
    expect(data(first)).toMatchObject({ changed: true, version: v + 1, ticket: { owner: { id: "u1" } } })
    for (const [path, input] of [
      ["agent.tickets.update", { ticketId: "t4", version: v, ownerId: "u2" }],
      ["agent.tickets.reply", { ticketId: "t4", version: v, text: "Mine!", idempotencyKey: "conflict-r" }],
      ["agent.tickets.note", { ticketId: "t4", version: v, text: "Mine!", idempotencyKey: "conflict-n" }],
    ] as const) {
      const res = await taro.mutate(path, input)
      expect(res.status).toBe(409)
      expect(error(res)?.data).toMatchObject({
        reason: "ticket_version_conflict",
        currentVersion: v + 1,
        current: { id: "t4", owner: { id: "u1" }, version: v + 1 },
      })
    }
    const now = data(await hana.query("agent.tickets.get", { ticketId: "t4" }))
    expect(now.ticket).toMatchObject({ version: v + 1, owner: { id: "u1" } })
    expect(JSON.stringify(now)).not.toContain("Mine!")
    // With the version the conflict told, the second agent's change goes through.
    const retry = await taro.mutate("agent.tickets.update", { ticketId: "t4", version: v + 1, ownerId: "u2" })
    expect(data(retry)).toMatchObject({ changed: true, version: v + 2, ticket: { owner: { id: "u2" } } })
    // A customer's reply moves the version too.
    const ken = await customer()
    const t4 = data(await taro.query("agent.tickets.get", { ticketId: "t4" }))
    await ken.mutate("tickets.reply", { ticketId: "t4", text: "Any news?", idempotencyKey: "ken-t4" })
    const stale = await taro.mutate("agent.tickets.note", {
      ticketId: "t4",
      version: t4.ticket.version,
      text: "x",
      idempotencyKey: "stale-n",
    })
    expect(error(stale)?.data.reason).toBe("ticket_version_conflict")
  })

  it("P-AGT-3: a stage of another pipeline or an unknown owner is a 400 naming the field; no change is no new version", async () => {
    const hana = await agent()
    const t = data(await hana.query("agent.tickets.get", { ticketId: "t6" }))
    const v = t.ticket.version
    const wrongStage = await hana.mutate("agent.tickets.update", { ticketId: "t6", version: v, stageId: "todo" })
    expect((wrongStage.json?.error?.data?.issues as Array<unknown>)?.[0]).toMatchObject({
      path: "stageId",
      code: "unknown_stage",
    })
    const wrongOwner = await hana.mutate("agent.tickets.update", { ticketId: "t6", version: v, ownerId: "ghost" })
    expect((wrongOwner.json?.error?.data?.issues as Array<unknown>)?.[0]).toMatchObject({
      path: "ownerId",
      code: "unknown_agent",
    })
    const same = await hana.mutate("agent.tickets.update", { ticketId: "t6", version: v, stageId: t.ticket.stage.id })
    expect(data(same)).toMatchObject({ changed: false, version: v })
  })
})

describe("who may work tickets (P-AGT-5)", () => {
  type Who = "nobody" | "customer" | "noPermission" | "settingsOnly" | "otherWorkspace"
  const callerFor = async (who: Who) => {
    switch (who) {
      case "nobody":
        return world.client()
      case "customer":
        return customer("mia@initech.test")
      case "noPermission":
        return agent(KEI)
      case "settingsOnly":
        return agent(MAI)
      case "otherWorkspace": {
        // Sakura's admin, signed in on sakura's host, sends that session to acme's host.
        const other = world.client("127.0.0.1")
        await other.signIn(SAKURA_AGENT.email, SAKURA_AGENT.password, true)
        const c = world.client()
        for (const [k, v] of other.cookies) c.cookies.set(k, v)
        return c
      }
    }
  }
  const procedures = [
    ["query", "agent.tickets.list", {}],
    ["query", "agent.tickets.get", { ticketId: "t1" }],
    ["mutate", "agent.tickets.reply", { ticketId: "t2", version: 1, text: "hi", idempotencyKey: "x" }],
    ["mutate", "agent.tickets.note", { ticketId: "t2", version: 1, text: "hi", idempotencyKey: "y" }],
    ["mutate", "agent.tickets.update", { ticketId: "t2", version: 1, ownerId: null }],
    ["sse", "/agent/events", null],
  ] as const

  /** Another workspace's session is no session on this host: 401, as nobody's. */
  const signedOut = (who: Who) => who === "nobody" || who === "otherWorkspace"

  it("P-AGT-5: customers, agents without tickets.work (portal.settings alone too) and agents of another workspace are refused on every procedure and on /agent/events", async () => {
    const clients = new Map<Who, Awaited<ReturnType<typeof callerFor>>>()
    for (const who of ["nobody", "customer", "noPermission", "settingsOnly", "otherWorkspace"] as const)
      clients.set(who, await callerFor(who))
    const hana = await agent()
    const eventsBefore = data(await hana.query("agent.tickets.list", { limit: 100 }))
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...clients.keys()),
        fc.constantFrom(...procedures),
        fc.string({ maxLength: 8 }),
        async (who, [kind, path, input], noise) => {
          const c = clients.get(who)!
          if (kind === "sse") {
            const stream = await openEvents(c)
            stream.close()
            expect(stream.status).toBe(signedOut(who) ? 401 : 403)
            return
          }
          const payload =
            input === null ? undefined : { ...input, ...("text" in input ? { text: `${input.text}${noise}` } : {}) }
          const res = kind === "query" ? await c.query(path, payload) : await c.mutate(path, payload)
          expect(res.status).toBe(signedOut(who) ? 401 : 403)
          expect(res.text).not.toContain("t2")
        },
      ),
      { numRuns: 60 },
    )
    // Nothing was written: the tickets and their versions are as they were.
    const eventsAfter = data(await hana.query("agent.tickets.list", { limit: 100 }))
    expect(eventsAfter.items).toEqual(eventsBefore.items)
    // An agent with the permission passes (the same session type, so the refusals above are the permission's).
    expect((await hana.query("agent.tickets.list", {})).status).toBe(200)
  })
})

describe("live updates (P-AGT-4)", () => {
  it("P-AGT-4: an agent's open stream gets new tickets, customer replies and changes, and resumes after Last-Event-ID", async () => {
    const hana = await agent()
    const ken = await customer()
    const stream = await openEvents(hana)
    expect(stream.status).toBe(200)
    await ken.mutate("tickets.reply", { ticketId: "t2", text: "Still broken", idempotencyKey: "live-1" })
    const reply = await stream.waitFor((e) => e.data.kind === "reply" && e.data.ticketId === "t2")
    expect(reply.event).toBe("ticket")
    expect(reply.id).toBe(String(reply.data.sequence))
    const t9 = data(await hana.query("agent.tickets.get", { ticketId: "t9" }))
    await hana.mutate("agent.tickets.update", { ticketId: "t9", version: t9.ticket.version, ownerId: "u2" })
    await stream.waitFor((e) => e.data.kind === "ticket.ownerChanged" && e.data.ticketId === "t9")
    stream.close()
    // Missed while away: a reconnect with Last-Event-ID gets it.
    await ken.mutate("tickets.reply", { ticketId: "t2", text: "Hello?", idempotencyKey: "live-2" })
    const resumed = await openEvents(hana, "/agent/events", { "last-event-id": reply.id! })
    const missed = await resumed.waitFor((e) => e.data.kind === "reply" && e.data.sequence > reply.data.sequence)
    expect(missed.data.ticketId).toBe("t2")
    resumed.close()
  })

  it("P-AGT-4: a page that does not ask for an event stream falls through to the pages", async () => {
    const hana = await agent()
    const res = await hana.request("/agent/events", { headers: { accept: "text/html" } })
    expect(res.headers["content-type"]).not.toContain("text/event-stream")
  })
})
