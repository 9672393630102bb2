/**
 * A SAML 2.0 identity provider for the tests: a self-signed key pair (selfsigned), and Responses
 * whose Assertion is signed with xml-crypto (enveloped, exclusive c14n, RSA-SHA256), as an IdP
 * would post them to the portal's ACS.
 */
import { randomBytes } from "node:crypto"
import { inflateRawSync } from "node:zlib"
import { IDP_ENTITY_ID, type IdpKeys, signElement } from "@portal/identity/testing"

export { IDP_ENTITY_ID, type IdpKeys, makeIdpKeys } from "@portal/identity/testing"
export const IDP_SSO_URL = "https://idp.test/saml/sso"

const id = () => `_${randomBytes(16).toString("hex")}`
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")

export interface ResponseOptions {
  readonly email: string
  readonly audience: string
  readonly recipient: string
  readonly inResponseTo?: string
  readonly name?: string
  readonly notOnOrAfter?: Date
}

const assertionXml = (o: ResponseOptions) => {
  const now = new Date()
  const end = (o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString()
  const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ""
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.email)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${end}" Recipient="${esc(o.recipient)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${new Date(now.getTime() - 60_000).toISOString()}" NotOnOrAfter="${end}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue>${esc(o.name ?? "Ken Ito")}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>` +
    `</saml:Assertion>`
  )
}

/** A Response with a signed Assertion, base64 as the browser POSTs it. */
export const samlResponse = (keys: IdpKeys, o: ResponseOptions, tamper?: (xml: string) => string): string => {
  const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ""
  let assertion = signElement(assertionXml(o), keys, "Assertion")
  if (tamper) assertion = tamper(assertion)
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${esc(o.recipient)}"${irt}>` +
    `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `${assertion}</samlp:Response>`
  return Buffer.from(xml, "utf8").toString("base64")
}

/** The ID of the AuthnRequest in an HTTP-Redirect binding URL. */
export const authnRequestId = (redirectUrl: string): string => {
  const request = new URL(redirectUrl).searchParams.get("SAMLRequest") ?? ""
  const xml = inflateRawSync(Buffer.from(request, "base64")).toString("utf8")
  const match = /\sID="([^"]+)"/.exec(xml)
  if (match === null) throw new Error(`no ID in ${xml}`)
  return match[1] as string
}
