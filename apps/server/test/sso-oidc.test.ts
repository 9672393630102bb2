/**
 * P-AUTH-5 sign-in by OpenID Connect over real HTTP, against a real local OpenID Provider
 * (oidc-provider): code flow with PKCE, state and nonce. A verified email of a contact in the
 * lists starts a session; a callback without this browser's state, an unverified email or a
 * contact outside the lists gives no session.
 */

import { CLIENT, signInAt, startOidcProvider } from "@portal/identity/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Client } from "./support/Http.ts"
import { data } from "./support/Http.ts"
import { startWorld, type World } from "./support/World.ts"

let world: World
let provider: Awaited<ReturnType<typeof startOidcProvider>>
beforeAll(async () => {
  provider = await startOidcProvider()
  world = await startWorld({
    oidcAllowInsecure: true,
    edit: (acme) => {
      acme.portal.access = {
        method: "sso",
        protocol: "oidc",
        audience: { listIds: ["l1"] },
        oidc: { issuer: provider.issuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      }
    },
  })
  provider.register(callbackUrl())
})
afterAll(async () => {
  await world.close()
  await provider.close()
})

const callbackUrl = () => `http://localhost:${world.port}/sso/oidc/callback`
const hasSession = (lines: ReadonlyArray<string>) =>
  lines.some((l) => l.startsWith("portal_session=") && !/Max-Age=0/i.test(l))

/** Start at the portal, sign in at the IdP as `account`; the callback path and query. */
const loginAs = async (c: Client, account: string, redirect = "/tickets/t2") => {
  const start = await c.request(`/sso/oidc/login?redirect=${encodeURIComponent(redirect)}`)
  expect(start.status).toBe(303)
  expect(String(start.headers.location)).toContain(`${provider.issuer}/`)
  expect(String(start.headers.location)).toContain("code_challenge_method=S256")
  const callback = new URL(await signInAt(String(start.headers.location), account, callbackUrl()))
  return `${callback.pathname}${callback.search}`
}

describe("P-AUTH-5 OpenID Connect sign-in", () => {
  it("a verified email of a contact in the lists starts a session and returns to the requested page", async () => {
    const c = world.client()
    const res = await c.request(await loginAs(c, "ken"))
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe("/tickets/t2")
    expect(hasSession(res.setCookies)).toBe(true)
    expect(data(await c.query("auth.me")).subject).toMatchObject({ type: "contact", id: "p1" })
  })

  it("P-SEC-1: a redirect the browser reads as another host, kept in the state, ends on the ticket list", async () => {
    for (const redirect of ["/.//evil.test/phish", "/\t/evil.test/phish"]) {
      const c = world.client()
      const res = await c.request(await loginAs(c, "ken", redirect))
      expect([res.status, res.headers.location], JSON.stringify(redirect)).toEqual([303, "/tickets"])
    }
  })

  it("refuses a callback in a browser that did not start the login (no state cookie)", async () => {
    const c = world.client()
    const callback = await loginAs(c, "ken")
    const other = world.client()
    const res = await other.request(callback)
    expect(res.headers.location).toBe("/account/access-denied?reason=stateMismatch")
    expect(hasSession(res.setCookies)).toBe(false)
  })

  it("refuses a callback whose state belongs to another login", async () => {
    const c = world.client()
    const first = await loginAs(c, "ken")
    await loginAs(c, "ken") // the cookie now holds the second login's state
    const res = await c.request(first)
    expect(res.headers.location).toBe("/account/access-denied?reason=stateMismatch")
  })

  it("refuses an unverified email and a contact outside the lists", async () => {
    const a = world.client()
    const unverified = await a.request(await loginAs(a, "unverified"))
    expect(unverified.headers.location).toBe("/account/access-denied?reason=idpError")
    expect(hasSession(unverified.setCookies)).toBe(false)
    const b = world.client()
    const outside = await b.request(await loginAs(b, "yuki"))
    expect(outside.headers.location).toBe("/account/access-denied?reason=notInAudience")
    expect(hasSession(outside.setCookies)).toBe(false)
  })
})
