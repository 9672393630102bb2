/**
 * P-AUTH-5 sign-in by SAML 2.0 over real HTTP: the portal redirects to the IdP with an
 * AuthnRequest; the test plays the IdP, signs the Assertion with xml-crypto and POSTs it to the
 * ACS. Valid → session and redirect; replayed, tampered, wrong audience or wrong request → no session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Client } from "./support/Http.ts"
import { data } from "./support/Http.ts"
import { authnRequestId, IDP_SSO_URL, type IdpKeys, makeIdpKeys, samlResponse } from "./support/Saml.ts"
import { startWorld, type World } from "./support/World.ts"

const SP_ENTITY_ID = "https://support.acme.test/sso/saml/metadata"
let world: World
let keys: IdpKeys
beforeAll(async () => {
  keys = await makeIdpKeys()
  world = await startWorld({
    edit: (acme) => {
      acme.portal.access = {
        method: "sso",
        protocol: "saml",
        audience: { listIds: ["l1"] },
        saml: { entryPoint: IDP_SSO_URL, idpCertPem: keys.cert, issuer: SP_ENTITY_ID },
      }
    },
  })
})
afterAll(() => world.close())

const acs = () => `http://localhost:${world.port}/sso/saml/acs`
const hasSession = (lines: ReadonlyArray<string>) =>
  lines.some((l) => l.startsWith("portal_session=") && !/Max-Age=0/i.test(l))
const post = (c: Client, response: string, relayState = "/tickets/t2") =>
  c.request("/sso/saml/acs", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ SAMLResponse: response, RelayState: relayState }).toString(),
  })

/** SP-initiated: start at /sso/saml/login, return the AuthnRequest id (the client keeps the cookie). */
const start = async (c: Client) => {
  const res = await c.request("/sso/saml/login?redirect=%2Ftickets%2Ft2")
  expect(res.status).toBe(303)
  expect(res.headers.location).toMatch(new RegExp(`^${IDP_SSO_URL}\\?SAMLRequest=`))
  return authnRequestId(String(res.headers.location))
}

describe("P-AUTH-5 SAML sign-in", () => {
  it("publishes the SP metadata with the ACS URL", async () => {
    const res = await world.client().request("/sso/saml/metadata")
    expect(res.status).toBe(200)
    expect(res.text).toContain(acs())
    expect(res.text).toContain(SP_ENTITY_ID)
  })

  it("SP-initiated: a signed assertion for a contact in the lists starts a session and goes to RelayState", async () => {
    const c = world.client()
    const requestId = await start(c)
    const response = samlResponse(keys, {
      email: "ken@globex.test",
      audience: SP_ENTITY_ID,
      recipient: acs(),
      inResponseTo: requestId,
    })
    const res = await post(c, response)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe("/tickets/t2")
    expect(hasSession(res.setCookies)).toBe(true)
    expect(data(await c.query("auth.me")).subject).toMatchObject({ type: "contact", id: "p1" })
    const replay = await post(world.client(), response)
    expect(replay.headers.location).toBe("/account/access-denied?reason=replayed")
    expect(hasSession(replay.setCookies)).toBe(false)
  })

  it("refuses a response to another request, a wrong audience, a tampered assertion and a foreign RelayState", async () => {
    const c = world.client()
    await start(c)
    const other = samlResponse(keys, {
      email: "ken@globex.test",
      audience: SP_ENTITY_ID,
      recipient: acs(),
      inResponseTo: "_not-our-request",
    })
    expect((await post(c, other)).headers.location).toBe("/account/access-denied?reason=wrongAudience")
    const audience = samlResponse(keys, {
      email: "ken@globex.test",
      audience: "https://other-sp.test",
      recipient: acs(),
    })
    const wrongAudience = await post(world.client(), audience)
    expect(wrongAudience.headers.location).toMatch(/^\/account\/access-denied\?reason=/)
    expect(hasSession(wrongAudience.setCookies)).toBe(false)
    const tampered = samlResponse(
      keys,
      { email: "mia@initech.test", audience: SP_ENTITY_ID, recipient: acs() },
      (xml) => xml.replace("mia@initech.test", "ken@globex.test"),
    )
    const bad = await post(world.client(), tampered)
    expect(bad.headers.location).toBe("/account/access-denied?reason=badSignature")
    expect(hasSession(bad.setCookies)).toBe(false)
    const garbage = await post(world.client(), "not base64 at all!")
    expect(garbage.headers.location).toBe("/account/access-denied?reason=malformed")
    const foreign = samlResponse(keys, { email: "ken@globex.test", audience: SP_ENTITY_ID, recipient: acs() })
    expect((await post(world.client(), foreign, "https://evil.test/")).headers.location).toBe("/tickets")
  })

  it("P-SEC-1: a RelayState the browser reads as another host goes to the ticket list", async () => {
    for (const relayState of ["/.//evil.test/phish", "/%2e//evil.test/phish", "/\t/evil.test/phish"]) {
      const response = samlResponse(keys, { email: "ken@globex.test", audience: SP_ENTITY_ID, recipient: acs() })
      const res = await post(world.client(), response, relayState)
      expect([res.status, res.headers.location], JSON.stringify(relayState)).toEqual([303, "/tickets"])
    }
  })

  it("refuses a contact outside the chosen lists", async () => {
    const response = samlResponse(keys, { email: "yuki@globex.test", audience: SP_ENTITY_ID, recipient: acs() })
    const res = await post(world.client(), response)
    expect(res.headers.location).toBe("/account/access-denied?reason=notInAudience")
    expect(hasSession(res.setCookies)).toBe(false)
  })
})
