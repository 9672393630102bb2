/**
 * Sign-in by OpenID Connect (P-AUTH-5; the hosted product's recommended SSO): authorization code
 * flow with PKCE (S256), `state` and `nonce`, over openid-client v6. The issuer's metadata comes
 * from discovery (`<issuer>/.well-known/openid-configuration`), its keys from its JWKS; the ID
 * token's signature, `iss`, `aud`, `exp`, `iat` and `nonce` are checked by openid-client.
 *
 * The server keeps `{ state, nonce, codeVerifier }` with the browser (an encrypted or signed,
 * short-lived, HttpOnly cookie) between `startOidcLogin` and `finishOidcLogin`.
 * An email the IdP marks `email_verified: false` is refused; an absent flag is accepted
 * (many workforce IdPs omit it and vouch for their directory's addresses).
 */
import type { OidcConfig } from "@portal/core/domain"
import { Effect } from "effect"
import * as oidc from "openid-client"
import { isoFromMs, nonEmpty, normalizeEmail, reject, type SsoIdentity, type SsoRejected } from "./SsoIdentity.ts"

export interface OidcTransportOptions {
  /** Plain-HTTP issuer: for tests against a local provider only, never in production. */
  readonly allowInsecureRequests?: boolean
  /** Seconds per request to the IdP; default 10. */
  readonly timeoutSeconds?: number
}

const DISCOVERY_TTL_MS = 10 * 60_000
const discoveries = new Map<string, { readonly at: number; readonly config: Promise<oidc.Configuration> }>()

const discover = async (config: OidcConfig, t: OidcTransportOptions): Promise<oidc.Configuration> => {
  const execute = t.allowInsecureRequests ? [oidc.allowInsecureRequests] : []
  const timeout = t.timeoutSeconds ?? 10
  const found = await oidc.discovery(new URL(config.issuer), config.clientId, undefined, undefined, {
    execute,
    timeout,
  })
  const server = found.serverMetadata()
  // client_secret_basic is the OAuth default; use post only where the IdP does not offer basic.
  const methods = server.token_endpoint_auth_methods_supported
  const auth =
    methods === undefined || methods.includes("client_secret_basic")
      ? oidc.ClientSecretBasic(config.clientSecret)
      : oidc.ClientSecretPost(config.clientSecret)
  const client = new oidc.Configuration(server, config.clientId, { client_secret: config.clientSecret }, auth)
  client.timeout = timeout
  if (t.allowInsecureRequests) oidc.allowInsecureRequests(client)
  return client
}

/** Discovery is cached per issuer and client for 10 minutes; a failure is not cached. */
const configurationOf = (config: OidcConfig, t: OidcTransportOptions) =>
  Effect.tryPromise(() => {
    const key = JSON.stringify([config.issuer, config.clientId, config.clientSecret, Boolean(t.allowInsecureRequests)])
    const hit = discoveries.get(key)
    if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config
    const entry = { at: Date.now(), config: discover(config, t) }
    discoveries.set(key, entry)
    entry.config.catch(() => discoveries.get(key) === entry && discoveries.delete(key))
    return entry.config
  }).pipe(
    Effect.catch((cause) => reject("oidc", "unavailable", `discovery of ${config.issuer} failed: ${String(cause)}`)),
  )

export interface OidcLoginStart {
  readonly url: string
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
}

/** The IdP authorization URL, and the secrets to keep with the browser until the callback. */
export const startOidcLogin = (
  config: OidcConfig,
  options: { readonly redirectUri: string; readonly scope?: string } & OidcTransportOptions,
): Effect.Effect<OidcLoginStart, SsoRejected> =>
  Effect.gen(function* () {
    const client = yield* configurationOf(config, options)
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const codeVerifier = oidc.randomPKCECodeVerifier()
    const codeChallenge = yield* Effect.promise(() => oidc.calculatePKCECodeChallenge(codeVerifier))
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: options.redirectUri,
      response_type: "code",
      scope: options.scope ?? "openid email profile",
      state,
      nonce,
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
    })
    return { url: url.href, state, nonce, codeVerifier }
  })

export interface FinishOidcOptions extends OidcTransportOptions {
  /** The callback URL as the browser requested it (only its query is used). */
  readonly currentUrl: string | URL
  readonly redirectUri: string
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
}

const rejection = (cause: unknown) => {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
  if (cause instanceof oidc.AuthorizationResponseError) return reject("oidc", "idpError", detail)
  if (cause instanceof oidc.ResponseBodyError) return reject("oidc", "idpError", detail)
  if (cause instanceof TypeError || (cause instanceof Error && /fetch failed|timeout|abort/i.test(cause.message))) {
    return reject("oidc", "unavailable", detail)
  }
  return reject("oidc", "invalid", detail)
}

/** Exchanges the code (PKCE), verifies the ID token, and returns the identity or `SsoRejected`. */
export const finishOidcLogin = (
  config: OidcConfig,
  options: FinishOidcOptions,
): Effect.Effect<SsoIdentity, SsoRejected> =>
  Effect.gen(function* () {
    const query = new URL(options.currentUrl, options.redirectUri).searchParams
    const idpError = query.get("error")
    if (idpError !== null) {
      return yield* reject("oidc", "idpError", `${idpError}: ${query.get("error_description") ?? ""}`)
    }
    if (!options.state || query.get("state") !== options.state) {
      return yield* reject("oidc", "stateMismatch", "state differs from the one this browser started with")
    }
    const client = yield* configurationOf(config, options)
    // The redirect_uri sent to the token endpoint is the registered one, not what a proxy saw.
    const callback = new URL(options.redirectUri)
    callback.search = query.toString()
    const tokens = yield* Effect.tryPromise({
      try: () =>
        oidc.authorizationCodeGrant(client, callback, {
          expectedState: options.state,
          expectedNonce: options.nonce,
          pkceCodeVerifier: options.codeVerifier,
          idTokenExpected: true,
        }),
      catch: (cause) => cause,
    }).pipe(Effect.catch(rejection))
    const idToken = tokens.claims()
    if (idToken === undefined) return yield* reject("oidc", "missingClaim", "no ID token")

    let claims: Record<string, unknown> = idToken
    if (normalizeEmail(idToken.email) === undefined) {
      // Providers that follow the spec strictly put scope claims in UserInfo only.
      const info = yield* Effect.tryPromise({
        try: () => oidc.fetchUserInfo(client, tokens.access_token, idToken.sub),
        catch: (cause) => cause,
      }).pipe(Effect.catch(rejection))
      claims = { ...info, ...idToken, email: info.email, email_verified: info.email_verified }
    }
    const email = normalizeEmail(claims.email)
    if (email === undefined)
      return yield* reject("oidc", "missingClaim", "no email claim (is the email scope granted?)")
    if (claims.email_verified === false) return yield* reject("oidc", "idpError", "the IdP marks the email unverified")

    const name =
      nonEmpty(claims.name) ??
      nonEmpty([nonEmpty(claims.given_name), nonEmpty(claims.family_name)].filter(Boolean).join(" "))
    return {
      protocol: "oidc",
      email,
      ...(name === undefined ? {} : { name }),
      subjectId: idToken.sub,
      expiresAt: isoFromMs(idToken.exp * 1000),
    } satisfies SsoIdentity
  })
