/**
 * What the portal's language decides when the settings leave it open (P-DOM-4, P-SET-3):
 * - the ticket label: "Tickets" / "チケット" when `ticketLabel` is unset or blank;
 * - the time zone dates are shown in: `timeZone` (an IANA name such as "Asia/Tokyo") when set
 *   and known to the runtime, else "Asia/Tokyo" for a `ja` portal and "UTC" for any other. The
 *   server renders pages and the browser hydrates them with this one zone, so a date reads the
 *   same on both.
 */
import type { Language } from "../domain/Entities.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"

export const TIME_ZONE_MAX_LENGTH = 64

export const defaultTicketLabel = (language: Language | string): string => (language === "ja" ? "チケット" : "Tickets")

export const ticketLabelOf = (settings: Pick<PortalSettings, "ticketLabel">, language: Language | string): string =>
  settings.ticketLabel?.trim() || defaultTicketLabel(language)

export const defaultTimeZone = (language: Language | string): string => (language === "ja" ? "Asia/Tokyo" : "UTC")

/** An IANA time zone name this runtime's Intl knows ("Asia/Tokyo", "UTC", "America/New_York"). */
export const isTimeZone = (name: string): boolean => {
  if (name.trim().length === 0 || name.length > TIME_ZONE_MAX_LENGTH) return false
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** The zone the portal shows dates in (a stored name this runtime does not know falls back too). */
export const portalTimeZone = (settings: Pick<PortalSettings, "timeZone">, language: Language | string): string =>
  settings.timeZone !== undefined && isTimeZone(settings.timeZone) ? settings.timeZone : defaultTimeZone(language)
