/**
 * The ticket list (P-LIST-1, P-LIST-2, P-VIS-1…3): what every storage adapter's `TicketStore.list`
 * must return, written once as pure functions. The storage contract compares adapters with
 * `listTicketsPure`.
 * - Visibility: `inView(view)` and every ticket filter (rules/Visibility.ts).
 * - Status: "open"/"closed" is the state of the ticket's stage in its pipeline; null: both.
 * - Search: the trimmed term, case-insensitively (`toLowerCase`), as a plain substring of the
 *   subject or the content; `%`, `_` and `\` are ordinary characters. Null or blank: no search.
 * - Sort (P-EXT-4), either direction (default: times newest first, texts A→Z): `lastActivity`
 *   (lastActivityAt) or `created` (createdAt), compared in whole milliseconds; `subject`; `owner`
 *   (the owner's display name, "" for none); `status` as the customer sees it (`listSortKey`).
 *   Strings compare by code points (SQL: `COLLATE "C"`). Ties by ticket id in the same direction,
 *   so every row has one place.
 * - Pages: `limit` rows after the cursor; `nextCursor` names the last row when more follow.
 *   A cursor is opaque and names its sort; a malformed one, or one of another sort or direction,
 *   is a ValidationFailed error (`invalid_cursor`), never a crash.
 */
import { Effect, Option } from "effect"
import * as Base64Url from "effect/encoding/Base64Url"
import type { Agent, Pipeline, Stage, StageState, Ticket } from "../domain/Entities.ts"
import { type TicketId, timeMs } from "../domain/Ids.ts"
import { fieldIssue } from "../domain/Issues.ts"
import type { StatusDisplay } from "../domain/PortalSettings.ts"
import type {
  ListDirection,
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

/** Compare strings by code points (UTF-8 byte order, PostgreSQL's `COLLATE "C"`). */
export const compareCodePoints = (a: string, b: string): number => {
  const x = Array.from(a)
  const y = Array.from(b)
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}

/**
 * P-EXT-4: what a sort compares. `status` is what the customer sees: with Open/Closed shown, the
 * state only (`state`; the stage must not order the rows, P-SEC-6), with stages shown, the state
 * then the stage label (`stage`, `<state>:<label>`, as the agent list's status column).
 */
export type ListSortKey = "lastActivity" | "created" | "subject" | "owner" | "state" | "stage"

export const listSortKey = (sort: SortOrder, statusDisplay: StatusDisplay | undefined): ListSortKey =>
  sort === "status" ? (statusDisplay === "stages" ? "stage" : "state") : sort

/** Times newest first, texts A→Z. */
export const defaultDirection = (sort: SortOrder): ListDirection =>
  sort === "lastActivity" || sort === "created" ? "desc" : "asc"

export const directionOf = (query: Pick<TicketListQuery, "sort" | "direction">): ListDirection =>
  query.direction ?? defaultDirection(query.sort)

const numericKey = (key: ListSortKey) => key === "lastActivity" || key === "created"

/** A list row's key for a sort: whole milliseconds, or a string compared by code points. */
export const listSortKeyOf = (row: TicketSummary, key: ListSortKey): string | number => {
  switch (key) {
    case "lastActivity":
      return timeMs(row.lastActivityAt)
    case "created":
      return timeMs(row.createdAt)
    case "subject":
      return row.subject
    case "owner":
      return row.owner?.name ?? ""
    case "state":
      return row.status.state
    case "stage":
      return `${row.status.state}:${row.status.stageLabel}`
  }
}

/** Where a row sits in the list order: its sort key, then its id (in the same direction). */
export interface CursorPosition {
  readonly key: string | number
  readonly id: string
}

/** Negative when `a` comes first in the list for this direction. */
export const comparePositions = (a: CursorPosition, b: CursorPosition, direction: ListDirection = "desc"): number => {
  const byKey =
    typeof a.key === "number" && typeof b.key === "number"
      ? a.key - b.key
      : compareCodePoints(String(a.key), String(b.key))
  const asc = byKey !== 0 ? byKey : compareCodePoints(a.id, b.id)
  return direction === "asc" ? asc : -asc
}

/** Does the row come after the cursor (i.e. belong to the next page)? */
export const isAfter = (position: CursorPosition, cursor: CursorPosition, direction: ListDirection = "desc"): boolean =>
  comparePositions(position, cursor, direction) > 0

/** The sort a cursor was made for: its key and direction. */
export interface CursorSort {
  readonly key: ListSortKey
  readonly direction: ListDirection
}

export const cursorSortOf = (query: Pick<TicketListQuery, "sort" | "direction" | "statusDisplay">): CursorSort => ({
  key: listSortKey(query.sort, query.statusDisplay),
  direction: directionOf(query),
})

/** A cursor is opaque: base64url of `[sort key, direction, row key, row id]` (JSON). */
export const encodeCursor = (sort: CursorSort, position: CursorPosition): string =>
  Base64Url.encode(
    JSON.stringify([
      sort.key,
      sort.direction,
      numericKey(sort.key) ? Math.trunc(Number(position.key)) : String(position.key),
      position.id,
    ]),
  )

/**
 * The position a cursor names, or none when it is not one this module made for this sort: a
 * cursor of another sort or direction is refused (a 400 the list page answers with its first page).
 */
export const parseCursor = (cursor: string, sort: CursorSort): Option.Option<CursorPosition> => {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 4000) return Option.none()
  const decoded = Base64Url.decodeString(cursor)
  if (decoded._tag === "Failure") return Option.none()
  let value: unknown
  try {
    value = JSON.parse(decoded.success)
  } catch {
    return Option.none()
  }
  if (!Array.isArray(value) || value.length !== 4) return Option.none()
  const [key, direction, rowKey, id] = value as [unknown, unknown, unknown, unknown]
  if (key !== sort.key || direction !== sort.direction || typeof id !== "string" || id.length === 0)
    return Option.none()
  const keyOk = numericKey(sort.key)
    ? typeof rowKey === "number" && Number.isSafeInteger(rowKey)
    : typeof rowKey === "string" && !rowKey.includes("\uFFFD")
  return keyOk && !id.includes("\uFFFD") ? Option.some({ key: rowKey as string | number, id }) : Option.none()
}

export const decodeCursor = (cursor: string, sort: CursorSort): Effect.Effect<CursorPosition, ValidationFailed> =>
  Option.match(parseCursor(cursor, sort), {
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
  Effect.map(
    query.cursor === null ? Effect.succeed(null) : decodeCursor(query.cursor, cursorSortOf(query)),
    (cursor) => {
      const term = searchTerm(query.search)
      const sort = cursorSortOf(query)
      const summary = summarizer(data)
      const rows = data.tickets
        .filter(
          (t) =>
            inView(t, scope, query.view) &&
            matchesFilters(t, scope.filters) &&
            matchesStatus(ticketStatus(data.pipelines, t).state, query.status) &&
            matchesSearch(t, term),
        )
        .map((t) => {
          const row = summary(t)
          return { row, position: { key: listSortKeyOf(row, sort.key), id: t.id as string } }
        })
        .filter((row) => cursor === null || isAfter(row.position, cursor, sort.direction))
        .sort((a, b) => comparePositions(a.position, b.position, sort.direction))
      const limit = Math.max(1, Math.trunc(query.limit))
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return {
        items: page.map((row) => row.row),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(sort, last.position) : null,
      }
    },
  )

/** The reference single read (P-VIS-4): the row when the viewer may see the ticket, else none. */
export const getTicketPure = (
  data: ListingData,
  scope: ViewerScope,
  ticketId: TicketId | string,
): Option.Option<TicketSummary> => {
  const ticket = data.tickets.find((t) => t.id === ticketId)
  return ticket !== undefined && canSee(ticket, scope) ? Option.some(summarizer(data)(ticket)) : Option.none()
}
