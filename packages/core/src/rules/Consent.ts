/**
 * Consent to process data.
 * - P-CON-1 With self-registration a consent notice is required: notice text, checkbox label and
 *   an optional link to the team's legal page. Other access methods do not ask for consent.
 * - P-CON-2 Registration cannot complete unless the checkbox is ticked; the consent given is stored
 *   with the contact: the exact texts shown, a text version and the time.
 * - P-CON-3 The text is per portal. The record keeps its own copy of the texts and a version
 *   derived from them (SHA-256 of the three texts, length-prefixed so that moving characters from
 *   one text into the next changes the version). Editing the text later yields a new version and
 *   leaves records already given untouched.
 */
import type { ContactId, IsoTime } from "../domain/Ids.ts"
import type { Access, Consent } from "../domain/PortalSettings.ts"
import type { ConsentRecord } from "../ports/ContactStore.ts"
import { sha256Hex } from "./Sha256.ts"

/** P-CON-1: does this access method ask for consent at registration? */
export const consentRequired = (access: Access): boolean =>
  access.method === "membership" && access.registration === "self"

/**
 * The version of a consent text: "v1-" and the first 16 hex digits of a SHA-256 over the texts.
 * 64 bits are plenty to tell a portal's successive texts apart; the prefix leaves room for a
 * different scheme later without confusing old records.
 */
export const consentTextVersion = (consent: Pick<Consent, "noticeText" | "checkboxLabel" | "legalUrl">): string => {
  const parts = [consent.noticeText, consent.checkboxLabel, consent.legalUrl ?? ""]
  const framed = parts.map((p) => `${p.length}:${p}`).join("|")
  return `v1-${sha256Hex(framed).slice(0, 16)}`
}

/** The record stored with the contact (P-CON-2): a copy of the texts, never a reference to them. */
export const consentRecord = (contactId: ContactId, consent: Consent, givenAt: IsoTime): ConsentRecord => ({
  contactId,
  noticeText: consent.noticeText,
  checkboxLabel: consent.checkboxLabel,
  legalUrl: consent.legalUrl ?? null,
  textVersion: consentTextVersion(consent),
  givenAt,
})

export type ConsentCheck =
  | { readonly _tag: "NotRequired" }
  | { readonly _tag: "Given"; readonly consent: Consent }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "NotConfigured" }

/**
 * P-CON-1, P-CON-2 at registration: NotRequired (no consent asked), Given (store a record of
 * `consent`), Missing (the checkbox was not ticked: refuse) or NotConfigured (self-registration
 * without a notice: the portal is misconfigured and must not register anyone).
 */
export const checkConsent = (
  settings: { readonly access: Access; readonly consent?: Consent },
  checkboxTicked: boolean,
): ConsentCheck => {
  if (!consentRequired(settings.access)) return { _tag: "NotRequired" }
  if (settings.consent === undefined) return { _tag: "NotConfigured" }
  return checkboxTicked ? { _tag: "Given", consent: settings.consent } : { _tag: "Missing" }
}
