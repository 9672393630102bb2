/**
 * The workspace's branding (P-BRAND-3): the portal's colours, favicon and logo.
 * - Colours are `#rrggbb` (hex digits in either case): the portal puts them into its CSS.
 * - `logoUrl` and `faviconUrl` are absolute https addresses or paths on the portal's own host
 *   (`/brand/logo.svg`); nothing else (no `javascript:`, `data:` or plain http), no whitespace or
 *   quotes, at most 2,000 characters.
 * Every key is optional; a missing one falls back to the portal's defaults.
 */
import type { Branding } from "../domain/Entities.ts"
import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import { isHttpsUrl, isLocalPath, isPlainAddress } from "./Urls.ts"

export const BRANDING_URL_MAX_LENGTH = 2_000

const COLOR = /^#[0-9a-fA-F]{6}$/

/** Problems with a branding (empty: acceptable); paths are `<path>.primaryColor` etc. */
export const brandingIssues = (branding: Branding, path = "branding"): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  for (const key of ["primaryColor", "accentColor"] as const) {
    const value = branding[key]
    if (value !== undefined && !COLOR.test(value))
      issues.push(fieldIssue(`${path}.${key}`, "invalid_color", "Enter a colour like #0b6bcb."))
  }
  for (const key of ["logoUrl", "faviconUrl"] as const) {
    const value = branding[key]
    if (value === undefined) continue
    if (codePoints(value) > BRANDING_URL_MAX_LENGTH) issues.push(tooLong(`${path}.${key}`, BRANDING_URL_MAX_LENGTH))
    else if (!isPlainAddress(value) || !(isHttpsUrl(value) || isLocalPath(value)))
      issues.push(fieldIssue(`${path}.${key}`, "invalid_url", "Enter an https address or a path starting with /."))
  }
  return issues
}
