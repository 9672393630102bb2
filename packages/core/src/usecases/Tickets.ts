/**
 * Reading tickets as a customer: the list (P-LIST-1..3, P-VIS-1..3, P-VIS-5) and one ticket's
 * detail (P-LIST-4, P-COM-1..4, P-VIS-6), with what the customer may do there (P-ACT-1..4).
 * - P-VIS-4: a ticket the viewer may not see fails with the same TicketNotFound as a missing one,
 *   after the same reads (settings, catalog, contact, one scoped `get`), so neither the answer nor
 *   the work done tells them apart. The scoped `get` is re-checked with the pure rule: an adapter
 *   bug must not leak a ticket.
 * - A ticket with no visible thread opens with its properties and no messages (P-VIS-6).
 */
import { Effect, Option } from "effect"
import type { ContactProfile, Pipeline, Satisfaction, Ticket } from "../domain/Entities.ts"
import type { ContactId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings, StatusDisplay } from "../domain/PortalSettings.ts"
import type {
  ParticipantRef,
  ThreadHead,
  TicketDetail,
  TicketListQuery,
  TicketSummary,
  ViewerScope,
} from "../domain/ReadModels.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { type ContactNotFound, TicketNotFound, type ValidationFailed, type WorkspaceNotFound } from "../ports/Errors.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import {
  type TicketConversationRead,
  type TicketRead,
  TicketStore,
  type TicketStoreShape,
} from "../ports/TicketStore.ts"
import type { Catalog, StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { visibleThread } from "../rules/Communications.ts"
import { cursorSortOf, decodeCursor } from "../rules/Listing.ts"
import { contactRef } from "../rules/Names.ts"
import { rateDecision } from "../rules/Satisfaction.ts"
import { type StatusLabel, statusLabel } from "../rules/StatusDisplay.ts"
import { closeDecision, type RefusalReason, replyDecision, replyTarget } from "../rules/TicketActions.ts"
import { canSee } from "../rules/Visibility.ts"
import { type CustomerRef, customerCatalog, customerContextOf } from "./Callers.ts"

export type TicketReadError = WorkspaceNotFound | ContactNotFound | StoreError
export type TicketReadServices = SettingsStore | WorkspaceStore | ContactStore | TicketStore

export interface ListedTicket extends TicketSummary {
  /** P-LIST-3: what the status column shows. */
  readonly statusLabel: StatusLabel
}

/** A TicketPage (assignable to it) plus what the list page needs to draw itself. */
export interface TicketListing {
  readonly items: ReadonlyArray<ListedTicket>
  readonly nextCursor: string | null
  /** P-VIS-2: true where the Organization / Mine switch applies to this viewer. */
  readonly organizationView: boolean
  /** P-EXT-1: true where the viewer is a participant of a ticket they see ("Shared with me" applies). */
  readonly sharedView?: boolean
  readonly statusDisplay: StatusDisplay
}

/** P-LIST-1, P-VIS-1..3, P-VIS-5: one page of the viewer's tickets for the chosen view. */
export const listTickets = (
  viewer: CustomerRef,
  given: TicketListQuery,
): Effect.Effect<TicketListing, TicketReadError | ValidationFailed, TicketReadServices> =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const { settings, scope, participant } = yield* customerContextOf(viewer)
    // P-EXT-4: the status column sorts by what this portal shows (never by a hidden stage).
    const query: TicketListQuery = { ...given, statusDisplay: settings.statusDisplay }
    // A malformed cursor, or one of another sort, is the caller's mistake (400), not a storage failure.
    if (query.cursor !== null) yield* decodeCursor(query.cursor, cursorSortOf(query))
    const organizationView = scope.companyId !== null
    // Field by field, not `{ ...t, statusLabel }`: on Node 20 a spread followed by another property
    // costs 1–2 µs per object (docs/http-bench.md, "Fifth session"), a tenth of a list request.
    const label = (t: TicketSummary): ListedTicket => ({
      id: t.id,
      subject: t.subject,
      requester: t.requester,
      owner: t.owner,
      createdAt: t.createdAt,
      lastActivityAt: t.lastActivityAt,
      status: t.status,
      statusLabel: statusLabel(t.status, settings.statusDisplay),
    })
    // P-EXT-1: one indexed probe (a page of one) tells whether anything is shared with the viewer;
    // none when the caller's read found the viewer in no ticket at all.
    const shared = (view: TicketListQuery["view"]) =>
      view === "shared"
        ? Effect.succeed(true)
        : participant === false
          ? Effect.succeed(false)
          : tickets
              .list(scope, { view: "shared", status: null, search: null, sort: "lastActivity", cursor: null, limit: 1 })
              .pipe(Effect.map((p) => p.items.length > 0))
    // No company scope (or no primary company): the Organization view is empty by definition.
    if (query.view === "organization" && !organizationView)
      return {
        items: [],
        nextCursor: null,
        organizationView,
        // Without a store query (a view this viewer is never offered).
        sharedView: false,
        statusDisplay: settings.statusDisplay,
      }
    const page = yield* tickets.list(scope, query)
    return {
      items: page.items.map(label),
      nextCursor: page.nextCursor,
      organizationView,
      sharedView: yield* shared(query.view),
      statusDisplay: settings.statusDisplay,
    }
  })

/** Everything an action on one visible ticket needs, read once. */
export interface VisibleTicket {
  readonly settings: PortalSettings
  readonly catalog: Catalog
  readonly scope: ViewerScope
  readonly contact: ContactProfile
  readonly summary: TicketSummary
  readonly ticket: Ticket
  readonly pipeline: Pipeline | undefined
  /** The one thread P-COM lets the customer see, or null. */
  readonly thread: ThreadHead | null
  /** P-EXT-2: the ticket's rating, read with it. */
  readonly satisfaction: Satisfaction | null
}

/** Load a ticket the viewer may see, or fail with TicketNotFound (P-VIS-4). */
export const loadVisibleTicket = (
  viewer: CustomerRef,
  ticketId: TicketId,
): Effect.Effect<VisibleTicket, TicketReadError | TicketNotFound, TicketReadServices> =>
  Effect.map(
    loadVisible(viewer, ticketId, (tickets, scope) => tickets.get(scope, ticketId)),
    ({ visible }) => visible,
  )

/**
 * loadVisibleTicket with the store's read chosen: `get`, or `getWithMessages` (getTicket), whose
 * answer comes back as read beside the ticket the rules made of it.
 */
const loadVisible = <R extends TicketRead | TicketConversationRead>(
  viewer: CustomerRef,
  ticketId: TicketId,
  read: (tickets: TicketStoreShape, scope: ViewerScope) => Effect.Effect<Option.Option<R>, StoreError>,
): Effect.Effect<
  { readonly visible: VisibleTicket; readonly read: R },
  TicketReadError | TicketNotFound,
  TicketReadServices
> =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const customer = yield* customerContextOf(viewer)
    const { settings, scope, contact } = customer
    const catalog = yield* customerCatalog(customer)
    // The ticket, its threads and its rating in one read (issue 9).
    const found = yield* read(tickets, scope)
    if (Option.isNone(found) || !canSee(found.value.ticket, scope)) return yield* new TicketNotFound({ ticketId })
    const { summary, ticket, threads, satisfaction } = found.value
    const thread = visibleThreadHead(threads, catalog.inboxes)
    const pipeline = catalog.pipelines.find((p) => p.id === ticket.pipelineId)
    return {
      visible: { settings, catalog, scope, contact, summary, ticket, pipeline, thread, satisfaction },
      read: found.value,
    }
  })

/** P-COM-1..4: the one thread of a ticket a customer sees, read on its own (an agent's reply). */
export const loadVisibleThread = (
  workspaceId: WorkspaceId,
  ticketId: TicketId,
  inboxes: Catalog["inboxes"],
): Effect.Effect<ThreadHead | null, StoreError, TicketStore> =>
  Effect.map(
    TicketStore.use((s) => s.threadsOf(workspaceId, ticketId)),
    (threads) => visibleThreadHead(threads, inboxes),
  )

/** P-COM-1..4: the one thread of a ticket a customer sees, as a head, or null. */
export const visibleThreadHead = (
  threads: ReadonlyArray<ThreadHead>,
  inboxes: Catalog["inboxes"],
): ThreadHead | null => {
  const chosen = visibleThread(threads, inboxes)
  return chosen === null
    ? null
    : {
        id: chosen.id,
        ticketId: chosen.ticketId,
        channel: chosen.channel,
        inboxId: chosen.inboxId,
        createdAt: chosen.createdAt,
      }
}

/** P-ACT-1, P-ACT-2, P-ACT-4: why the customer may not reply here, or null (and somewhere to put it). */
export const replyRefusalOf = (
  v: Pick<VisibleTicket, "settings" | "catalog" | "summary" | "thread">,
): RefusalReason | null => {
  const decision = replyDecision(v.summary.status.state, v.settings.actions)
  if (!decision.allowed) return decision.code
  const target = replyTarget(
    v.thread?.id ?? null,
    v.settings.defaultInboxId,
    v.catalog.inboxes.map((i) => i.id),
  )
  return target._tag === "Refused" ? target.code : null
}

/** P-ACT-3: why the customer may not close it, or null. */
export const closeRefusalOf = (v: Pick<VisibleTicket, "settings" | "summary" | "pipeline">): RefusalReason | null => {
  const decision = closeDecision(v.summary.status.state, v.pipeline, v.settings.actions)
  return decision.allowed ? null : decision.code
}

export interface TicketView extends TicketDetail {
  readonly statusLabel: StatusLabel
}

/** P-LIST-4: a ticket's properties and its visible conversation (P-COM), with the allowed actions. */
export const getTicket = (
  viewer: CustomerRef,
  ticketId: TicketId,
): Effect.Effect<TicketView, TicketReadError | TicketNotFound, TicketReadServices> =>
  Effect.gen(function* () {
    // The ticket with its threads' messages in one read (issue 9); the rules chose the thread. The
    // store reads messages of kind "message" only (P-COM-3); notes are never read.
    const { visible: v, read } = yield* loadVisible(viewer, ticketId, (tickets, scope) =>
      tickets.getWithMessages(scope, ticketId),
    )
    const shown = v.thread
    const messages = shown === null ? [] : (read.threads.find((t) => t.id === shown.id)?.messages ?? [])
    const replyRefusal = replyRefusalOf(v)
    const closeRefusal = closeRefusalOf(v)
    const participants = yield* participantsOf(v.scope.workspaceId, v.ticket.participantIds ?? [])
    // P-EXT-2: the rating (read with the ticket), and whether a closed, unrated ticket may be rated now.
    const satisfaction = v.satisfaction
    return {
      satisfaction,
      canRate: rateDecision(v.summary.status.state, satisfaction).allowed,
      ticket: v.summary,
      content: v.ticket.content,
      properties: v.ticket.properties,
      thread: v.thread,
      messages,
      canReply: replyRefusal === null,
      canClose: closeRefusal === null,
      replyRefusal,
      closeRefusal,
      statusLabel: statusLabel(v.summary.status, v.settings.statusDisplay),
      participants,
      canManageParticipants: v.ticket.requesterId === v.contact.id,
    }
  })

/** P-EXT-1: the participants' names and addresses, in the ticket's order (a gone contact is left out). */
export const participantsOf = (
  workspaceId: WorkspaceId,
  ids: ReadonlyArray<ContactId>,
): Effect.Effect<ReadonlyArray<ParticipantRef>, StoreError, ContactStore> =>
  ids.length === 0
    ? Effect.succeed([])
    : // One read for all of them (the store keeps the order of `ids`).
      ContactStore.use((s) => s.findByIds(workspaceId, ids)).pipe(
        Effect.map((found) =>
          // The display name and its parts as everywhere else (rules/Names.ts): the email when unnamed.
          found.map((c): ParticipantRef => ({ ...contactRef(c), id: c.id, email: c.email })),
        ),
      )
