/**
 * A SAML 2.0 identity provider for the tests, from @portal/identity/testing: a self-signed key
 * pair, and Responses whose Assertion is signed with xml-crypto (enveloped, exclusive c14n,
 * RSA-SHA256), as an IdP would post them to the portal's ACS.
 */

import type { IdpKeys } from "@portal/identity/testing"
import { b64, parseAuthnRequest, responseXml, signedAssertion } from "@portal/identity/testing"

export { IDP_ENTITY_ID, type IdpKeys, makeIdpKeys } from "@portal/identity/testing"
export const IDP_SSO_URL = "https://idp.test/saml/sso"

export interface ResponseOptions {
  readonly email: string
  readonly audience: string
  readonly recipient: string
  readonly inResponseTo?: string
  readonly name?: string
  readonly notOnOrAfter?: Date
}

/** A Response with a signed Assertion (changed by `tamper` after signing), base64 as the browser POSTs it. */
export const samlResponse = (keys: IdpKeys, o: ResponseOptions, tamper?: (xml: string) => string): string => {
  const options = {
    nameId: o.email,
    audience: o.audience,
    recipient: o.recipient,
    attributes: { displayName: o.name ?? "Ken Ito" },
    ...(o.inResponseTo === undefined ? {} : { inResponseTo: o.inResponseTo }),
    ...(o.notOnOrAfter === undefined ? {} : { notOnOrAfter: o.notOnOrAfter }),
  }
  const assertion = signedAssertion(keys, options)
  return b64(responseXml([tamper ? tamper(assertion) : assertion], options))
}

/** The ID of the AuthnRequest in an HTTP-Redirect binding URL. */
export const authnRequestId = (redirectUrl: string): string =>
  parseAuthnRequest(new URL(redirectUrl).searchParams.get("SAMLRequest") ?? "").id
