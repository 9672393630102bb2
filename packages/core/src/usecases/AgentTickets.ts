/**
 * The agent workspace (P-AGT-1..5): the agent's side of a ticket, a use-case of its own (never
 * the customer's visibility rule with a flag). Every use-case takes the `AgentCaller` and first
 * requires the permission `tickets.work` (P-AGT-5: `portal.settings` alone does not give it); the
 * workspace is the caller's portal's, so an agent never reaches another workspace's tickets.
 * - List (P-AGT-1): every ticket of the workspace, filters, search, sort by any column both ways,
 *   keyset pages and counts per state (rules/AgentListing.ts says what the store returns).
 * - Ticket (P-AGT-2): every thread with every message and internal comment, the notes, which
 *   thread the portal shows (P-COM-4), who sees the ticket on the portal (P-VIS), the controls' choices.
 * - Changes (P-AGT-3): reply (into the portal's thread, else a new email thread in the default
 *   inbox, P-ACT-4), internal note, stage and owner, each against the version the agent saw; a
 *   change against an old version is TicketVersionConflict with the ticket as it is now.
 *   Reply and note take files through the customers' upload path (Reply.ts `storeFiles`) and an
 *   idempotency key in the agent's own scope (`agent:<id>/reply`, `agent:<id>/note`, P-SEC-3).
 */
import { Effect, Option } from "effect"
import type {
  AgentOwnerFilter,
  AgentSort,
  AgentTicketDetail,
  AgentTicketPage,
  AgentTicketQuery,
  AgentTicketRow,
  OwnerCondition,
  PortalAudience,
} from "../domain/AgentModels.ts"
import type { AgentCaller } from "../domain/Caller.ts"
import type { StageState } from "../domain/Entities.ts"
import type {
  AgentId,
  CompanyId,
  ContactId,
  MessageId,
  NoteId,
  PipelineId,
  StageId,
  TicketId,
  WorkspaceId,
} from "../domain/Ids.ts"
import { fieldIssue } from "../domain/Issues.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import type { BlobStore } from "../ports/BlobStore.ts"
import type { ContactStore } from "../ports/ContactStore.ts"
import {
  ActionNotAllowed,
  type Conflict,
  Forbidden,
  type MissingReference,
  referenceIssue,
  TicketNotFound,
  TicketVersionConflict,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { type PortalEvent, TicketStore } from "../ports/TicketStore.ts"
import type { Catalog, StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { parseAgentCursor } from "../rules/AgentListing.ts"
import { namedAgentDetail, namedAgentRow } from "../rules/AgentNames.ts"
import { visibleThread } from "../rules/Communications.ts"
import { refusalText, replyTarget } from "../rules/TicketActions.ts"
import { matchesFilters } from "../rules/Visibility.ts"
import { portalCatalog } from "./Callers.ts"
import { messageClaim, replyInputIssues, storeFiles, type UploadedFile } from "./Reply.ts"
import { participantsOf } from "./Tickets.ts"

export type AgentReadServices = TicketStore | WorkspaceStore | SettingsStore | ContactStore
export type AgentWriteServices = AgentReadServices | BlobStore | Clock | IdGenerator

/** P-AGT-5: working tickets needs `tickets.work`; `portal.settings` alone gives the settings screens. */
export const requireTicketsWork = (caller: AgentCaller): Effect.Effect<void, Forbidden> =>
  caller.subject.permissions.includes("tickets.work")
    ? Effect.void
    : Effect.fail(new Forbidden({ reason: 'Working tickets needs the "tickets.work" permission.' }))

export const AGENT_LIST_DEFAULT_LIMIT = 25

export interface AgentListInput {
  readonly state?: StageState | null
  readonly pipelineId?: PipelineId | null
  readonly stageId?: StageId | null
  /** Default "any"; `ownerId` (a given agent) wins over it. */
  readonly owner?: AgentOwnerFilter
  readonly ownerId?: AgentId | null
  readonly companyId?: CompanyId | null
  readonly requesterId?: ContactId | null
  readonly search?: string | null
  readonly sort?: AgentSort
  readonly cursor?: string | null
  readonly limit?: number
}

const ownerCondition = (caller: AgentCaller, input: AgentListInput): OwnerCondition => {
  if (input.ownerId !== undefined && input.ownerId !== null) return { _tag: "Agent", agentId: input.ownerId }
  switch (input.owner ?? "any") {
    case "me":
      return { _tag: "Agent", agentId: caller.subject.agentId }
    case "unassigned":
      return { _tag: "Unassigned" }
    default:
      return { _tag: "Any" }
  }
}

/** The store's query for an input (defaults: every state, last activity newest first, 25 rows). */
export const agentQueryOf = (caller: AgentCaller, input: AgentListInput): AgentTicketQuery => ({
  state: input.state ?? null,
  pipelineId: input.pipelineId ?? null,
  stageId: input.stageId ?? null,
  owner: ownerCondition(caller, input),
  companyId: input.companyId ?? null,
  requesterId: input.requesterId ?? null,
  search: input.search ?? null,
  sort: input.sort ?? { column: "lastActivity", direction: "desc" },
  cursor: input.cursor ?? null,
  limit: Math.min(100, Math.max(1, Math.trunc(input.limit ?? AGENT_LIST_DEFAULT_LIMIT))),
})

/** What the list's pipeline, stage and owner filters offer: the whole workspace's, not one page's. */
export interface AgentFilterChoices {
  readonly pipelines: ReadonlyArray<{
    readonly id: string
    readonly label: string
    readonly stages: ReadonlyArray<{ readonly id: string; readonly label: string; readonly state: string }>
  }>
  readonly agents: ReadonlyArray<{ readonly id: string; readonly name: string }>
}

const choicesOf = (catalog: Catalog): AgentFilterChoices => ({
  pipelines: catalog.pipelines.map((p) => ({ id: p.id, label: p.label, stages: p.stages.map((st) => ({ ...st })) })),
  agents: catalog.agents.map((a) => ({ id: a.id, name: a.name })),
})

/** P-AGT-1: one page of the workspace's tickets with counts per state, and the filters' choices. */
export const agentListTickets = (
  caller: AgentCaller,
  input: AgentListInput,
): Effect.Effect<
  AgentTicketPage & { readonly choices: AgentFilterChoices },
  Forbidden | ValidationFailed | WorkspaceNotFound | StoreError,
  TicketStore | WorkspaceStore
> =>
  Effect.gen(function* () {
    yield* requireTicketsWork(caller)
    const page = yield* workspaceTicketPage(caller.portal.workspaceId, agentQueryOf(caller, input))
    const catalog = yield* portalCatalog(caller.portal)
    // P-DOM-4: contacts' names in the portal language's order (family name first in Japanese).
    const language = caller.portal.domain.language
    return { ...page, items: page.items.map((row) => namedAgentRow(row, language)), choices: choicesOf(catalog) }
  })

/**
 * One page of a workspace's tickets for a store query: the agent's list and the integration's
 * (IntegrationTickets.ts) share it, so both run the one index-backed query (`agentList`).
 */
export const workspaceTicketPage = (
  workspaceId: WorkspaceId,
  query: AgentTicketQuery,
): Effect.Effect<AgentTicketPage, ValidationFailed | StoreError, TicketStore> =>
  Effect.gen(function* () {
    // A cursor of another sort, or not one of ours, is the caller's mistake (400), not a store failure.
    if (query.cursor !== null && Option.isNone(parseAgentCursor(query.cursor, query.sort)))
      return yield* new ValidationFailed({ issues: [fieldIssue("cursor", "invalid_cursor", "Invalid cursor")] })
    return yield* (yield* TicketStore).agentList(workspaceId, query)
  })

const loadRow = (caller: AgentCaller, ticketId: TicketId) =>
  Effect.gen(function* () {
    const row = yield* (yield* TicketStore).agentRow(caller.portal.workspaceId, ticketId)
    if (Option.isNone(row)) return yield* new TicketNotFound({ ticketId })
    return row.value
  })

/** P-AGT-2: the whole ticket as an agent sees it. */
export const agentGetTicket = (
  caller: AgentCaller,
  ticketId: TicketId,
): Effect.Effect<AgentTicketDetail, Forbidden | TicketNotFound | WorkspaceNotFound | StoreError, AgentReadServices> =>
  Effect.gen(function* () {
    yield* requireTicketsWork(caller)
    // The caller's settings and the cached catalog at their version (usecases/Callers.ts): no second read.
    const detail = yield* workspaceTicketDetail(caller.portal.workspaceId, ticketId, {
      settings: caller.portal.settings,
      catalog: portalCatalog(caller.portal),
    })
    // P-DOM-4: contacts' names in the portal language's order (family name first in Japanese).
    return namedAgentDetail(detail, caller.portal.domain.language)
  })

/**
 * The whole ticket of a workspace (P-AGT-2's shape), given the workspace's settings and catalog:
 * the agent's ticket page and the integration's ticket read (IntegrationTickets.ts) share it.
 */
export const workspaceTicketDetail = <R>(
  workspaceId: WorkspaceId,
  ticketId: TicketId,
  portal: {
    readonly settings: PortalSettings
    readonly catalog: Effect.Effect<Catalog, WorkspaceNotFound | StoreError, R>
  },
): Effect.Effect<AgentTicketDetail, TicketNotFound | WorkspaceNotFound | StoreError, TicketStore | ContactStore | R> =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const found = yield* tickets.agentRow(workspaceId, ticketId)
    if (Option.isNone(found)) return yield* new TicketNotFound({ ticketId })
    const row = found.value
    const ticket = yield* tickets.getById(workspaceId, ticketId)
    if (Option.isNone(ticket)) return yield* new TicketNotFound({ ticketId })
    const catalog = yield* portal.catalog
    const settings = portal.settings
    const conversation = yield* tickets.conversation(workspaceId, ticketId)
    const shown = visibleThread(conversation.threads, catalog.inboxes)
    const target = replyTarget(
      shown?.id ?? null,
      settings.defaultInboxId,
      catalog.inboxes.map((i) => i.id),
    )
    const scope = settings.ticketScope
    const participants = yield* participantsOf(workspaceId, ticket.value.participantIds ?? [])
    const audience: PortalAudience = {
      portalEnabled: settings.enabled,
      passesFilters: matchesFilters(ticket.value, settings.ticketFilters),
      contacts: conversation.contacts,
      companies: scope === "contact" ? [] : conversation.companies,
      scope: typeof scope === "object" ? "lists" : scope,
      ...(participants.length === 0
        ? {}
        : { participants: participants.map((p) => ({ id: p.id, name: p.name, email: p.email })) }),
    }
    const detail: AgentTicketDetail = {
      ticket: row,
      content: ticket.value.content,
      properties: ticket.value.properties,
      contacts: conversation.contacts,
      companies: conversation.companies,
      threads: conversation.threads.map((t) => ({
        id: t.id,
        channel: t.channel,
        inboxId: t.inboxId,
        createdAt: t.createdAt,
        shownOnPortal: shown !== null && shown.id === t.id,
        messages: t.messages,
      })),
      notes: conversation.notes,
      replyThreadId: shown?.id ?? null,
      replyRefusal: target._tag === "Refused" ? target.code : null,
      audience,
      choices: {
        pipelines: catalog.pipelines
          .filter((p) => p.id === ticket.value.pipelineId)
          .map((p) => ({ id: p.id, label: p.label, stages: p.stages.map((s) => ({ ...s })) })),
        agents: catalog.agents.map((a) => ({ id: a.id, name: a.name })),
      },
    }
    return detail
  })

/** A version conflict with the ticket as it is now, so the page can show what changed. */
const withCurrent = <A, E, R>(
  caller: AgentCaller,
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E | TicketVersionConflict, R | TicketStore> =>
  Effect.catchIf(
    effect,
    (e): e is Extract<E, TicketVersionConflict> => e instanceof TicketVersionConflict,
    (e) =>
      Effect.gen(function* () {
        const row = yield* Effect.option(
          TicketStore.use((s) => s.agentRow(caller.portal.workspaceId, e.ticketId as TicketId)),
        ).pipe(Effect.map(Option.flatten))
        return yield* new TicketVersionConflict({
          ticketId: e.ticketId,
          currentVersion: Option.isSome(row) ? row.value.version : e.currentVersion,
          ...(Option.isSome(row) ? { current: namedAgentRow(row.value, caller.portal.domain.language) } : {}),
        })
      }),
  )

export interface AgentMessageInput {
  readonly ticketId: TicketId
  /** The ticket's version the agent saw (P-AGT-3). */
  readonly version: number
  readonly text: string
  readonly attachments: ReadonlyArray<UploadedFile>
  readonly idempotencyKey: string
}

const validate = (input: AgentMessageInput) => {
  const issues = replyInputIssues(input)
  return issues.length > 0 ? Effect.fail(new ValidationFailed({ issues })) : Effect.void
}

/** P-AGT-3, P-ACT-4: the agent's answer, into the thread the portal shows or a new one in the default inbox. */
export const agentReplyTicket = (
  caller: AgentCaller,
  input: AgentMessageInput,
): Effect.Effect<
  { readonly messageId: MessageId; readonly threadId: string; readonly duplicate: boolean; readonly version: number },
  | Forbidden
  | ValidationFailed
  | TicketNotFound
  | WorkspaceNotFound
  | ActionNotAllowed
  | Conflict
  | TicketVersionConflict
  | StoreError,
  AgentWriteServices
> =>
  withCurrent(
    caller,
    Effect.gen(function* () {
      yield* requireTicketsWork(caller)
      yield* validate(input)
      const workspaceId = caller.portal.workspaceId
      const tickets = yield* TicketStore
      yield* loadRow(caller, input.ticketId)
      const catalog = yield* portalCatalog(caller.portal)
      const settings = caller.portal.settings
      const shown = visibleThread(yield* tickets.threadsOf(workspaceId, input.ticketId), catalog.inboxes)
      const target = replyTarget(
        shown?.id ?? null,
        settings.defaultInboxId,
        catalog.inboxes.map((i) => i.id),
      )
      if (target._tag === "Refused")
        return yield* new ActionNotAllowed({ action: "reply", code: target.code, reason: refusalText(target.code) })
      const ids = yield* IdGenerator
      const attachments = yield* storeFiles(workspaceId, input.attachments)
      const author = { type: "agent" as const, id: caller.subject.agentId }
      const result = yield* tickets.agentReply({
        workspaceId,
        ticketId: input.ticketId,
        expectedVersion: input.version,
        thread:
          target._tag === "Existing"
            ? target
            : {
                _tag: "New",
                threadId: (yield* ids.next("thread")) as never,
                inboxId: target.inboxId,
                channel: "email",
              },
        message: {
          id: (yield* ids.next("msg")) as MessageId,
          createdAt: yield* (yield* Clock).now(),
          author,
          text: input.text,
          attachments,
        },
        // The same scope as the integration's agent replies: one agent, one key space for replies.
        idempotency: messageClaim(author, "reply", input),
        eventId: yield* ids.next("evt"),
      })
      return result
    }),
  )

/** P-AGT-3: an internal note (never shown to customers, P-COM-3), with files. */
export const agentNoteTicket = (
  caller: AgentCaller,
  input: AgentMessageInput,
): Effect.Effect<
  { readonly noteId: NoteId; readonly duplicate: boolean; readonly version: number },
  Forbidden | ValidationFailed | TicketNotFound | Conflict | TicketVersionConflict | StoreError,
  AgentWriteServices
> =>
  withCurrent(
    caller,
    Effect.gen(function* () {
      yield* requireTicketsWork(caller)
      yield* validate(input)
      const workspaceId = caller.portal.workspaceId
      const tickets = yield* TicketStore
      yield* loadRow(caller, input.ticketId)
      const ids = yield* IdGenerator
      const attachments = yield* storeFiles(workspaceId, input.attachments)
      const author = { type: "agent" as const, id: caller.subject.agentId }
      return yield* tickets.agentNote({
        workspaceId,
        ticketId: input.ticketId,
        expectedVersion: input.version,
        note: {
          id: (yield* ids.next("note")) as NoteId,
          authorId: caller.subject.agentId,
          createdAt: yield* (yield* Clock).now(),
          text: input.text,
          attachments,
        },
        idempotency: messageClaim(author, "note", input),
        eventId: yield* ids.next("evt"),
      })
    }),
  )

export interface AgentUpdateInput {
  readonly ticketId: TicketId
  readonly version: number
  /** A stage of the ticket's pipeline; closing is moving to a closed stage. */
  readonly stageId?: StageId
  /** null: unassign. */
  readonly ownerId?: AgentId | null
}

/** P-AGT-3: change stage and/or owner; nothing to change writes nothing. */
export const agentUpdateTicket = (
  caller: AgentCaller,
  input: AgentUpdateInput,
): Effect.Effect<
  { readonly changed: boolean; readonly version: number; readonly ticket: AgentTicketRow },
  Forbidden | ValidationFailed | TicketNotFound | TicketVersionConflict | StoreError,
  AgentWriteServices
> =>
  withCurrent(
    caller,
    Effect.gen(function* () {
      yield* requireTicketsWork(caller)
      const workspaceId = caller.portal.workspaceId
      const tickets = yield* TicketStore
      const ids = yield* IdGenerator
      const result = yield* tickets
        .updateTicket({
          workspaceId,
          ticketId: input.ticketId,
          expectedVersion: input.version,
          ...(input.stageId === undefined ? {} : { stageId: input.stageId }),
          ...(input.ownerId === undefined ? {} : { ownerId: input.ownerId }),
          at: yield* (yield* Clock).now(),
          eventIds: { stage: yield* ids.next("evt"), owner: yield* ids.next("evt") },
        })
        .pipe(
          Effect.catchTag(
            "MissingReference",
            (e: MissingReference): Effect.Effect<never, TicketNotFound | ValidationFailed> =>
              e.kind === "ticket"
                ? Effect.fail(new TicketNotFound({ ticketId: input.ticketId }))
                : Effect.fail(
                    new ValidationFailed({ issues: [referenceIssue(e.kind === "agent" ? "ownerId" : "stageId", e)] }),
                  ),
          ),
        )
      const ticket = yield* loadRow(caller, input.ticketId)
      return { ...result, ticket }
    }),
  )

export const AGENT_EVENTS_PAGE = 200

/**
 * P-AGT-4: the workspace's events after `after` for an agent's live updates (`GET /agent/events`),
 * or, with `after` null, none and the latest sequence (a new connection starts from now).
 */
export const agentEventsAfter = (
  caller: AgentCaller,
  after: number | null,
): Effect.Effect<
  { readonly events: ReadonlyArray<PortalEvent>; readonly cursor: number },
  Forbidden | StoreError,
  TicketStore
> =>
  Effect.gen(function* () {
    yield* requireTicketsWork(caller)
    const tickets = yield* TicketStore
    const workspaceId = caller.portal.workspaceId
    if (after === null) return { events: [], cursor: yield* tickets.lastEventSequence(workspaceId) }
    const events = yield* tickets.events(workspaceId, after, AGENT_EVENTS_PAGE)
    return { events, cursor: events.at(-1)?.sequence ?? after }
  })
