/**
 * The agent's ticket list (P-AGT-1): what every storage adapter's `TicketStore.agentList` must
 * return, written once as pure functions; the storage contract compares adapters with
 * `agentListPure`. It is the whole workspace: no customer visibility rule applies.
 * - Conditions (each optional): the state of the ticket's stage, pipeline, stage, owner (anyone,
 *   nobody, one agent), company (among the ticket's companies), requester, and search (the
 *   customer list's: trimmed, case-insensitive substring of subject or content).
 * - Sort keys: subject; created and lastActivity (whole milliseconds); status (`<state>:<stage
 *   label>`, so open and closed group); owner (the owner's name, "" for nobody); requester (the
 *   requester's email in lower case, "" for nobody). Strings compare by code points (SQL:
 *   `COLLATE "C"`). Ties by ticket id in the same direction, so every row has one place.
 * - Pages: `limit` rows after the cursor; the cursor names the sort and the last row's key and id,
 *   and is refused for another sort. Counts per state apply every condition but state.
 */
import { Option } from "effect"
import * as Base64Url from "effect/encoding/Base64Url"
import type {
  AgentSort,
  AgentTicketPage,
  AgentTicketQuery,
  AgentTicketRow,
  IdName,
  RequesterRef,
} from "../domain/AgentModels.ts"
import type { Agent, Company, Pipeline, Satisfaction, StageState, Ticket } from "../domain/Entities.ts"
import { timeMs } from "../domain/Ids.ts"
import type { DocumentTicket } from "../domain/WorkspaceDocument.ts"
import { compareCodePoints, matchesSearch, searchTerm, ticketStatus } from "./Listing.ts"
import { contactRef, type NamedContact } from "./Names.ts"

export type SortKey = string | number

const compareKeys = (a: SortKey, b: SortKey): number =>
  typeof a === "number" && typeof b === "number" ? a - b : compareCodePoints(String(a), String(b))

/** What the agent list needs of a workspace (a WorkspaceDocument plus versions fits). */
export interface AgentListingData {
  readonly tickets: ReadonlyArray<Ticket>
  readonly pipelines: ReadonlyArray<Pipeline>
  readonly contacts: ReadonlyArray<NamedContact>
  readonly agents: ReadonlyArray<Pick<Agent, "id" | "name">>
  readonly companies: ReadonlyArray<Company>
  readonly versionOf: (ticketId: string) => number
  /** P-EXT-2: a ticket's rating; by default a document ticket's own `satisfaction`. */
  readonly satisfactionOf?: (ticketId: string) => Satisfaction | undefined
}

/** The status sort key of a stage: its state, then its label. */
export const statusKey = (state: StageState, label: string): string => `${state}:${label}`

/** Builds the rows of one workspace with its lookups prepared once. */
export const agentRower = (data: Omit<AgentListingData, "tickets">) => {
  const contacts = new Map(data.contacts.map((c) => [c.id as string, c]))
  const agents = new Map(data.agents.map((a) => [a.id as string, a]))
  const companies = new Map(data.companies.map((c) => [c.id as string, c]))
  const pipelines = new Map(data.pipelines.map((p) => [p.id as string, p]))
  const requester = (id: string | undefined): RequesterRef | null => {
    const c = id === undefined ? undefined : contacts.get(id)
    return c === undefined ? null : { ...contactRef(c), id: c.id, email: c.email }
  }
  const named = (map: ReadonlyMap<string, { readonly id: string; readonly name: string }>, id: string | undefined) => {
    const found = id === undefined ? undefined : map.get(id)
    return found === undefined ? null : ({ id: found.id, name: found.name } as IdName)
  }
  const ratingOf = (ticket: Ticket | DocumentTicket): Satisfaction | undefined =>
    data.satisfactionOf === undefined
      ? "satisfaction" in ticket
        ? ticket.satisfaction
        : undefined
      : data.satisfactionOf(ticket.id)
  return (ticket: Ticket): AgentTicketRow => {
    const status = ticketStatus(data.pipelines, ticket)
    const satisfaction = ratingOf(ticket)
    return {
      id: ticket.id,
      subject: ticket.subject,
      requester: requester(ticket.requesterId),
      company: named(companies, ticket.companyIds[0]),
      owner: named(agents, ticket.ownerId),
      pipeline: { id: ticket.pipelineId, label: pipelines.get(ticket.pipelineId)?.label ?? ticket.pipelineId },
      stage: { id: ticket.stageId, label: status.stageLabel },
      state: status.state,
      createdAt: ticket.createdAt,
      lastActivityAt: ticket.lastActivityAt,
      version: data.versionOf(ticket.id),
      ...(satisfaction === undefined ? {} : { satisfaction }),
    }
  }
}

/** A row's key for a sort column. */
export const sortKeyOf = (row: AgentTicketRow, column: AgentSort["column"]): SortKey => {
  switch (column) {
    case "subject":
      return row.subject
    case "created":
      return timeMs(row.createdAt)
    case "lastActivity":
      return timeMs(row.lastActivityAt)
    case "status":
      return statusKey(row.state, row.stage.label)
    case "owner":
      return row.owner?.name ?? ""
    case "requester":
      return (row.requester?.email ?? "").toLowerCase()
  }
}

export interface AgentPosition {
  readonly key: SortKey
  readonly id: string
}

/** Negative when `a` comes first in the list for this direction. */
export const compareAgentPositions = (a: AgentPosition, b: AgentPosition, direction: AgentSort["direction"]) => {
  const byKey = compareKeys(a.key, b.key)
  const asc = byKey !== 0 ? byKey : compareCodePoints(a.id, b.id)
  return direction === "asc" ? asc : -asc
}

const numericColumn = (column: AgentSort["column"]) => column === "created" || column === "lastActivity"

export const encodeAgentCursor = (sort: AgentSort, position: AgentPosition): string =>
  Base64Url.encode(JSON.stringify([sort.column, sort.direction, position.key, position.id]))

/** The position a cursor names, or none when it is not one this module made for this sort. */
export const parseAgentCursor = (cursor: string, sort: AgentSort): Option.Option<AgentPosition> => {
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
  const [column, direction, key, id] = value as [unknown, unknown, unknown, unknown]
  if (column !== sort.column || direction !== sort.direction || typeof id !== "string") return Option.none()
  const keyOk = numericColumn(sort.column)
    ? typeof key === "number" && Number.isSafeInteger(key)
    : typeof key === "string" && !key.includes("\uFFFD")
  return keyOk && !id.includes("\uFFFD") ? Option.some({ key: key as SortKey, id }) : Option.none()
}

/** Does the ticket meet every condition of the query but state and cursor? */
export const matchesAgentConditions = (ticket: Ticket, query: AgentTicketQuery): boolean =>
  (query.pipelineId === null || ticket.pipelineId === query.pipelineId) &&
  (query.stageId === null || ticket.stageId === query.stageId) &&
  (query.owner._tag === "Any" ||
    (query.owner._tag === "Unassigned" ? ticket.ownerId === undefined : ticket.ownerId === query.owner.agentId)) &&
  (query.companyId === null || ticket.companyIds.includes(query.companyId)) &&
  (query.requesterId === null || ticket.requesterId === query.requesterId) &&
  matchesSearch(ticket, searchTerm(query.search))

/** The reference agent list; a cursor this module did not make for this sort is None. */
export const agentListPure = (data: AgentListingData, query: AgentTicketQuery): Option.Option<AgentTicketPage> => {
  const cursor = query.cursor === null ? null : parseAgentCursor(query.cursor, query.sort)
  if (cursor !== null && Option.isNone(cursor)) return Option.none()
  const after = cursor === null ? null : cursor.value
  const row = agentRower(data)
  const matching = data.tickets.filter((t) => matchesAgentConditions(t, query)).map(row)
  const counts = {
    open: matching.filter((r) => r.state === "open").length,
    closed: matching.filter((r) => r.state === "closed").length,
  }
  const direction = query.sort.direction
  const rows = matching
    .filter((r) => query.state === null || r.state === query.state)
    .map((r) => ({ row: r, position: { key: sortKeyOf(r, query.sort.column), id: r.id as string } }))
    .filter((r) => after === null || compareAgentPositions(r.position, after, direction) > 0)
    .sort((a, b) => compareAgentPositions(a.position, b.position, direction))
  const limit = Math.max(1, Math.trunc(query.limit))
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return Option.some({
    items: page.map((r) => r.row),
    nextCursor: rows.length > limit && last !== undefined ? encodeAgentCursor(query.sort, last.position) : null,
    counts,
  })
}
