/**
 * P-AGT-4 on any node: two servers (each its own runtime, pg pool and LISTEN connection, as two
 * processes behind a load balancer) on one PostgreSQL database. An agent's stream on server A
 * hears a customer's reply and a new ticket written through server B. The fallback poll is
 * switched off (10 minutes), so only LISTEN/NOTIFY can deliver. Skipped without a server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentEventTimings } from "../src/http/AgentEvents.ts"
import { data } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"
import { openEvents } from "./support/Sse.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let database: FreshDatabase | null = null
let a: World | undefined
let b: World | undefined

beforeAll(async () => {
  database = await freshDatabase("agent_live")
  if (database === null) return
  agentEventTimings.pollMs = 10 * 60_000
  a = await startWorld({ storage: database.storage })
  b = await startWorld({ storage: database.storage })
}, 120_000)
afterAll(async () => {
  await a?.close()
  await b?.close()
  await database?.drop()
})

describe("live updates across server processes on one PostgreSQL database (P-AGT-4)", () => {
  it("P-AGT-4: a customer's reply and a new ticket written through server B reach an agent's stream on server A", async (ctx) => {
    if (a === undefined || b === undefined) return ctx.skip()
    const hana = a.client()
    await hana.signIn(ADMIN.email, ADMIN.password, true)
    const stream = await openEvents(hana)
    expect(stream.status).toBe(200)
    const ken = b.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const replied = await ken.mutate("tickets.reply", {
      ticketId: "t2",
      text: "From node B",
      idempotencyKey: "node-b-1",
    })
    expect(replied.status).toBe(200)
    const reply = await stream.waitFor((e) => e.data.kind === "reply" && e.data.ticketId === "t2", 20_000)
    expect(Number(reply.id)).toBe(reply.data.sequence)
    // A new ticket from the helpdesk through node B's integration API.
    const created = await b.client().mutate(
      "integration.tickets.upsert",
      {
        ticket: {
          id: "live-new",
          subject: "Created on B",
          content: "",
          pipelineId: "support",
          stageId: "new",
          requesterId: "p1",
          createdAt: "2026-12-01T10:00:00Z",
          lastActivityAt: "2026-12-01T10:00:00Z",
          properties: {},
          contactIds: ["p1"],
          companyIds: [],
        },
        idempotencyKey: "live-new",
      },
      { authorization: `Bearer ${ACME_TOKEN}` },
    )
    expect(created.status).toBe(200)
    await stream.waitFor((e) => e.data.kind === "ticketCreated" && e.data.ticketId === "live-new", 20_000)
    // And server A's list has it (one database).
    const list = data(await hana.query("agent.tickets.list", { search: "Created on B" }))
    expect(list.items.map((t: { id: string }) => t.id)).toEqual(["live-new"])
    stream.close()
  }, 90_000)
})
