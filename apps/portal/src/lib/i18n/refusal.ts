/**
 * Why the API refused an action or an entry, in the portal's language. ActionNotAllowed (reply,
 * close, support form) and AccessDenied (register, sign-in, SSO) carry `refusalCode`, a code of
 * core's ACTION_REFUSAL_CODES or ACCESS_DENIAL_CODES; the catalogs translate each as
 * `refusal.<code>` (test/i18n.test.ts checks that both cover every code and no other). A code the
 * catalogs do not know (a newer server) gets the page's own general message, never English text.
 */
import type { AccessDenialCode } from "@portal/core/domain"
import { paths } from "../paths.ts"
import { en, type MessageKey } from "./en.ts"

/** The catalog key of a refusal code, or null for no code or one the catalogs do not know. */
export const refusalKey = (code: unknown): MessageKey | null => {
  if (typeof code !== "string") return null
  const key = `refusal.${code}`
  return key in en ? (key as MessageKey) : null
}

/** The refusal code of an API failure (`apiFailure(e)` keeps every public field of the error). */
export const refusalCodeOf = (failure: unknown): string | null =>
  typeof failure === "object" && failure !== null && "refusalCode" in failure && typeof failure.refusalCode === "string"
    ? failure.refusalCode
    : null

/** Where a refused entry (AccessDenied) goes: the access denied page, with the code when there is one. */
export const accessDeniedPath = (failure: unknown): string => {
  const code = refusalCodeOf(failure)
  return code === null ? paths.accessDenied : `${paths.accessDenied}?code=${encodeURIComponent(code)}`
}

/**
 * The `reason` tokens of AccessDenied as refusal codes, for the access denied page: the SSO routes
 * of apps/server redirect with `?reason=<token>` (an SSO sign-in, hence SSO's codes), the portal's
 * own pages with `?code=<refusalCode>`. A verifier's own reasons (expired, badSignature …) have no
 * code: the page then says only that access is denied.
 */
const SSO_REASON_CODES: Readonly<Record<string, AccessDenialCode>> = {
  notInAudience: "audience_excluded",
  methodNotOffered: "sso_not_offered",
  replayed: "assertion_replayed",
  invalidIdentity: "invalid_identity",
  portalDisabled: "portal_disabled",
}

/** The catalog key for the access denied page's query (`code`, else the SSO `reason`), or null. */
export const deniedKey = (query: URLSearchParams): MessageKey | null =>
  refusalKey(query.get("code")) ?? refusalKey(SSO_REASON_CODES[query.get("reason") ?? ""] ?? null)
