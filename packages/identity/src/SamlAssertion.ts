/**
 * Reading the verified assertion node-saml hands back (xml2js shape, namespace prefixes
 * stripped): subject confirmations, the email and the display name.
 */
import type { Profile } from "@node-saml/node-saml"
import { nonEmpty, normalizeEmail } from "./SsoIdentity.ts"

type Node = { $?: Record<string, string>; _?: string } & Record<string, unknown>

const children = (node: unknown, name: string): Node[] => {
  if (node === null || typeof node !== "object") return []
  const value = (node as Record<string, unknown>)[name]
  return Array.isArray(value) ? (value as Node[]) : []
}

export interface SubjectConfirmation {
  readonly method: string | undefined
  readonly recipient: string | undefined
  readonly inResponseTo: string | undefined
  readonly notOnOrAfterMs: number | undefined
}

export const subjectConfirmations = (assertion: Record<string, unknown>): SubjectConfirmation[] =>
  children(assertion, "Subject").flatMap((subject) =>
    children(subject, "SubjectConfirmation").flatMap((sc) => {
      const data = children(sc, "SubjectConfirmationData")
      const attrs = data[0]?.$ ?? {}
      const end = attrs.NotOnOrAfter ? Date.parse(attrs.NotOnOrAfter) : Number.NaN
      return [
        {
          method: sc.$?.Method,
          recipient: attrs.Recipient,
          inResponseTo: attrs.InResponseTo,
          notOnOrAfterMs: Number.isNaN(end) ? undefined : end,
        },
      ]
    }),
  )

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value)

const EMAIL_ATTRIBUTES = [
  "email",
  "mail",
  "emailAddress",
  "urn:oid:0.9.2342.19200300.100.1.3",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
]

/** The NameID when its format is emailAddress, else the first email-like attribute. */
export const samlEmail = (profile: Profile): string | undefined => {
  if (profile.nameIDFormat === "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress") {
    const fromNameId = normalizeEmail(profile.nameID)
    if (fromNameId !== undefined) return fromNameId
  }
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>
  for (const name of EMAIL_ATTRIBUTES) {
    const email = normalizeEmail(first(attributes[name]))
    if (email !== undefined) return email
  }
  return undefined
}

export const samlName = (profile: Profile): string | undefined => {
  const a = (profile.attributes ?? {}) as Record<string, unknown>
  const direct =
    nonEmpty(first(a.name)) ??
    nonEmpty(first(a.displayName)) ??
    nonEmpty(first(a["http://schemas.microsoft.com/identity/claims/displayname"]))
  if (direct !== undefined) return direct
  const given =
    nonEmpty(first(a.givenName)) ??
    nonEmpty(first(a["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"]))
  const family =
    nonEmpty(first(a.sn)) ??
    nonEmpty(first(a.surname)) ??
    nonEmpty(first(a["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"]))
  const joined = [given, family].filter((x) => x !== undefined).join(" ")
  return joined === "" ? undefined : joined
}
