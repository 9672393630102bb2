/**
 * The agent list's query in the URL (P-AGT-1): every filter, the sort and the page are query
 * parameters, so links, the back button and a browser without JavaScript all work. Parsing is
 * forgiving (anything malformed is "no condition"); the API checks what it gets again.
 *
 *   ?state=open|closed|all  &pipeline=<id> &stage=<id> &owner=me|unassigned|<agentId>
 *   &company=<id> &requester=<id> &q=<text> &sort=<column> &dir=asc|desc &cursor=… &prev=…
 */
import { type PagePosition, positionOf, positionParams } from "../paging.ts"

export const SORT_COLUMNS = ["subject", "requester", "owner", "status", "created", "lastActivity"] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]
export type Direction = "asc" | "desc"
export type StateFilter = "open" | "closed" | null

export interface AgentListQuery {
  /** Open tickets by default: the agent's work queue; "all" in the URL is null here. */
  readonly state: StateFilter
  readonly pipelineId: string | null
  readonly stageId: string | null
  /** "any", "me", "unassigned", or an agent's id. */
  readonly owner: string
  readonly companyId: string | null
  readonly requesterId: string | null
  readonly q: string
  readonly sort: SortColumn
  readonly dir: Direction
}

export const DEFAULT_SORT: SortColumn = "lastActivity"
export const defaultDirection = (column: SortColumn): Direction =>
  column === "created" || column === "lastActivity" ? "desc" : "asc"

/** An id as the URL may carry it: one line of at most 255 characters (the API's IdString). */
const id = (value: string | null): string | null =>
  value !== null &&
  value.length > 0 &&
  value.length <= 255 &&
  ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
    ? value
    : null

export const queryOf = (params: URLSearchParams): AgentListQuery => {
  const state = params.get("state")
  const sortParam = params.get("sort")
  const sort = (SORT_COLUMNS as ReadonlyArray<string>).includes(sortParam ?? "")
    ? (sortParam as SortColumn)
    : DEFAULT_SORT
  const dirParam = params.get("dir")
  return {
    state: state === "closed" ? "closed" : state === "all" ? null : "open",
    pipelineId: id(params.get("pipeline")),
    stageId: id(params.get("stage")),
    owner: id(params.get("owner")) ?? "any",
    companyId: id(params.get("company")),
    requesterId: id(params.get("requester")),
    q: (params.get("q") ?? "").trim().slice(0, 200),
    sort,
    dir: dirParam === "asc" || dirParam === "desc" ? dirParam : defaultDirection(sort),
  }
}

export const positionFrom = (params: URLSearchParams): PagePosition => positionOf(params)

/**
 * The list's URL for a query (and page). Defaults are left out so the plain list is `/agent`.
 * Any change of filter or sort starts again at the first page: pass no position.
 */
export const listHref = (query: AgentListQuery, position: PagePosition | null = null): string => {
  const params = new URLSearchParams()
  if (query.state !== "open") params.set("state", query.state ?? "all")
  if (query.pipelineId) params.set("pipeline", query.pipelineId)
  if (query.stageId) params.set("stage", query.stageId)
  if (query.owner !== "any") params.set("owner", query.owner)
  if (query.companyId) params.set("company", query.companyId)
  if (query.requesterId) params.set("requester", query.requesterId)
  if (query.q) params.set("q", query.q)
  if (query.sort !== DEFAULT_SORT || query.dir !== defaultDirection(query.sort)) {
    params.set("sort", query.sort)
    params.set("dir", query.dir)
  }
  if (position) {
    const { cursor, prev } = positionParams(position)
    if (cursor) params.set("cursor", cursor)
    if (prev) params.set("prev", prev)
  }
  const search = params.toString()
  return `/agent${search ? `?${search}` : ""}`
}

/** The query with some parts changed (a filter, the sort). */
export const withQuery = (query: AgentListQuery, changes: Partial<AgentListQuery>): AgentListQuery => ({
  ...query,
  ...changes,
})

/** Whether any filter but the state is set (the empty state then offers to clear them). */
export const isFiltered = (query: AgentListQuery): boolean =>
  query.pipelineId !== null ||
  query.stageId !== null ||
  query.owner !== "any" ||
  query.companyId !== null ||
  query.requesterId !== null ||
  query.q !== ""

export const clearedFilters = (query: AgentListQuery): AgentListQuery => ({
  ...query,
  pipelineId: null,
  stageId: null,
  owner: "any",
  companyId: null,
  requesterId: null,
  q: "",
})
