/**
 * How people are named on the portal (P-LIST-2's requester and owner, the conversation's authors).
 * - A contact's `name` is "firstName lastName" trimmed, or the email when both are empty; the
 *   parts travel along (`firstName`, `lastName`, when not blank) so a page can order them for its
 *   language. An agent has one `name` as the helpdesk spells it.
 * - `personName(ref, "ja")` puts the family name first ("伊藤 健"), `"en"` the given name
 *   ("Ken Ito"); with one part it is that part, with none the ref's `name`.
 * - A name shown to people (subject, file name, contact, company or agent name, author) never
 *   carries a bidirectional control (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C):
 *   "\u202Egnp.exe" would read as "exe.png". `withoutBidiControls` drops them and changes nothing
 *   else; names are shaped with it where customer and agent outputs are built (hole 12a).
 */
import type { Contact, Language } from "../domain/Entities.ts"
import type { PersonRef } from "../domain/ReadModels.ts"

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** A name without the controls that reorder how it is drawn; every other character is kept. */
export const withoutBidiControls = (name: string): string => name.replace(BIDI_CONTROLS, "")

export type NamedContact = Pick<Contact, "id" | "email" | "firstName" | "lastName">

/** A contact's display name: "firstName lastName" trimmed, or the email when that is empty. */
export const contactDisplayName = (contact: Omit<NamedContact, "id">): string => {
  const name = `${contact.firstName ?? ""} ${contact.lastName ?? ""}`.trim()
  return name.length > 0 ? name : contact.email
}

/** A contact as the list and the conversation name them: the display name and its parts. */
export const contactRef = (contact: NamedContact): PersonRef => {
  const firstName = contact.firstName?.trim() ?? ""
  const lastName = contact.lastName?.trim() ?? ""
  return {
    id: contact.id,
    name: contactDisplayName(contact),
    ...(firstName.length > 0 ? { firstName } : {}),
    ...(lastName.length > 0 ? { lastName } : {}),
  }
}

/** A contact from nullable columns (SQL rows): NULL parts are absent. */
export const namedContact = (
  id: string,
  email: string,
  firstName: string | null | undefined,
  lastName: string | null | undefined,
): NamedContact =>
  ({
    id,
    email,
    ...(firstName === null || firstName === undefined ? {} : { firstName }),
    ...(lastName === null || lastName === undefined ? {} : { lastName }),
  }) as NamedContact

/** A person's name in the portal's language: family name first in Japanese. */
export const personName = (ref: Pick<PersonRef, "name" | "firstName" | "lastName">, language: Language): string => {
  const parts = language === "ja" ? [ref.lastName, ref.firstName] : [ref.firstName, ref.lastName]
  const name = parts
    .map((p) => p?.trim() ?? "")
    .filter((p) => p.length > 0)
    .join(" ")
  return name.length > 0 ? name : ref.name
}

/** A message author's name fields of VisibleMessage from the author's ref (none: an empty name). */
export const authorNames = (
  ref: PersonRef | null,
): { readonly authorName: string; readonly authorFirstName?: string; readonly authorLastName?: string } => ({
  authorName: ref?.name ?? "",
  ...(ref?.firstName === undefined ? {} : { authorFirstName: ref.firstName }),
  ...(ref?.lastName === undefined ? {} : { authorLastName: ref.lastName }),
})
