import { inflateRawSync } from "node:zlib"
import type { SamlConfig } from "@portal/core/domain"
import { Effect, Exit } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import {
  type ClaimOnce,
  createSamlLoginUrl,
  type SsoIdentity,
  type SsoRejectReason,
  samlServiceProviderMetadata,
  verifySamlResponse,
} from "../src/index.ts"
import {
  ACS_URL,
  assertionXml,
  b64,
  type IdpKeys,
  makeIdpKeys,
  responseXml,
  SP_ENTITY_ID,
  samlResponse,
  signElement,
  signedAssertion,
} from "../src/SamlTesting.ts"

let idp: IdpKeys
let attacker: IdpKeys
let config: SamlConfig

beforeAll(async () => {
  ;[idp, attacker] = await Promise.all([makeIdpKeys(), makeIdpKeys("evil.test")])
  config = { entryPoint: "https://idp.test/sso", idpCertPem: idp.cert, issuer: SP_ENTITY_ID }
})

const claims = () => {
  const seen = new Set<string>()
  const claimOnce: ClaimOnce = async (key) => !seen.has(key) && Boolean(seen.add(key))
  return { seen, claimOnce }
}

const verify = (response: string, options: { claimOnce?: ClaimOnce; requestId?: string; cfg?: SamlConfig } = {}) =>
  Effect.runPromiseExit(
    verifySamlResponse(options.cfg ?? config, response, {
      callbackUrl: ACS_URL,
      claimOnce: options.claimOnce ?? claims().claimOnce,
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    }),
  )

const ok = (exit: Exit.Exit<SsoIdentity, unknown>): SsoIdentity => {
  if (Exit.isFailure(exit)) throw new Error(`expected an identity, got ${JSON.stringify(exit.cause)}`)
  return exit.value
}
const refused = (exit: Exit.Exit<unknown, unknown>, reason: SsoRejectReason) => {
  expect(Exit.isFailure(exit)).toBe(true)
  expect(JSON.stringify(Exit.isFailure(exit) ? exit.cause : null)).toContain(`"reason":"${reason}"`)
}
const past = (ms: number) => new Date(Date.now() - ms)

describe("verifySamlResponse", () => {
  it("accepts an assertion signed by the IdP: email from the NameID, name from an attribute", async () => {
    const c = claims()
    const end = new Date(Date.now() + 4 * 60_000)
    const id = ok(
      await verify(samlResponse(idp, { assertionId: "_a1", notOnOrAfter: end }), { claimOnce: c.claimOnce }),
    )
    expect(id).toEqual({
      protocol: "saml",
      email: "ken@globex.test",
      name: "Ken Ito",
      subjectId: "ken@globex.test",
      tokenId: "_a1",
      expiresAt: end.toISOString(),
    })
    expect([...c.seen]).toEqual(["_a1"])
  })

  it("takes the email from an email attribute when the NameID is not an email", async () => {
    const id = ok(
      await verify(
        samlResponse(idp, {
          nameId: "00u1abcd",
          nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
          attributes: { email: "Aiko@Sakura.test", givenName: "Aiko", sn: "Tanaka" },
        }),
      ),
    )
    expect(id).toMatchObject({ email: "aiko@sakura.test", name: "Aiko Tanaka", subjectId: "00u1abcd" })
  })

  it("refuses an unsigned assertion, even inside a signed Response", async () => {
    refused(await verify(b64(responseXml([assertionXml()]))), "badSignature")
    const responseSignedOnly = signElement(responseXml([assertionXml()]), idp, "Response")
    refused(await verify(b64(responseSignedOnly)), "badSignature")
  })

  it("refuses an assertion signed by another key", async () => {
    refused(await verify(samlResponse(attacker)), "badSignature")
  })

  it("refuses an assertion whose email was changed after signing", async () => {
    const signed = signedAssertion(idp)
    expect(signed).toContain("ken@globex.test")
    const tampered = signed.replace("ken@globex.test", "boss@globex.test")
    refused(await verify(b64(responseXml([tampered]))), "badSignature")
  })

  it("refuses a signed assertion next to an injected unsigned one (signature wrapping)", async () => {
    const wrapped = responseXml([signedAssertion(idp), assertionXml({ nameId: "boss@globex.test" })])
    refused(await verify(b64(wrapped)), "badSignature")
  })

  it("refuses an expired assertion (Conditions or SubjectConfirmationData)", async () => {
    refused(await verify(samlResponse(idp, { notBefore: past(600_000), notOnOrAfter: past(60_000) })), "expired")
    refused(await verify(samlResponse(idp, { confirmationNotOnOrAfter: past(60_000) })), "expired")
  })

  it("refuses a replayed assertion", async () => {
    const c = claims()
    const response = samlResponse(idp)
    ok(await verify(response, { claimOnce: c.claimOnce }))
    refused(await verify(response, { claimOnce: c.claimOnce }), "replayed")
  })

  it("refuses another audience, another recipient, or an answer to another request", async () => {
    refused(await verify(samlResponse(idp, { audience: "https://other.test/sp" })), "wrongAudience")
    refused(await verify(samlResponse(idp, { recipient: "https://other.test/sso/saml/acs" })), "wrongAudience")
    refused(await verify(samlResponse(idp, { inResponseTo: "_req1" }), { requestId: "_req2" }), "wrongAudience")
    refused(await verify(samlResponse(idp), { requestId: "_req2" }), "wrongAudience")
    ok(await verify(samlResponse(idp, { inResponseTo: "_req2" }), { requestId: "_req2" }))
  })

  it("reports an IdP error status and refuses garbage", async () => {
    const failed = responseXml([], { statusCode: "urn:oasis:names:tc:SAML:2.0:status:Requester" })
    refused(await verify(b64(failed)), "idpError")
    refused(await verify("%%%not base64"), "malformed")
    refused(await verify(b64("<not xml")), "malformed")
  })
})

describe("createSamlLoginUrl", () => {
  it("redirects to the IdP with a deflated AuthnRequest for this ACS and entity id, and the relay state", async () => {
    const { url, requestId } = await Effect.runPromise(
      createSamlLoginUrl(config, { callbackUrl: ACS_URL, relayState: "/tickets" }),
    )
    const u = new URL(url)
    expect(`${u.origin}${u.pathname}`).toBe("https://idp.test/sso")
    expect(u.searchParams.get("RelayState")).toBe("/tickets")
    const request = inflateRawSync(Buffer.from(u.searchParams.get("SAMLRequest") ?? "", "base64")).toString()
    expect(request).toContain(`ID="${requestId}"`)
    expect(request).toContain(`AssertionConsumerServiceURL="${ACS_URL}"`)
    expect(request).toContain(`>${SP_ENTITY_ID}</saml:Issuer>`)
    expect(request).toContain("nameid-format:emailAddress")
    const again = await Effect.runPromise(createSamlLoginUrl(config, { callbackUrl: ACS_URL }))
    expect(again.requestId).not.toBe(requestId)
  })

  it("publishes SP metadata naming the ACS URL", () => {
    const xml = samlServiceProviderMetadata(config, ACS_URL)
    expect(xml).toContain(`entityID="${SP_ENTITY_ID}"`)
    expect(xml).toContain(`Location="${ACS_URL}"`)
    expect(xml).toContain('WantAssertionsSigned="true"')
  })
})
