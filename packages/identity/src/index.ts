// @portal/identity: password hashing (core's PasswordHasher port) and the SSO verifiers
// (JWT, SAML 2.0, OpenID Connect). Verifiers return an identity or SsoRejected; sessions are the server's.
export * from "./Argon2PasswordHasher.ts"
export * from "./JwtVerifier.ts"
export * from "./OidcLogin.ts"
export * from "./SamlVerifier.ts"
export {
  type ClaimOnce,
  type SsoIdentity,
  type SsoProtocol,
  SsoRejected,
  type SsoRejectReason,
} from "./SsoIdentity.ts"
