/**
 * The ticket list as ONE SQL query (rules/Listing.ts says what it must return):
 * - Visibility (P-VIS-1/2/5): candidates come from the association tables, whose indexes
 *   (workspace_id, contact_id | company_id, sort key DESC, ticket_id DESC) deliver them already
 *   in list order. Each range (the contact's, the company's) is one branch that joins the ticket
 *   and its stage, applies every condition, and stops at LIMIT: an index scan that reads little
 *   more than one page even for a company with hundreds of thousands of tickets.
 * - P-EXT-1: the viewer's participant rows (ticket_participants, same index shape) are a third
 *   branch, in views "all" and "shared".
 * - View "all" is the UNION ALL of the branches; the planner merges the two ordered branches
 *   (Merge Append), DISTINCT ON drops a ticket that is in both, and the outer LIMIT keeps the
 *   page. (The top n of a union is within the union of each branch's top n.)
 * - Sorts (P-EXT-4): every sort key has a copy in the association rows and an index there
 *   (migration 17), in either direction (a backward scan for the other).
 * - Keyset pagination: `(sort key, ticket_id) < (cursor)` (`>` ascending) is an index bound in
 *   each branch.
 * - Ticket filters (P-VIS-3), status (the stage's state) and search (ILIKE with an escaped
 *   pattern, backed by pg_trgm GIN indexes when the planner prefers them) are conditions on the
 *   joined ticket row. Requester and owner names are joined for the final page only.
 */
import type { TicketFilter, TicketListQuery, ViewerScope } from "@portal/core/domain"
import type { ListSortKey } from "@portal/core/rules"
import { type CursorPosition, cursorSortOf, escapeLike, searchTerm } from "@portal/core/rules"

export interface SqlQuery {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/** Builds `$n` placeholders while collecting their values. */
class Params {
  readonly values: Array<unknown> = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/** P-VIS-3: a ticket without the property matches no `in` and every `notIn`. */
const filterSql = (p: Params, filter: TicketFilter): string => {
  const values = `${p.add([...filter.values])}::text[]`
  const value =
    filter.property === "pipelineId"
      ? "t.pipeline_id"
      : filter.property === "stageId"
        ? "t.stage_id"
        : `(t.properties ->> ${p.add(filter.property)}::text)`
  const listed = `coalesce(${value} = ANY(${values}), false)`
  return filter.operator === "in" ? listed : `NOT ${listed}`
}

/** Conditions that go into the visible-ticket predicate (also used by single reads). */
export const filtersSql = (p: Params, filters: ReadonlyArray<TicketFilter>): ReadonlyArray<string> =>
  filters.map((f) => filterSql(p, f))

export { Params }

/** The SELECT list of a summary row (columns of the ticket, its stage, requester and owner). */
export const SUMMARY_COLUMNS = `t.ticket_id, t.subject, t.created_at, t.last_activity_at, t.pipeline_id, t.stage_id,
  s.label AS stage_label, s.state AS stage_state,
  rq.contact_id AS requester_id, rq.email AS requester_email, rq.first_name AS requester_first_name,
  rq.last_name AS requester_last_name, ow.agent_id AS owner_id, ow.name AS owner_name`

export const SUMMARY_JOINS = `LEFT JOIN stages s ON s.workspace_id = t.workspace_id AND s.pipeline_id = t.pipeline_id AND s.stage_id = t.stage_id
  LEFT JOIN contacts rq ON rq.workspace_id = t.workspace_id AND rq.contact_id = t.requester_id
  LEFT JOIN agents ow ON ow.workspace_id = t.workspace_id AND ow.agent_id = t.owner_id`

/**
 * P-EXT-4: each sort's column in the association rows (copies of the ticket's, migrations 1 and
 * 17) and the type of a cursor's key. Every column is indexed after (workspace, contact | company).
 */
const SORT_COLUMNS: Record<ListSortKey, { readonly column: string; readonly cast: string }> = {
  lastActivity: { column: "last_activity_ms", cast: "bigint" },
  created: { column: "created_ms", cast: "bigint" },
  subject: { column: "subject", cast: "text" },
  owner: { column: "owner_key", cast: "text" },
  state: { column: "state", cast: "text" },
  stage: { column: "status_key", cast: "text" },
}

/** The list query, or null when the view has no range at all (organization, no company). */
export const listQuery = (
  scope: ViewerScope,
  query: TicketListQuery,
  cursor: CursorPosition | null,
): SqlQuery | null => {
  const p = new Params()
  const ws = p.add(scope.workspaceId)
  // Only the parameters a branch uses are sent: an unused one has no type PostgreSQL can infer.
  const companyId = scope.companyId
  const sort = cursorSortOf(query)
  const { column: key, cast } = SORT_COLUMNS[sort.key]
  const dir = sort.direction === "asc" ? "ASC" : "DESC"
  const limit = p.add(query.limit + 1)

  const conditions = [...filtersSql(p, scope.filters)]
  if (query.status !== null) conditions.push(`coalesce(s.state, 'open') = ${p.add(query.status)}`)
  const term = searchTerm(query.search)
  if (term !== null) {
    const pattern = p.add(`%${escapeLike(term)}%`)
    conditions.push(`(t.subject ILIKE ${pattern} ESCAPE '\\' OR t.content ILIKE ${pattern} ESCAPE '\\')`)
  }
  if (cursor !== null)
    conditions.push(
      `(a.${key}, a.ticket_id) ${dir === "ASC" ? ">" : "<"} (${p.add(cursor.key)}::${cast}, ${p.add(cursor.id)}::text)`,
    )

  const branch = (
    table: "ticket_contacts" | "ticket_companies" | "ticket_participants",
    column: string,
    value: string,
  ) => `(
    SELECT a.${key} AS k, a.ticket_id, t.subject, t.created_at, t.last_activity_at, t.pipeline_id, t.stage_id,
      t.requester_id, t.owner_id, s.label AS stage_label, s.state AS stage_state
    FROM ${table} a
    JOIN tickets t ON t.workspace_id = a.workspace_id AND t.ticket_id = a.ticket_id
    LEFT JOIN stages s ON s.workspace_id = t.workspace_id AND s.pipeline_id = t.pipeline_id AND s.stage_id = t.stage_id
    WHERE ${[`a.workspace_id = ${ws}`, `a.${column} = ${value}`, ...conditions].join("\n      AND ")}
    ORDER BY a.${key} ${dir}, a.ticket_id ${dir}
    LIMIT ${limit})`
  const branches: Array<string> = []
  const contact = query.view === "organization" ? null : p.add(scope.contactId)
  if (contact !== null && query.view !== "shared") branches.push(branch("ticket_contacts", "contact_id", contact))
  if ((query.view === "all" || query.view === "organization") && companyId !== null)
    branches.push(branch("ticket_companies", "company_id", p.add(companyId)))
  // P-EXT-1: the tickets shared with the viewer ("shared", and in "all").
  if (contact !== null && (query.view === "all" || query.view === "shared"))
    branches.push(branch("ticket_participants", "contact_id", contact))
  if (branches.length === 0) return null

  const sql = `SELECT c.ticket_id, c.subject, c.created_at, c.last_activity_at, c.pipeline_id, c.stage_id,
    c.stage_label, c.stage_state, c.k AS sort_key,
    rq.contact_id AS requester_id, rq.email AS requester_email, rq.first_name AS requester_first_name,
    rq.last_name AS requester_last_name, ow.agent_id AS owner_id, ow.name AS owner_name
  FROM (
    SELECT DISTINCT ON (u.k, u.ticket_id) u.* FROM (${branches.join("\n    UNION ALL\n    ")}) u
    ORDER BY u.k ${dir}, u.ticket_id ${dir}
    LIMIT ${limit}
  ) c
  LEFT JOIN contacts rq ON rq.workspace_id = ${ws} AND rq.contact_id = c.requester_id
  LEFT JOIN agents ow ON ow.workspace_id = ${ws} AND ow.agent_id = c.owner_id
  ORDER BY c.k ${dir}, c.ticket_id ${dir}`
  return { sql, params: p.values }
}
