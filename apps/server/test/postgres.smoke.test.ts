/**
 * The same server on @portal/storage-postgres (embedded PGlite, in memory): a smoke run through
 * the main routes, including what the server adds on that adapter (agents' passwords and domains
 * through the WorkspaceStore, sessions and rate limits in the database).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data } from "./support/Http.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
beforeAll(async () => {
  world = await startWorld({ storage: { kind: "pglite", dataDir: "memory" } })
})
afterAll(() => world?.close())

describe("on PGlite", () => {
  it("is ready and resolves both demo hosts", async () => {
    expect((await world.client().request("/readyz")).json).toEqual({ status: "ready", workspaces: 2 })
    expect(data(await world.client("127.0.0.1").query("portal.info")).workspace.id).toBe("sakura")
  })

  it("signs in, lists, replies with a file, downloads it, closes, and signs out", async () => {
    const ken = world.client()
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    expect(data(await ken.query("tickets.list")).items.length).toBeGreaterThan(0)
    const reply = data(
      await ken.mutate("tickets.reply", {
        ticketId: "t2",
        text: "log attached",
        attachments: [
          { name: "log.txt", contentType: "text/plain", dataBase64: Buffer.from("line 1\n").toString("base64") },
        ],
        idempotencyKey: "pg-1",
      }),
    )
    const detail = data(await ken.query("tickets.get", { ticketId: "t2" }))
    const file = detail.messages.find((m: { id: string }) => m.id === reply.messageId).attachments[0]
    const download = await ken.request(file.url)
    expect(download.status).toBe(200)
    expect(download.text).toBe("line 1\n")
    expect(data(await ken.mutate("tickets.close", { ticketId: "t2" }))).toEqual({ closed: true })
    const other = world.client()
    await other.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    expect((await other.request(file.url)).status).toBe(404)
    await ken.mutate("auth.signOut")
    expect((await ken.query("tickets.list")).status).toBe(401)
  })

  it("signs an agent in with the imported password hash and changes domains", async () => {
    const admin = world.client()
    await admin.signIn(ADMIN.email, ADMIN.password, true)
    expect((await admin.mutate("auth.agentSignIn", { email: ADMIN.email, password: "wrong-password-1" })).status).toBe(
      401,
    )
    const set = await admin.mutate("admin.domains.set", {
      domains: [
        { host: "localhost", language: "en" },
        { host: "help.acme.test", language: "ja" },
      ],
    })
    expect(set.status).toBe(200)
    expect(data(await world.client("help.acme.test").query("portal.info")).language).toBe("ja")
    expect((await admin.mutate("admin.domains.set", { domains: [{ host: "127.0.0.1", language: "en" }] })).status).toBe(
      409,
    )
  })

  it("feeds events to the integration", async () => {
    const events = data(
      await world.client().query("integration.events", { after: 0 }, { authorization: `Bearer ${ACME_TOKEN}` }),
    )
    expect(events.events.map((e: { kind: string }) => e.kind)).toEqual(["reply", "close"])
  })
})
