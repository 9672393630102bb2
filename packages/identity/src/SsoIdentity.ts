/**
 * What every SSO verifier hands back: a verified identity, or a typed refusal with a reason.
 * Sessions are not made here; the server maps `email` to a contact, applies the audience rule
 * (P-AUTH-5) and starts the session.
 */
import type { IsoTime } from "@portal/core/domain"
import { Data, Effect } from "effect"

export type SsoProtocol = "jwt" | "saml" | "oidc"

export interface SsoIdentity {
  readonly protocol: SsoProtocol
  /** Trimmed and lower-cased (contacts are matched by email case-insensitively). */
  readonly email: string
  readonly name?: string
  /** The IdP's stable subject: JWT `sub`, SAML NameID, OIDC `sub`. */
  readonly subjectId?: string
  /**
   * The single-use id this verifier has already claimed: JWT `jti`, SAML assertion `ID`.
   * Absent for OIDC, where the code is single use at the IdP and state, nonce and PKCE bind
   * the response to the browser that started the login.
   */
  readonly tokenId?: string
  /** When the credential (token, assertion, ID token) expires; not a session lifetime. */
  readonly expiresAt: IsoTime
}

export type SsoRejectReason =
  /** Not a JWT / not base64 XML / not a SAML response. */
  | "malformed"
  /** Bad signature, unknown key, or an algorithm other than the configured one. */
  | "badSignature"
  | "expired"
  | "notYetValid"
  /** A required claim or element is missing: exp, email, jti, assertion ID, NotOnOrAfter. */
  | "missingClaim"
  /** The jti or assertion ID was already used. */
  | "replayed"
  /** Audience, recipient or InResponseTo does not name this portal / this login. */
  | "wrongAudience"
  /** OIDC: the callback's state differs from the one this browser started with. */
  | "stateMismatch"
  /** The IdP answered with an error (SAML status, OAuth `error=`), or an email it marks unverified. */
  | "idpError"
  /** The IdP or the single-use store could not be reached; retrying later may work. */
  | "unavailable"
  | "invalid"

/** The one failure of the SSO verifiers. `detail` is for logs, never for the customer. */
export class SsoRejected extends Data.TaggedError("SsoRejected")<{
  readonly protocol: SsoProtocol
  readonly reason: SsoRejectReason
  readonly detail: string
}> {}

/**
 * Claims a single-use key until `expiresAt`: true the first time, false after (core's
 * `SecurityStore.claimOnce` with a namespace per protocol). A Promise or an Effect.
 */
export type ClaimOnce = (key: string, expiresAt: IsoTime) => Promise<boolean> | Effect.Effect<boolean, unknown>

export const reject = (protocol: SsoProtocol, reason: SsoRejectReason, detail: string) =>
  Effect.fail(new SsoRejected({ protocol, reason, detail }))

/** Runs the caller's claimOnce; a store failure refuses the sign-in (fail closed). */
export const claim = (
  protocol: SsoProtocol,
  claimOnce: ClaimOnce,
  key: string,
  expiresAt: IsoTime,
): Effect.Effect<void, SsoRejected> =>
  Effect.suspend((): Effect.Effect<boolean, unknown> => {
    try {
      const r = claimOnce(key, expiresAt)
      return Effect.isEffect(r) ? r : Effect.tryPromise(() => r)
    } catch (cause) {
      return Effect.fail(cause)
    }
  }).pipe(
    Effect.catch((cause) => reject(protocol, "unavailable", `claimOnce failed: ${String(cause)}`)),
    Effect.flatMap((first) => (first ? Effect.void : reject(protocol, "replayed", `${key} was already used`))),
  )

// Deliberately loose (the IdP is trusted for the address); it only refuses what cannot be one.
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/

/** A usable email or undefined. */
export const normalizeEmail = (value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined
  const email = value.trim().toLowerCase()
  return email.length <= 254 && EMAIL.test(email) ? email : undefined
}

export const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined

export const isoFromMs = (ms: number): IsoTime => new Date(ms).toISOString()
