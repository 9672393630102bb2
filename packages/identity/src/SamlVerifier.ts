/**
 * Sign-in by SAML 2.0 (P-AUTH-5), Web Browser SSO profile: HTTP-Redirect AuthnRequest out,
 * HTTP-POST Response back to the ACS (`/sso/saml/acs`). Signature checks are node-saml's
 * (the Assertion must be signed by `idpCertPem`; a signed Response alone is not enough), then
 * the Web SSO profile rules node-saml leaves out unless it keeps request ids in its own cache:
 * - a bearer SubjectConfirmation whose Recipient is this ACS URL and whose NotOnOrAfter has not
 *   passed; with `requestId` (SP-initiated), its InResponseTo must name that request;
 * - Conditions: time window and AudienceRestriction = the SP entity id (`SamlConfig.issuer`);
 * - the assertion ID is claimed once (`claimOnce`), so a captured Response cannot be replayed.
 * RelayState is echoed by the IdP unprotected: the server must treat it as untrusted input.
 */
import { randomBytes } from "node:crypto"
import {
  generateServiceProviderMetadata,
  type SamlConfig as NodeSamlConfig,
  SAML,
  SamlStatusError,
  ValidateInResponseTo,
} from "@node-saml/node-saml"
import type { SamlConfig } from "@portal/core/domain"
import { Effect } from "effect"
import { samlEmail, samlName, subjectConfirmations } from "./SamlAssertion.ts"
import { type ClaimOnce, claim, isoFromMs, reject, type SsoIdentity, type SsoRejected } from "./SsoIdentity.ts"

export const SAML_CLOCK_SKEW_MS = 30_000
export const SAML_MAX_RESPONSE_BYTES = 512 * 1024
const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"

/** One or more PEM certificates (several during an IdP key rollover), or bare base64. */
const idpCerts = (pem: string): string[] => {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
  return blocks ?? [pem.trim()]
}

const samlOf = (config: SamlConfig, callbackUrl: string, requestId?: string): SAML => {
  const options: NodeSamlConfig = {
    entryPoint: config.entryPoint,
    issuer: config.issuer,
    audience: config.issuer,
    callbackUrl,
    idpCert: idpCerts(config.idpCertPem),
    wantAssertionsSigned: true,
    // Most IdPs sign only the Assertion; the Assertion signature is what is required above.
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    identifierFormat: EMAIL_FORMAT,
    // A RequestedAuthnContext of PasswordProtectedTransport breaks IdPs that used MFA or Kerberos.
    disableRequestedAuthnContext: true,
    // InResponseTo is checked below against the caller's request id: no per-node cache.
    validateInResponseTo: ValidateInResponseTo.never,
  }
  if (requestId !== undefined) options.generateUniqueId = () => requestId
  return new SAML(options)
}

export interface SamlLoginStart {
  readonly url: string
  /** The AuthnRequest ID; keep it with the browser (e.g. a signed cookie) and pass it back to verify. */
  readonly requestId: string
}

/** The IdP redirect (HTTP-Redirect binding) that starts an SP-initiated sign-in. */
export const createSamlLoginUrl = (
  config: SamlConfig,
  options: { readonly callbackUrl: string; readonly relayState?: string },
): Effect.Effect<SamlLoginStart, SsoRejected> => {
  const requestId = `_${randomBytes(20).toString("hex")}`
  return Effect.tryPromise(() =>
    samlOf(config, options.callbackUrl, requestId).getAuthorizeUrlAsync(options.relayState ?? "", undefined, {}),
  ).pipe(
    Effect.map((url) => ({ url, requestId })),
    Effect.catch((cause) => reject("saml", "invalid", `cannot build the AuthnRequest: ${String(cause)}`)),
  )
}

/** SP metadata XML to hand to the IdP admin (entity id, ACS URL, NameID format). */
export const samlServiceProviderMetadata = (config: SamlConfig, callbackUrl: string): string =>
  generateServiceProviderMetadata({
    issuer: config.issuer,
    callbackUrl,
    identifierFormat: EMAIL_FORMAT,
    wantAssertionsSigned: true,
  })

const rejection = (cause: unknown): Effect.Effect<never, SsoRejected> => {
  const detail = cause instanceof Error ? cause.message : String(cause)
  if (cause instanceof SamlStatusError) return reject("saml", "idpError", detail)
  if (/signature/i.test(detail)) return reject("saml", "badSignature", detail)
  if (/expired/i.test(detail)) return reject("saml", "expired", detail)
  if (/not yet valid/i.test(detail)) return reject("saml", "notYetValid", detail)
  if (/audience/i.test(detail)) return reject("saml", "wrongAudience", detail)
  if (/xml|parse|non-whitespace|unclosed|missing saml/i.test(detail)) return reject("saml", "malformed", detail)
  return reject("saml", "invalid", detail)
}

export interface VerifySamlOptions {
  /** This portal's ACS URL, `https://<portal host>/sso/saml/acs`. */
  readonly callbackUrl: string
  readonly claimOnce: ClaimOnce
  /** The `requestId` of `createSamlLoginUrl` for an SP-initiated sign-in; absent: IdP-initiated allowed. */
  readonly requestId?: string
}

/** Verifies the POSTed `SAMLResponse` and claims its assertion ID; the identity or `SsoRejected`. */
export const verifySamlResponse = (
  config: SamlConfig,
  samlResponseBase64: string,
  options: VerifySamlOptions,
): Effect.Effect<SsoIdentity, SsoRejected> =>
  Effect.gen(function* () {
    const compact = samlResponseBase64.replace(/\s+/g, "")
    if (compact === "" || compact.length > SAML_MAX_RESPONSE_BYTES || !/^[A-Za-z0-9+/]+=*$/.test(compact)) {
      return yield* reject("saml", "malformed", "SAMLResponse is not base64")
    }
    const { profile } = yield* Effect.tryPromise({
      try: () => samlOf(config, options.callbackUrl).validatePostResponseAsync({ SAMLResponse: compact }),
      catch: (cause) => cause,
    }).pipe(Effect.catch(rejection))
    const assertion = profile?.getAssertion?.()?.Assertion as Record<string, unknown> | undefined
    if (!profile || !assertion) return yield* reject("saml", "idpError", "no assertion (passive sign-in refused)")

    const id = (assertion.$ as Record<string, string> | undefined)?.ID
    if (!id) return yield* reject("saml", "missingClaim", "assertion has no ID")

    const nowMs = Date.now()
    const confirmations = subjectConfirmations(assertion)
    const bearer = confirmations.filter((c) => c.method === "urn:oasis:names:tc:SAML:2.0:cm:bearer")
    if (bearer.length === 0) return yield* reject("saml", "missingClaim", "no bearer SubjectConfirmation")
    const forUs = bearer.filter(
      (c) =>
        c.recipient === options.callbackUrl &&
        (options.requestId === undefined || c.inResponseTo === options.requestId),
    )
    if (forUs.length === 0) {
      return yield* reject("saml", "wrongAudience", "SubjectConfirmation names another Recipient or request")
    }
    const live = forUs.filter((c) => c.notOnOrAfterMs !== undefined && nowMs - SAML_CLOCK_SKEW_MS < c.notOnOrAfterMs)
    const confirmation = live[0]
    if (confirmation?.notOnOrAfterMs === undefined) {
      const missing = forUs.every((c) => c.notOnOrAfterMs === undefined)
      return yield* reject("saml", missing ? "missingClaim" : "expired", "SubjectConfirmationData NotOnOrAfter")
    }
    const conditions = (assertion.Conditions as Array<{ $?: Record<string, string> }> | undefined)?.[0]?.$
    const conditionsEnd = conditions?.NotOnOrAfter ? Date.parse(conditions.NotOnOrAfter) : Number.POSITIVE_INFINITY
    const expiresMs = Math.min(confirmation.notOnOrAfterMs, conditionsEnd)

    const email = samlEmail(profile)
    if (email === undefined) return yield* reject("saml", "missingClaim", "no email in NameID or attributes")

    yield* claim("saml", options.claimOnce, id, isoFromMs(expiresMs + SAML_CLOCK_SKEW_MS))
    const name = samlName(profile)
    return {
      protocol: "saml",
      email,
      ...(name === undefined ? {} : { name }),
      ...(profile.nameID ? { subjectId: profile.nameID } : {}),
      tokenId: id,
      expiresAt: isoFromMs(expiresMs),
    } satisfies SsoIdentity
  })
