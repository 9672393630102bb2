/** For tests only (imports dev dependencies). Builds real SAML 2.0 Responses for the tests and signs them with xml-crypto, as an IdP would. */
import { randomBytes } from "node:crypto"
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
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${ACS_URL}"${inResponseTo}>` +
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
