/**
 * P-DATA-3 (issue 12, "a 500 is a defect"): while the database is unavailable the pages answer 503
 * with Retry-After and the translated "temporarily unavailable" page (en and ja), for loads and
 * form actions, and the same pages answer 200 once it is back. The server runs on PostgreSQL
 * through a proxy that reads the wire protocol (support/PgFaultProxy.ts), with the built portal
 * (apps/portal/build/handler.js, `pnpm --filter @portal/portal build`). Two real outages:
 * - the database goes away after the request's context was read: every statement but the
 *   caller's read ends its connection, so the page's load (and a form action) gets the API's
 *   SERVICE_UNAVAILABLE through the in-process caller (this was SvelteKit's 500);
 * - the database cannot be reached at all (the proxy stopped): the request context itself cannot
 *   be read (this was the server's JSON 503, no page).
 * Skipped, with the reason printed, when no PostgreSQL server is reachable.
 */
import { join } from "node:path"
import type { WorkspaceId } from "@portal/core/domain"
import { invalidateCatalog } from "@portal/core/usecases"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { en } from "../../portal/src/lib/i18n/en.ts"
import { ja } from "../../portal/src/lib/i18n/ja.ts"
import { REPO_ROOT } from "../src/Config.ts"
import type { Client, HttpResponse } from "./support/Http.ts"
import { type PgFaultProxy, startPgFaultProxy } from "./support/PgFaultProxy.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

const HANDLER = join(REPO_ROOT, "apps", "portal", "build", "handler.js")

let database: FreshDatabase | null = null
let proxy: PgFaultProxy | undefined
let world: World | undefined
/** ken@globex.test on Acme (English, localhost) and on Sakura (Japanese, 127.0.0.1). */
let acme: Client
let sakura: Client

beforeAll(async () => {
  database = await freshDatabase("pages503")
  if (database === null) return
  const url = new URL(database.url)
  proxy = await startPgFaultProxy({ host: url.hostname, port: Number(url.port || 5432) })
  url.port = String(proxy.port)
  world = await startWorld({ storage: { kind: "postgres", url: url.toString() }, portalHandler: HANDLER })
  acme = world.client("localhost")
  sakura = world.client("127.0.0.1")
  await acme.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  await sakura.signIn("ken@globex.test", CUSTOMER_PASSWORD)
}, 120_000)

afterAll(async () => {
  proxy?.refuse(null)
  await world?.close()
  await proxy?.stop()
  await database?.drop()
})

/** Every statement after the request's context (the caller's read) loses its connection. */
const afterTheContext = () => proxy?.refuse((s) => s.name !== "portal_caller_read")

const PAGES = { list: "/tickets", ticket: "/tickets/t1" } as const

const expectUnavailablePage = (res: HttpResponse, lang: "en" | "ja") => {
  const t = lang === "en" ? en : ja
  expect(res.status, res.text.slice(0, 300)).toBe(503)
  expect(res.headers["retry-after"]).toBe("5")
  expect(res.headers["content-type"]).toMatch(/^text\/html/)
  expect(res.text).toContain(`<html lang="${lang}"`)
  expect(res.text).toContain(t["error.unavailable.title"])
  expect(res.text).toContain(t["error.unavailable.body"])
  expect(res.text).not.toContain(t["error.title"])
}

const expectPagesBack = async () => {
  for (const [client, subject] of [
    [acme, "Invoice is wrong"],
    [sakura, "請求書の金額が違います"],
  ] as const) {
    const list = await client.request(PAGES.list)
    expect(list.status).toBe(200)
    expect(list.text).toContain(subject)
    const ticket = await client.request(PAGES.ticket)
    expect(ticket.status).toBe(200)
    expect(ticket.text).toContain(subject)
  }
}

/** A reply posted through the ticket page's form action, as a browser without (or with) JavaScript. */
const postReply = (client: Client, text: string, enhanced: boolean) =>
  client.request(`${PAGES.ticket}?/reply`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: `http://${client.host}:${client.port}`,
      ...(enhanced ? { "x-sveltekit-action": "true", accept: "application/json" } : { accept: "text/html" }),
    },
    body: new URLSearchParams({ text, idempotencyKey: `pages503-${text}` }).toString(),
  })

describe("P-DATA-3: pages while the database is unavailable", () => {
  it("P-DATA-3: the database gone after the request's context: the list and ticket pages answer the translated 503 page (en, ja) with Retry-After, then 200 once it is back", async (ctx) => {
    if (world === undefined || proxy === undefined) return ctx.skip()
    await expectPagesBack()
    afterTheContext()
    try {
      for (const [client, lang] of [
        [acme, "en"],
        [sakura, "ja"],
      ] as const) {
        for (const path of Object.values(PAGES)) {
          const res = await client.request(path)
          expectUnavailablePage(res, lang)
          // The frame was read (the context and the portal's settings came before the outage).
          expect(res.text).toContain(lang === "en" ? en["shell.signOut"] : ja["shell.signOut"])
        }
      }
      // The pages' own reads were the ones refused: the ticket list's and the ticket's.
      const refused = proxy.refused().map((s) => s.name)
      expect(refused.some((n) => n.startsWith("portal_ticket_list"))).toBe(true)
      expect(refused.some((n) => n.startsWith("portal_ticket_get"))).toBe(true)
    } finally {
      proxy.refuse(null)
    }
    await expectPagesBack()
  })

  it("P-DATA-3: the database gone while the page's frame is read (the portal's catalog not in this node's cache): the 503 page without the frame, not SvelteKit's bare fallback page", async (ctx) => {
    if (world === undefined || proxy === undefined) return ctx.skip()
    const server = world.server
    afterTheContext()
    try {
      for (const [client, lang, workspace] of [
        [acme, "en", "acme"],
        [sakura, "ja", "sakura"],
      ] as const) {
        // As after a settings change: the next page reads the catalog from the database.
        await server.runtime.runPromise(invalidateCatalog(workspace as WorkspaceId))
        const res = await client.request(PAGES.list)
        expectUnavailablePage(res, lang)
        expect(res.text).not.toContain(lang === "en" ? en["shell.signOut"] : ja["shell.signOut"])
      }
      expect(proxy.refused().some((s) => s.name === "portal_catalog")).toBe(true)
    } finally {
      proxy.refuse(null)
    }
    await expectPagesBack()
  })

  it("P-DATA-3: a reply's form action while the database is gone answers 503 (the page, or the enhanced form's error result) and stores nothing", async (ctx) => {
    if (world === undefined || proxy === undefined) return ctx.skip()
    afterTheContext()
    try {
      expectUnavailablePage(await postReply(acme, "Sent during the outage", false), "en")
      expectUnavailablePage(await postReply(sakura, "障害中の返信", false), "ja")
      const enhanced = await postReply(acme, "Sent during the outage, enhanced", true)
      expect(enhanced.status).toBe(503)
      expect(enhanced.json).toMatchObject({ type: "error", error: { key: "unavailable" } })
    } finally {
      proxy.refuse(null)
    }
    const ticket = await acme.request(PAGES.ticket)
    expect(ticket.status).toBe(200)
    expect(ticket.text).not.toContain("Sent during the outage")
    expect((await sakura.request(PAGES.ticket)).text).not.toContain("障害中の返信")
  })

  it("P-DATA-3: the database unreachable (the request's context cannot be read): the pages answer the translated 503 page in the portal's language, the API its JSON 503, then 200 once it is back", async (ctx) => {
    if (world === undefined || proxy === undefined) return ctx.skip()
    await proxy.stop()
    try {
      for (const [client, lang] of [
        [acme, "en"],
        [sakura, "ja"],
      ] as const) {
        for (const path of Object.values(PAGES)) expectUnavailablePage(await client.request(path), lang)
      }
      // The form action too (the request never reaches it: its context could not be read).
      expectUnavailablePage(await postReply(acme, "Sent while unreachable", false), "en")
      // A host this server has not seen yet: the browser's language.
      const fresh = world.client("portal.unseen.test")
      expectUnavailablePage(await fresh.request("/tickets", { headers: { "accept-language": "fr, ja;q=0.8" } }), "ja")
      // The API answers as it did: JSON, not a page.
      const api = await acme.query("tickets.list", {})
      expect(api.status).toBe(503)
      expect(api.headers["content-type"]).toMatch(/json/)
    } finally {
      await proxy.start()
    }
    await expectPagesBack()
    expect((await acme.request(PAGES.ticket)).text).not.toContain("Sent while unreachable")
  })

  it("other errors keep their answers: a missing ticket is 404, a page without a session redirects to sign-in", async (ctx) => {
    if (world === undefined) return ctx.skip()
    const missing = await acme.request("/tickets/no-such-ticket")
    expect(missing.status).toBe(404)
    expect(missing.text).toContain(en["error.notFound.title"])
    expect(missing.headers["retry-after"]).toBeUndefined()
    const anonymous = await world.client().request(PAGES.list)
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.location).toMatch(/sign-in/)
  })
})
