/**
 * The HTTP host itself: health probes, the workspace chosen by the Host header (P-DOM-1), unknown
 * hosts, CSRF rules for /trpc mutations, the Secure cookie behind a trusted proxy, security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Client, data, error } from "./support/Http.ts"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let proxied: World
beforeAll(async () => {
  world = await startWorld()
  proxied = await startWorld({ trustProxy: 1 })
})
afterAll(async () => {
  await world.close()
  await proxied.close()
})

describe("health", () => {
  it("/healthz and /readyz answer on any host", async () => {
    const c = new Client(world.port, "unknown.example")
    expect((await c.request("/healthz")).json).toEqual({ status: "ok" })
    const ready = await c.request("/readyz")
    expect(ready.status).toBe(200)
    expect(ready.json).toEqual({ status: "ready", workspaces: 2 })
  })
})

describe("P-DOM-1 the host picks the workspace", () => {
  it("resolves hosts case-insensitively and without the port; the other host is the other workspace", async () => {
    const upper = new Client(world.port, "LOCALHOST")
    expect(data(await upper.query("portal.info")).workspace.id).toBe("acme")
    const ja = data(await world.client("127.0.0.1").query("portal.info"))
    expect(ja).toMatchObject({ workspace: { id: "sakura" }, language: "ja", ticketLabel: "お問い合わせ" })
  })

  it("an unknown host gets 404 on pages, API and files", async () => {
    const c = new Client(world.port, "unknown.example")
    expect((await c.request("/tickets")).status).toBe(404)
    const info = await c.query("portal.info")
    expect(info.status).toBe(404)
    expect(error(info)?.message).toBe("Not found")
    expect((await c.mutate("auth.signIn", { email: "ken@globex.test", password: CUSTOMER_PASSWORD })).status).toBe(404)
    expect((await c.request("/files/m1%230")).status).toBe(404)
    expect((await c.request("/sso/jwt?token=x")).status).toBe(404)
  })
})

describe("CSRF on /trpc", () => {
  it("refuses a mutation sent as a form, multipart or text/plain; accepts JSON", async () => {
    const c = world.client()
    const body = JSON.stringify({ email: "ken@globex.test", password: CUSTOMER_PASSWORD })
    for (const type of ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]) {
      const res = await c.request("/trpc/auth.signIn", { method: "POST", headers: { "content-type": type }, body })
      expect(res.status, type).toBe(415)
      expect(res.setCookies).toEqual([])
    }
    const none = await c.request("/trpc/auth.signIn", { method: "POST", body })
    expect(none.status).toBe(415)
    expect(error(none)?.message).toMatch(/application\/json/)
    expect((await c.mutate("auth.signIn", { email: "ken@globex.test", password: CUSTOMER_PASSWORD })).status).toBe(200)
  })
})

describe("Secure cookies and proxies", () => {
  it("ignores X-Forwarded-Proto unless TRUST_PROXY is set", async () => {
    const res = await world
      .client()
      .mutate(
        "auth.signIn",
        { email: "ken@globex.test", password: CUSTOMER_PASSWORD },
        { "x-forwarded-proto": "https" },
      )
    expect(res.setCookies.find((l) => l.startsWith("portal_session="))).not.toMatch(/Secure/i)
  })

  it("marks the cookie Secure behind a trusted TLS proxy; email links keep the configured origin (P-SEC-5)", async () => {
    const https = { "x-forwarded-proto": "https" }
    const res = await proxied
      .client()
      .mutate("auth.signIn", { email: "ken@globex.test", password: CUSTOMER_PASSWORD }, https)
    expect(res.setCookies.find((l) => l.startsWith("portal_session="))).toMatch(/; Secure/i)
    await proxied.client().mutate("auth.requestPasswordReset", { email: "mia@initech.test" }, https)
    const mail = await proxied.smtp.waitFor((m) => m.to === "mia@initech.test")
    // P-SEC-5: links come from configuration, not the request: a loopback domain's default is http
    // and the server's port (PORTAL_PUBLIC_SCHEME=https makes them https).
    expect(mail.text).toContain(`http://localhost:${proxied.port}/account/reset-password?token=`)
  })
})

describe("the fast lane behind a proxy (issue 9: GET queries skip Express's init)", () => {
  // A GET query with a session cookie that names no session clears the cookie; the cleared
  // cookie is Secure exactly when the request came over TLS as Express's req.protocol reads it:
  // the socket, or X-Forwarded-Proto from a proxy TRUST_PROXY believes.
  const clearedCookie = async (w: World, headers: Record<string, string>) => {
    const client = w.client()
    client.cookies.set("portal_session", "no-such-session-token-0123456789")
    const res = await client.query("auth.me", undefined, headers)
    expect(res.status).toBe(200)
    const cookie = res.setCookies.find((l) => l.startsWith("portal_session="))
    expect(cookie).toBeDefined()
    return cookie
  }
  it("marks a cleared cookie Secure behind a trusted TLS proxy, and only there", async () => {
    const https = { "x-forwarded-proto": "https" }
    expect(await clearedCookie(proxied, https)).toMatch(/; Secure/i)
    expect(await clearedCookie(proxied, {})).not.toMatch(/Secure/i)
    expect(await clearedCookie(world, https)).not.toMatch(/Secure/i)
  })
})

describe("headers", () => {
  it("sends nosniff and no x-powered-by on every response", async () => {
    const res = await world.client().query("portal.info")
    expect(res.headers["x-content-type-options"]).toBe("nosniff")
    expect(res.headers["x-powered-by"]).toBeUndefined()
  })
})
