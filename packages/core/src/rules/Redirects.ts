/**
 * Where the portal sends a browser after a step that named its own destination (P-SEC-1): the
 * sign-in page's `next` (already signed in, and after the form), the SSO starts' `redirect`, the
 * SAML RelayState and the path sealed in the OIDC state.
 * - The target is parsed as the browser parses it: WHATWG `URL` resolved against the portal's
 *   origin, so tabs and line breaks are dropped, "\" counts as "/", "%2F" stays a character of a
 *   segment, and "/\t/evil.test" is seen for what it is: "//evil.test", another host.
 * - It is followed only when the result has the portal's origin; then the answer is that URL's
 *   path, query and fragment as `URL` re-serializes them (percent-encoded, ASCII, no control
 *   characters, a "\" as "%5C"), never the raw input. A path that would start with "//" (from
 *   "/.//x") is refused too, since a browser would read it as another host.
 * - Anything else (another origin, another scheme such as `javascript:`, an unparsable or
 *   over-long value, not a string) goes to the fallback: the ticket list.
 */

/** Longer targets are refused (a sign-in link never needs more; headers have limits). */
export const MAX_REDIRECT_LENGTH = 2048

const parse = (value: string, base?: URL): URL | null => {
  try {
    return new URL(value, base)
  } catch {
    return null
  }
}

/**
 * The same-origin path (pathname + search + hash, re-serialized) that `requested` names when
 * resolved against `origin`, else `fallback`.
 */
export const sameOriginPath = (requested: unknown, origin: string, fallback: string): string => {
  if (typeof requested !== "string" || requested.length === 0 || requested.length > MAX_REDIRECT_LENGTH) return fallback
  const base = parse(origin)
  if (base === null || base.origin === "null") return fallback
  const url = parse(requested, base)
  if (url === null || url.origin !== base.origin) return fallback
  // `URL` leaves "\\" as is in a query or fragment; encoded, no reader can take it for a "/".
  const path = `${url.pathname}${url.search}${url.hash}`.replaceAll("\\", "%5C")
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback
}
