/**
 * The glue with the SvelteKit app: when apps/portal/build/handler.js exists it is mounted after
 * the API routes, and every request it sees carries `req.portalRequest = { caller, portal,
 * session, sessionEnded }`. A stand-in handler (same module shape as adapter-node's) proves it:
 * it calls the API in-process through the caller, like hooks.server.ts and the form actions do,
 * and sets its own cookie the way SvelteKit does (setHeader), which must not drop the session cookie.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

const dir = mkdtempSync(join(tmpdir(), "portal-pages-"))
const handler = join(dir, "handler.js")
writeFileSync(
  handler,
  `import http from "node:http"
export const handler = async (req, res) => {
  const pr = req.portalRequest
  const url = new URL(req.url, "http://x")
  let body
  if (url.pathname === "/sign-in") {
    await pr.caller.auth.signIn({ email: url.searchParams.get("email"), password: url.searchParams.get("password") })
    res.setHeader("set-cookie", ["sveltekit_flash=1; Path=/"])
    body = { signedIn: true }
  } else {
    const info = await pr.caller.portal.info()
    body = { portal: pr.portal, session: pr.session, sessionEnded: pr.sessionEnded, pageTitle: info.pageTitle, protocol: req.headers["x-portal-protocol"],
      nodePrototypes: Object.getPrototypeOf(req) === http.IncomingMessage.prototype && Object.getPrototypeOf(res) === http.ServerResponse.prototype }
  }
  res.writeHead(200, { "content-type": "application/json" })
  res.end(JSON.stringify(body))
}
`,
)

let world: World
beforeAll(async () => {
  world = await startWorld({ portalHandler: handler })
})
afterAll(async () => {
  await world.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("the SvelteKit handler and req.portalRequest", () => {
  it("gets the resolved portal and an in-process caller for every page request", async () => {
    const res = await world.client().request("/tickets", { headers: { "x-portal-protocol": "https" } })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      portal: { workspaceId: "acme", host: "localhost", language: "en", enabled: true, slug: "tickets" },
      session: null,
      sessionEnded: null,
      pageTitle: "Acme Support",
      protocol: "http",
      // Issue 9: a GET for a page takes the page lane (App.ts): the handler gets Node's own request
      // and response, not objects whose prototypes Express replaced.
      nodePrototypes: true,
    })
  })

  it("a sign-in through the caller sets the session cookie next to the page's own cookie", async () => {
    const c = world.client()
    const res = await c.request(`/sign-in?email=ken%40globex.test&password=${CUSTOMER_PASSWORD}`)
    expect(res.setCookies.some((l) => l.startsWith("sveltekit_flash=1"))).toBe(true)
    expect(res.setCookies.some((l) => l.startsWith("portal_session=") && /HttpOnly/i.test(l))).toBe(true)
    const page = await c.request("/tickets")
    expect(page.json.session.subject).toEqual({ type: "contact", id: "p1" })
    expect(JSON.stringify(page.json)).not.toContain(c.cookies.get("portal_session"))
  })

  it("an unknown host never reaches the pages", async () => {
    const res = await world.client("unknown.example").request("/tickets")
    expect(res.status).toBe(404)
    expect(res.text).toMatch(/No portal here/)
  })

  it("API routes stay in front of the pages", async () => {
    expect((await world.client().request("/healthz")).json).toEqual({ status: "ok" })
    expect((await world.client().request("/files/nope")).status).toBe(404)
  })
})
