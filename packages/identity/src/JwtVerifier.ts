/**
 * Sign-in by JWT (P-AUTH-5, WORKSPACE_FORMAT.md "Sign-in by JWT"): the team's own site signs a
 * short-lived token and sends the customer to `/sso/jwt?token=…`.
 *
 * - The algorithm is pinned to the configured one: `alg: none`, another family, and the classic
 *   confusion (an HS256 token "signed" with the RS256 public key as HMAC secret) are refused.
 * - `exp`, `email` and `jti` are required; 30 s clock tolerance; `nbf` honoured when present.
 * - `jti` is required and claimed once: the token travels in a URL (history, proxy logs,
 *   Referer), so a token without a single-use id could be replayed until it expires.
 * - `exp` may be at most `maxLifetimeSeconds` (default one hour) ahead, for the same reason.
 * There is no `iss`/`aud` in the settings, so use a key dedicated to the portal.
 */
import { createPublicKey, type KeyObject } from "node:crypto"
import type { JwtConfig } from "@portal/core/domain"
import { Effect } from "effect"
import { errors, type JWTPayload, jwtVerify } from "jose"
import {
  type ClaimOnce,
  claim,
  isoFromMs,
  nonEmpty,
  normalizeEmail,
  reject,
  type SsoIdentity,
  type SsoRejected,
} from "./SsoIdentity.ts"

export const JWT_CLOCK_TOLERANCE_SECONDS = 30
export const JWT_MAX_LENGTH = 8192

export interface VerifyJwtOptions {
  readonly now: Date
  readonly claimOnce: ClaimOnce
  /** Longest accepted `exp - now`; default 3600. */
  readonly maxLifetimeSeconds?: number
}

const keyOf = (config: JwtConfig): Uint8Array | KeyObject =>
  config.algorithm === "HS256"
    ? new TextEncoder().encode(config.secret)
    : // Accepts SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" and an X.509 "CERTIFICATE" PEM.
      createPublicKey(config.publicKeyPem)

const rejection = (cause: unknown): Effect.Effect<never, SsoRejected> => {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
  if (cause instanceof errors.JWTExpired) return reject("jwt", "expired", detail)
  if (cause instanceof errors.JWTClaimValidationFailed) {
    if (cause.reason === "missing") return reject("jwt", "missingClaim", detail)
    if (cause.claim === "nbf") return reject("jwt", "notYetValid", detail)
    return reject("jwt", "invalid", detail)
  }
  if (
    cause instanceof errors.JOSEAlgNotAllowed ||
    cause instanceof errors.JWSSignatureVerificationFailed ||
    cause instanceof errors.JOSENotSupported
  ) {
    return reject("jwt", "badSignature", detail)
  }
  if (cause instanceof errors.JWSInvalid || cause instanceof errors.JWTInvalid) {
    return reject("jwt", "malformed", detail)
  }
  // Key material jose refuses for the algorithm (e.g. an RSA key configured as ES256).
  return reject("jwt", "badSignature", detail)
}

/** Verifies a portal sign-in JWT and claims its `jti`; the identity or `SsoRejected`. */
export const verifyPortalJwt = (
  token: string,
  config: JwtConfig,
  options: VerifyJwtOptions,
): Effect.Effect<SsoIdentity, SsoRejected> =>
  Effect.gen(function* () {
    if (token.length === 0 || token.length > JWT_MAX_LENGTH) {
      return yield* reject("jwt", "malformed", `token length ${token.length}`)
    }
    const key = yield* Effect.try({
      try: () => keyOf(config),
      catch: (cause) => cause,
    }).pipe(Effect.catch((cause) => reject("jwt", "invalid", `configured key unreadable: ${String(cause)}`)))
    const { payload } = yield* Effect.tryPromise({
      try: () =>
        jwtVerify<JWTPayload>(token, key, {
          algorithms: [config.algorithm],
          requiredClaims: ["exp", "email", "jti"],
          clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
          currentDate: options.now,
        }),
      catch: (cause) => cause,
    }).pipe(Effect.catch(rejection))

    const nowMs = options.now.getTime()
    const expMs = (payload.exp ?? 0) * 1000
    const maxLifetimeMs = (options.maxLifetimeSeconds ?? 3600) * 1000
    if (expMs - nowMs > maxLifetimeMs + JWT_CLOCK_TOLERANCE_SECONDS * 1000) {
      return yield* reject("jwt", "invalid", `exp is more than ${maxLifetimeMs / 1000} s ahead`)
    }
    const email = normalizeEmail(payload.email)
    if (email === undefined) return yield* reject("jwt", "missingClaim", "email is not an email address")
    const jti = nonEmpty(payload.jti)
    if (jti === undefined) return yield* reject("jwt", "missingClaim", "jti is empty")

    // Keep the claim past exp by the tolerance: the token is accepted that long.
    const expiresAt = isoFromMs(expMs)
    yield* claim("jwt", options.claimOnce, jti, isoFromMs(expMs + JWT_CLOCK_TOLERANCE_SECONDS * 1000))

    const name = nonEmpty(payload.name)
    const sub = nonEmpty(payload.sub)
    return {
      protocol: "jwt",
      email,
      ...(name === undefined ? {} : { name }),
      ...(sub === undefined ? {} : { subjectId: sub }),
      tokenId: jti,
      expiresAt,
    } satisfies SsoIdentity
  })
