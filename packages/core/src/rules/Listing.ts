/**
 * The ticket list (P-LIST-1, P-LIST-2, P-VIS-1…3): what every storage adapter's `TicketStore.list`
 * must return, written once as pure functions. The storage contract compares adapters with
 * `listTicketsPure`.
 * - Visibility: `inView(view)` and every ticket filter (rules/Visibility.ts).
 * - Status: "open"/"closed" is the state of the ticket's stage in its pipeline; null: both.
 * - Search: the trimmed term, case-insensitively (`toLowerCase`), as a plain substring of the
 *   subject or the content; `%`, `_` and `\` are ordinary characters. Null or blank: no search.
 * - Sort: `lastActivity` (lastActivityAt) or `created` (createdAt), newest first, compared in
 *   whole milliseconds; ties by ticket id descending, compared by UTF-16 code units (in SQL:
 *   `COLLATE "C"` on ASCII ids).
 * - Pages: `limit` rows after the cursor; `nextCursor` names the last row when more follow.
 *   A cursor is opaque: base64url of "<sort time ms>:<ticket id>". A malformed one is a
 *   ValidationFailed error, never a crash.
 */
import { Effect, Option } from "effect"
import * as Base64Url from "effect/encoding/Base64Url"
import type { Agent, Pipeline, Stage, StageState, Ticket } from "../domain/Entities.ts"
import { type TicketId, timeMs } from "../domain/Ids.ts"
import { fieldIssue } from "../domain/Issues.ts"
import type {
  PersonRef,
  SortOrder,
  StatusFilter,
  TicketListQuery,
  TicketPage,
  TicketStatus,
  TicketSummary,
  ViewerScope,
} from "../domain/ReadModels.ts"
import { ValidationFailed } from "../ports/Errors.ts"
import { contactRef, type NamedContact } from "./Names.ts"
import { canSee, inView, matchesFilters } from "./Visibility.ts"

export const stageOf = (pipelines: ReadonlyArray<Pipeline>, pipelineId: string, stageId: string): Stage | undefined =>
  pipelines.find((p) => p.id === pipelineId)?.stages.find((s) => s.id === stageId)

/** The status column; a stage missing from its pipeline (never in a valid store) shows as open. */
export const ticketStatus = (
  pipelines: ReadonlyArray<Pipeline>,
  ticket: Pick<Ticket, "pipelineId" | "stageId">,
): TicketStatus => {
  const stage = stageOf(pipelines, ticket.pipelineId, ticket.stageId)
  return {
    pipelineId: ticket.pipelineId,
    stageId: ticket.stageId,
    stageLabel: stage?.label ?? ticket.stageId,
    state: stage?.state ?? "open",
  }
}

export const matchesStatus = (state: StageState, status: StatusFilter | null): boolean =>
  status === null || state === status

/** The term to look for: trimmed and lower-cased, or null when the search is blank. */
export const searchTerm = (search: string | null): string | null => {
  const term = (search ?? "").trim().toLowerCase()
  return term.length === 0 ? null : term
}

export const matchesSearch = (ticket: Pick<Ticket, "subject" | "content">, term: string | null): boolean =>
  term === null || ticket.subject.toLowerCase().includes(term) || ticket.content.toLowerCase().includes(term)

/** The term as a SQL LIKE pattern body with `ESCAPE '\'`: `%`, `_` and `\` match themselves. */
export const escapeLike = (term: string): string => term.replace(/[\\%_]/g, (c) => `\\${c}`)

export const sortTimeMs = (ticket: Pick<Ticket, "createdAt" | "lastActivityAt">, sort: SortOrder): number =>
  timeMs(sort === "created" ? ticket.createdAt : ticket.lastActivityAt)

/** Where a row sits in the list order: newest first, then id descending. */
export interface CursorPosition {
  readonly sortMs: number
  readonly id: string
}

export const positionOf = (
  ticket: Pick<Ticket, "id" | "createdAt" | "lastActivityAt">,
  sort: SortOrder,
): CursorPosition => ({ sortMs: sortTimeMs(ticket, sort), id: ticket.id })

/** Negative when `a` comes first in the list. */
export const comparePositions = (a: CursorPosition, b: CursorPosition): number =>
  a.sortMs !== b.sortMs ? b.sortMs - a.sortMs : a.id === b.id ? 0 : a.id < b.id ? 1 : -1

/** Does the row come after the cursor (i.e. belong to the next page)? */
export const isAfter = (position: CursorPosition, cursor: CursorPosition): boolean =>
  comparePositions(position, cursor) > 0

export const encodeCursor = (position: CursorPosition): string =>
  Base64Url.encode(`${Math.trunc(position.sortMs)}:${position.id}`)

const cursorText = /^(-?\d{1,16}):([\s\S]+)$/

/** The position a cursor names, or none when it is not one this module made. */
export const parseCursor = (cursor: string): Option.Option<CursorPosition> => {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return Option.none()
  const decoded = Base64Url.decodeString(cursor)
  if (decoded._tag === "Failure") return Option.none()
  const match = cursorText.exec(decoded.success)
  if (match === null) return Option.none()
  const sortMs = Number(match[1])
  const id = match[2] ?? ""
  return Number.isSafeInteger(sortMs) && !id.includes("\uFFFD") ? Option.some({ sortMs, id }) : Option.none()
}

export const decodeCursor = (cursor: string): Effect.Effect<CursorPosition, ValidationFailed> =>
  Option.match(parseCursor(cursor), {
    onNone: () =>
      Effect.fail(new ValidationFailed({ issues: [fieldIssue("cursor", "invalid_cursor", "Invalid cursor")] })),
    onSome: Effect.succeed,
  })

/** What the list needs of a workspace (a WorkspaceDocument fits, so do stored rows). */
export interface ListingData {
  readonly tickets: ReadonlyArray<Ticket>
  readonly pipelines: ReadonlyArray<Pipeline>
  readonly contacts: ReadonlyArray<NamedContact>
  readonly agents: ReadonlyArray<Pick<Agent, "id" | "name">>
}

/** Builds the rows of one workspace with its lookups prepared once. */
export const summarizer = (data: Omit<ListingData, "tickets">) => {
  const contacts = new Map(data.contacts.map((c) => [c.id as string, c]))
  const agents = new Map(data.agents.map((a) => [a.id as string, a]))
  const requesterRef = (id: string | undefined): PersonRef | null => {
    const contact = id === undefined ? undefined : contacts.get(id)
    return contact === undefined ? null : contactRef(contact)
  }
  const agentRef = (id: string | undefined): PersonRef | null => {
    const agent = id === undefined ? undefined : agents.get(id)
    return agent === undefined ? null : { id: agent.id, name: agent.name }
  }
  return (ticket: Ticket): TicketSummary => ({
    id: ticket.id,
    subject: ticket.subject,
    requester: requesterRef(ticket.requesterId),
    owner: agentRef(ticket.ownerId),
    createdAt: ticket.createdAt,
    lastActivityAt: ticket.lastActivityAt,
    status: ticketStatus(data.pipelines, ticket),
  })
}

/** The reference ticket list: visibility, status, search, sort, cursor and limit. */
export const listTicketsPure = (
  data: ListingData,
  scope: ViewerScope,
  query: TicketListQuery,
): Effect.Effect<TicketPage, ValidationFailed> =>
  Effect.map(query.cursor === null ? Effect.succeed(null) : decodeCursor(query.cursor), (cursor) => {
    const term = searchTerm(query.search)
    const rows = data.tickets
      .filter(
        (t) =>
          inView(t, scope, query.view) &&
          matchesFilters(t, scope.filters) &&
          matchesStatus(ticketStatus(data.pipelines, t).state, query.status) &&
          matchesSearch(t, term),
      )
      .map((t) => ({ ticket: t, position: positionOf(t, query.sort) }))
      .filter((row) => cursor === null || isAfter(row.position, cursor))
      .sort((a, b) => comparePositions(a.position, b.position))
    const limit = Math.max(1, Math.trunc(query.limit))
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    const summary = summarizer(data)
    return {
      items: page.map((row) => summary(row.ticket)),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.position) : null,
    }
  })

/** The reference single read (P-VIS-4): the row when the viewer may see the ticket, else none. */
export const getTicketPure = (
  data: ListingData,
  scope: ViewerScope,
  ticketId: TicketId | string,
): Option.Option<TicketSummary> => {
  const ticket = data.tickets.find((t) => t.id === ticketId)
  return ticket !== undefined && canSee(ticket, scope) ? Option.some(summarizer(data)(ticket)) : Option.none()
}
