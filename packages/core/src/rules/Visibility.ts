/**
 * Which tickets a customer sees.
 * - P-VIS-1 scope "contact": the tickets associated with the viewer's contact.
 * - P-VIS-2 scope "company": also the tickets of the viewer's primary company; the list can be
 *   switched between Organization (company) and Mine (contact). No primary company: only their own.
 * - P-VIS-5 company scope limited to contacts in chosen lists; everyone else sees only their own.
 * - P-VIS-3 ticket filters: every condition must hold; a ticket without the property matches no
 *   `in` and every `notIn`.
 * - P-EXT-1 participants: a contact the ticket is shared with sees it too (view "shared", and
 *   "all"), whatever their company or scope; filters still apply. Being a participant widens
 *   nothing else: not the participant's company view, not the requester's.
 * - P-VIS-4 is the callers' duty: an invisible ticket is reported exactly like a missing one.
 * Storage adapters implement the same predicate in their queries; the contract compares them.
 */
import type { Contact, Ticket } from "../domain/Entities.ts"
import type { ListId, WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings, TicketFilter } from "../domain/PortalSettings.ts"
import type { ListView, ViewerScope } from "../domain/ReadModels.ts"

/** The scope of one viewer: which company (if any) widens their view, and the filters. */
export const viewerScope = (
  workspaceId: WorkspaceId,
  settings: Pick<PortalSettings, "ticketScope" | "ticketFilters">,
  contact: Pick<Contact, "id" | "primaryCompanyId">,
  contactListIds: ReadonlyArray<ListId>,
): ViewerScope => {
  const scope = settings.ticketScope
  const companyApplies =
    scope === "company" ||
    (typeof scope === "object" && scope.company.listIds.some((id) => contactListIds.includes(id)))
  return {
    workspaceId,
    contactId: contact.id,
    companyId: companyApplies ? (contact.primaryCompanyId ?? null) : null,
    filters: settings.ticketFilters,
  }
}

/** The value a filter looks at: pipelineId, stageId, or a free property (undefined if absent). */
export const filterValue = (ticket: Pick<Ticket, "pipelineId" | "stageId" | "properties">, property: string) =>
  property === "pipelineId"
    ? ticket.pipelineId
    : property === "stageId"
      ? ticket.stageId
      : Object.hasOwn(ticket.properties, property)
        ? ticket.properties[property]
        : undefined

export const matchesFilter = (
  ticket: Pick<Ticket, "pipelineId" | "stageId" | "properties">,
  filter: TicketFilter,
): boolean => {
  const value = filterValue(ticket, filter.property)
  const listed = value !== undefined && filter.values.includes(value)
  return filter.operator === "in" ? listed : !listed
}

export const matchesFilters = (
  ticket: Pick<Ticket, "pipelineId" | "stageId" | "properties">,
  filters: ReadonlyArray<TicketFilter>,
): boolean => filters.every((f) => matchesFilter(ticket, f))

/** Is the ticket in the viewer's list for the chosen view (before filters)? */
export const inView = (
  ticket: Pick<Ticket, "contactIds" | "companyIds" | "participantIds">,
  scope: Pick<ViewerScope, "contactId" | "companyId">,
  view: ListView,
): boolean => {
  const mine = ticket.contactIds.includes(scope.contactId)
  const org = scope.companyId !== null && ticket.companyIds.includes(scope.companyId)
  const shared = isParticipant(ticket, scope.contactId)
  return view === "mine" ? mine : view === "organization" ? org : view === "shared" ? shared : mine || org || shared
}

/** P-EXT-1: is the contact one of the ticket's participants? */
export const isParticipant = (ticket: Pick<Ticket, "participantIds">, contactId: string): boolean =>
  (ticket.participantIds ?? []).includes(contactId as never)

/** May the viewer see this ticket at all (detail pages, files, actions)? */
export const canSee = (ticket: Ticket, scope: ViewerScope): boolean =>
  inView(ticket, scope, "all") && matchesFilters(ticket, scope.filters)
