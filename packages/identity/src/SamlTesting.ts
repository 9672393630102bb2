/** For tests only (imports dev dependencies). Builds real SAML 2.0 Responses for the tests and signs them with xml-crypto, as an IdP would. */
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { inflateRawSync } from "node:zlib"
import { generate } from "selfsigned"
import { SignedXml } from "xml-crypto"

export interface IdpKeys {
  readonly cert: string
  readonly key: string
}

export const makeIdpKeys = async (cn = "idp.test"): Promise<IdpKeys> => {
  const pems = await generate([{ name: "commonName", value: cn }], { keySize: 2048, algorithm: "sha256" })
  return { cert: pems.cert, key: pems.private }
}

export const SP_ENTITY_ID = "https://support.acme.test/sso/saml/metadata"
export const ACS_URL = "https://support.acme.test/sso/saml/acs"
export const IDP_ENTITY_ID = "https://idp.test/saml"

export interface AssertionOptions {
  readonly assertionId?: string
  readonly nameId?: string
  readonly nameIdFormat?: string
  readonly audience?: string
  readonly recipient?: string
  readonly inResponseTo?: string
  /** Conditions NotBefore / NotOnOrAfter, and SubjectConfirmationData NotOnOrAfter. */
  readonly notBefore?: Date
  readonly notOnOrAfter?: Date
  readonly confirmationNotOnOrAfter?: Date
  readonly attributes?: Record<string, string>
  readonly statusCode?: string
}

const iso = (d: Date) => d.toISOString()
const id = () => `_${randomBytes(16).toString("hex")}`
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")

export const assertionXml = (o: AssertionOptions = {}): string => {
  const now = new Date()
  const notBefore = o.notBefore ?? new Date(now.getTime() - 60_000)
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)
  const scdEnd = o.confirmationNotOnOrAfter ?? notOnOrAfter
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ""
  const attributes = Object.entries(o.attributes ?? { displayName: "Ken Ito" })
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${esc(name)}"><saml:AttributeValue>${esc(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join("")
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.assertionId ?? id()}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${o.nameIdFormat ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}">${esc(o.nameId ?? "ken@globex.test")}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(scdEnd)}" Recipient="${esc(o.recipient ?? ACS_URL)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience ?? SP_ENTITY_ID)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${id()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`
  )
}

export const responseXml = (assertions: string[], o: AssertionOptions = {}): string => {
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ""
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${esc(o.recipient ?? ACS_URL)}"${inResponseTo}>` +
    `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${o.statusCode ?? "urn:oasis:names:tc:SAML:2.0:status:Success"}"/></samlp:Status>` +
    assertions.join("") +
    `</samlp:Response>`
  )
}

/** Signs the element named `localName` (enveloped, exclusive c14n, RSA-SHA256), after its Issuer. */
export const signElement = (xml: string, keys: IdpKeys, localName: "Assertion" | "Response"): string => {
  const sig = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  })
  const element = `//*[local-name(.)='${localName}']`
  sig.addReference({
    xpath: element,
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
  })
  sig.computeSignature(xml, {
    prefix: "ds",
    location: { reference: `${element}/*[local-name(.)='Issuer']`, action: "after" },
  })
  return sig.getSignedXml()
}

export const signedAssertion = (keys: IdpKeys, o: AssertionOptions = {}) =>
  signElement(assertionXml(o), keys, "Assertion")

export const b64 = (xml: string) => Buffer.from(xml, "utf8").toString("base64")

/** A complete, valid, assertion-signed Response, base64 as the browser POSTs it. */
export const samlResponse = (keys: IdpKeys, o: AssertionOptions = {}) => b64(responseXml([signedAssertion(keys, o)], o))

/** The ID and AssertionConsumerServiceURL of the AuthnRequest in an HTTP-Redirect binding URL's SAMLRequest. */
export const parseAuthnRequest = (samlRequest: string): { readonly id: string; readonly acsUrl: string | null } => {
  const xml = inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8")
  const id = /\sID="([^"]+)"/.exec(xml)?.[1]
  if (id === undefined) throw new Error(`no ID in the AuthnRequest: ${xml.slice(0, 200)}`)
  return { id, acsUrl: /\sAssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1] ?? null }
}

/**
 * A SAML IdP on 127.0.0.1 for browser tests (HTTP-Redirect in, HTTP-POST out). `GET /sso` takes
 * the portal's AuthnRequest and shows a page whose "Continue" button posts a Response, with an
 * Assertion signed by `keys` for `nameId`, InResponseTo the request, to the ACS URL the request
 * named, with the RelayState it was given, as a person's browser would.
 */
export const startSamlIdp = async (keys: IdpKeys, o: { readonly nameId: string; readonly audience: string }) => {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://idp")
    const request = url.searchParams.get("SAMLRequest")
    if (url.pathname !== "/sso" || request === null) {
      res.writeHead(404).end()
      return
    }
    const { id: requestId, acsUrl } = parseAuthnRequest(request)
    if (acsUrl === null) {
      res.writeHead(400).end("no AssertionConsumerServiceURL")
      return
    }
    const options = { nameId: o.nameId, audience: o.audience, recipient: acsUrl, inResponseTo: requestId }
    const response = samlResponse(keys, options)
    const relayState = url.searchParams.get("RelayState") ?? ""
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
    res.end(
      `<!doctype html><html lang="en"><title>Test IdP</title><h1>Test IdP</h1><p>Signed in as ${esc(o.nameId)}.</p>` +
        `<form method="post" action="${esc(acsUrl)}">` +
        `<input type="hidden" name="SAMLResponse" value="${response}">` +
        `<input type="hidden" name="RelayState" value="${esc(relayState)}">` +
        `<button type="submit">Continue</button></form>`,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    entryPoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
