/**
 * P-SEC-2 Every string input is checked at the edge, before any store sees it: NUL and other
 * control characters (tab and line breaks only in free text), lone surrogates and over-long values
 * are a 400 with a code (`invalid_characters`, `invalid_unicode`, `too_long`) at the field's path,
 * and nothing changes. A Host header with userinfo or a path is refused (400 `invalid_host`), never a 500.
 * On real PostgreSQL (TEST_DATABASE_URL; PGlite without a server), which refuses NUL bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error, type HttpResponse } from "./support/Http.ts"
import { type FreshDatabase, freshDatabase, storageOf } from "./support/Postgres.ts"
import { ACME_TOKEN, ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let database: FreshDatabase | null = null
let world: World
let ken: Client
let admin: Client
let api: Client
const bearer = { authorization: `Bearer ${ACME_TOKEN}` }

beforeAll(async () => {
  database = await freshDatabase("inputs")
  world = await startWorld({ storage: storageOf(database) })
  ken = world.client()
  await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  admin = world.client()
  await admin.signIn(ADMIN.email, ADMIN.password, true)
  api = world.client()
})
afterAll(async () => {
  await world?.close()
  await database?.drop()
})

/** A 400 whose issues name `path` with `code`. */
const expectIssue = (res: HttpResponse, path: string, code: string) => {
  expect(res.status, res.text.slice(0, 300)).toBe(400)
  expect(error(res)?.data.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]))
}

describe("P-SEC-2 strings are checked before they reach storage", () => {
  it("P-SEC-2 a NUL in an id, a search or a cursor is a 400 invalid_characters, not a 500", async () => {
    expectIssue(await ken.query("tickets.get", { ticketId: "\u0000" }), "ticketId", "invalid_characters")
    expectIssue(await ken.query("tickets.get", { ticketId: "t1\u0000" }), "ticketId", "invalid_characters")
    expectIssue(await ken.query("tickets.list", { q: "a\u0000b" }), "q", "invalid_characters")
    expectIssue(await ken.query("tickets.list", { cursor: "1:\u0000" }), "cursor", "invalid_characters")
    expectIssue(await ken.mutate("tickets.close", { ticketId: "\u0000" }), "ticketId", "invalid_characters")
  })

  it("P-SEC-2 sign-in, registration and reset refuse control characters and lone surrogates", async () => {
    const anon = world.client()
    expectIssue(
      await anon.mutate("auth.signIn", { email: "ken@globex.test\u0000", password: "x" }),
      "email",
      "invalid_characters",
    )
    expectIssue(
      await anon.mutate("auth.signIn", { email: "ken@globex.test", password: "\ud800" }),
      "password",
      "invalid_unicode",
    )
    expectIssue(
      await anon.mutate("auth.register", {
        email: "new@example.test",
        password: "long-enough-password-1",
        firstName: "A\u0000",
        lastName: "B",
        consent: true,
      }),
      "firstName",
      "invalid_characters",
    )
    expectIssue(await anon.mutate("auth.requestPasswordReset", { email: "\u0000" }), "email", "invalid_characters")
  })

  it("P-SEC-2 free text keeps tab and line breaks but refuses NUL, other controls and lone surrogates", async () => {
    const ok = await ken.mutate("tickets.reply", {
      ticketId: "t2",
      text: "line one\r\nline two\tindented",
      idempotencyKey: "inputs-ok",
    })
    expect(ok.status, ok.text).toBe(200)
    const before = data(await ken.query("tickets.get", { ticketId: "t2" })).messages.length
    expectIssue(
      await ken.mutate("tickets.reply", { ticketId: "t2", text: "nul \u0000 here", idempotencyKey: "inputs-1" }),
      "text",
      "invalid_characters",
    )
    expectIssue(
      await ken.mutate("tickets.reply", { ticketId: "t2", text: "bell \u0007", idempotencyKey: "inputs-2" }),
      "text",
      "invalid_characters",
    )
    expectIssue(
      await ken.mutate("tickets.reply", { ticketId: "t2", text: "half \ud83d pair", idempotencyKey: "inputs-3" }),
      "text",
      "invalid_unicode",
    )
    expectIssue(
      await ken.mutate("tickets.reply", { ticketId: "t2", text: "hi", idempotencyKey: "key\nwith break" }),
      "idempotencyKey",
      "invalid_characters",
    )
    expect(data(await ken.query("tickets.get", { ticketId: "t2" })).messages.length).toBe(before)
  })

  it("P-SEC-2 form values and their keys are checked (key as a line, value as text)", async () => {
    expectIssue(
      await ken.mutate("form.submit", {
        values: { subject: "ok", "content\u0000": "x" },
        idempotencyKey: "inputs-form-1",
      }),
      "values.content\u0000",
      "invalid_characters",
    )
    expectIssue(
      await ken.mutate("form.submit", { values: { subject: "\ud800" }, idempotencyKey: "inputs-form-2" }),
      "values.subject",
      "invalid_unicode",
    )
  })

  it("P-SEC-2 document-shaped integration and admin inputs are checked string by string", async () => {
    expectIssue(
      await api.mutate("integration.companies.upsert", { id: "c-nul", name: "Evil\u0000 Corp" }, bearer),
      "name",
      "invalid_characters",
    )
    expectIssue(
      await api.mutate("integration.companies.upsert", { id: "x".repeat(300), name: "Long id" }, bearer),
      "id",
      "too_long",
    )
    const settings = data(await admin.query("admin.settings.get"))
    expectIssue(
      await admin.mutate("admin.settings.update", {
        settings: { ...settings.settings, pageTitle: "Title\u0000" },
        version: settings.version,
      }),
      "settings.pageTitle",
      "invalid_characters",
    )
    expectIssue(
      await api.mutate(
        "integration.messages.create",
        { ticketId: "t6", agentId: "u1", text: "\u0000", idempotencyKey: "inputs-agent-1" },
        bearer,
      ),
      "text",
      "invalid_characters",
    )
    expect((await api.mutate("integration.companies.upsert", { id: "c-ok", name: "Tab\tCorp" }, bearer)).status).toBe(
      200,
    )
  })

  it("P-SEC-2 /files with a NUL or a broken escape is the usual 404", async () => {
    for (const path of ["/files/%00", "/files/a%00b", "/files/%ED%A0%80", "/files/%E0%A4%A"]) {
      const res = await ken.request(path)
      expect(res.status, `${path}: ${res.text}`).toBeLessThan(500)
      expect([400, 404]).toContain(res.status)
    }
  })
})

describe("P-SEC-2 Host headers are parsed, never trusted", () => {
  it("P-SEC-2 a Host with userinfo, a path or a bad port is refused (400 invalid_host), and no reset email is sent", async () => {
    const sent = world.smtp.messages.length
    for (const host of ["localhost:1@evil.test", "user:pass@localhost", "localhost/evil", "localhost:99999"]) {
      const res = await world.client().request("/trpc/auth.requestPasswordReset", {
        method: "POST",
        headers: { host, "content-type": "application/json" },
        body: JSON.stringify({ email: "ken@globex.test" }),
      })
      expect(res.status, `${host}: ${res.text}`).toBe(400)
      expect(res.text).toContain("invalid_host")
      const info = await world.client().request("/trpc/portal.info", { headers: { host } })
      expect(info.status, `${host}: ${info.text}`).toBe(400)
    }
    expect(world.smtp.messages.length).toBe(sent)
  })

  it("P-SEC-2 a host with a port that is not a configured domain is simply unknown", async () => {
    expect((await world.client().request("/trpc/portal.info", { headers: { host: "evil.test:3000" } })).status).toBe(
      404,
    )
    // The configured host with any port is still that portal (P-DOM-1).
    expect((await world.client().request("/trpc/portal.info", { headers: { host: "LOCALHOST:8080" } })).status).toBe(
      200,
    )
  })
})
