/**
 * Which addresses the portal may render as links or load as images. A link a customer can click
 * runs in their session: a `javascript:` or `data:` address in the menu, the legal link or the
 * logo would run script there, so only web addresses and paths on the portal's own host pass.
 */

const parse = (value: string): URL | null => {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/** An absolute http(s) address (navigation, the consent's legal page). */
export const isWebUrl = (value: string): boolean => {
  const protocol = parse(value)?.protocol
  return protocol === "https:" || protocol === "http:"
}

/** An absolute https address; `allowLocalHttp` also lets http on localhost through (an IdP in development). */
export const isHttpsUrl = (value: string, allowLocalHttp = false): boolean => {
  const url = parse(value)
  if (url === null) return false
  return (
    url.protocol === "https:" ||
    (allowLocalHttp && url.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url.hostname))
  )
}

/** A path on the portal's own host ("/logo.svg"), not a protocol-relative "//elsewhere". */
export const isLocalPath = (value: string): boolean =>
  value.startsWith("/") && !value.startsWith("//") && !value.includes("\\")

/** No whitespace, control characters, quotes or angle brackets: safe inside an attribute or CSS url(). */
export const isPlainAddress = (value: string): boolean =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  !/[\s\u0000-\u001f\u007f"'`<>\\]/.test(value)
