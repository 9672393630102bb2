/**
 * People's names in the portal's language (core's `personName`): "Ken Ito" on an English portal,
 * "伊藤 健" (family name first) on a Japanese one. Applied once, where the pages load tickets and
 * messages on the server, so every component shows `name` / `authorName` as they come and the
 * browser bundle needs nothing of core. Agents have one name as the helpdesk spells it.
 */
import type { Language } from "@portal/core/domain"
import { personName } from "@portal/core/rules"
import type { ListRow, TicketRow } from "$lib/tickets"

interface Ref {
  readonly name: string
  readonly firstName?: string
  readonly lastName?: string
}

// Object.assign({}, x, { key }) rather than { ...x, key }: on Node 20 the spread costs 1–2 µs per
// object (docs/http-bench.md, "Fifth session"), and these run per row and per message.
export const named = <R extends Ref>(ref: R | null, language: Language): R | null =>
  ref === null ? null : Object.assign({}, ref, { name: personName(ref, language) })

/** A ticket row (list, detail, previews): its requester and owner named for the language. */
export const namedTicket = <T extends { readonly requester: Ref | null; readonly owner: Ref | null }>(
  ticket: T,
  language: Language,
): T =>
  Object.assign({}, ticket, { requester: named(ticket.requester, language), owner: named(ticket.owner, language) })

/**
 * A row of the ticket list as the table shows it (lib/tickets.ts ListRow), requester and owner
 * named for the language: the ids, the name parts and the raw status stay on the server, so the
 * page's hydration data is about a quarter smaller.
 */
export const listRow = (
  ticket: Pick<TicketRow, "id" | "subject" | "createdAt" | "lastActivityAt" | "statusLabel"> & {
    readonly requester: Ref | null
    readonly owner: Ref | null
  },
  language: Language,
): ListRow => ({
  id: ticket.id,
  subject: ticket.subject,
  requester: ticket.requester === null ? null : { name: personName(ticket.requester, language) },
  owner: ticket.owner === null ? null : { name: personName(ticket.owner, language) },
  createdAt: ticket.createdAt,
  lastActivityAt: ticket.lastActivityAt,
  statusLabel: ticket.statusLabel,
})

/** A message of the conversation, its author named for the language. */
export const namedMessage = <
  M extends { readonly authorName: string; readonly authorFirstName?: string; readonly authorLastName?: string },
>(
  message: M,
  language: Language,
): M =>
  Object.assign({}, message, {
    authorName: personName(
      {
        name: message.authorName,
        ...(message.authorFirstName === undefined ? {} : { firstName: message.authorFirstName }),
        ...(message.authorLastName === undefined ? {} : { lastName: message.authorLastName }),
      },
      language,
    ),
  })

/** The portal's language from the request (the domain's, P-DOM-4). */
export const languageOf = (locals: App.Locals): Language =>
  locals.portalRequest?.portal?.language === "ja" ? "ja" : "en"
