// P-AGT-1: the agent list's filters, sort and page live in the URL. Any query the page can make
// survives the trip through its own link (so links, back and reload show the same list), and
// whatever a hand-edited URL holds is read as some valid query, never an error.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type AgentListQuery,
  clearedFilters,
  defaultDirection,
  isFiltered,
  listHref,
  positionFrom,
  queryOf,
  SORT_COLUMNS,
} from "../src/lib/agent/query.ts"

const id = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
const cursor = fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/)

const query: fc.Arbitrary<AgentListQuery> = fc.record({
  state: fc.constantFrom("open" as const, "closed" as const, null),
  pipelineId: fc.option(id, { nil: null }),
  stageId: fc.option(id, { nil: null }),
  owner: fc.oneof(fc.constantFrom("any", "me", "unassigned"), id),
  companyId: fc.option(id, { nil: null }),
  requesterId: fc.option(id, { nil: null }),
  q: fc.string({ maxLength: 30 }).map((s) => s.trim()),
  sort: fc.constantFrom(...SORT_COLUMNS),
  dir: fc.constantFrom("asc" as const, "desc" as const),
})

const paramsOf = (href: string) => new URL(href, "http://portal.test").searchParams

describe("agent list URL (P-AGT-1)", () => {
  it("every query comes back from its link unchanged, with its page", () => {
    fc.assert(
      fc.property(
        query,
        fc.option(fc.record({ cursor, prev: fc.array(cursor, { maxLength: 3 }) }), { nil: null }),
        (q, position) => {
          const params = paramsOf(listHref(q, position))
          expect(queryOf(params)).toEqual(q)
          expect(positionFrom(params)).toEqual(position ?? { cursor: null, prev: [] })
        },
      ),
    )
  })

  it("the plain list is /agent: open tickets, last activity first", () => {
    const plain = queryOf(new URLSearchParams())
    expect(plain).toMatchObject({ state: "open", owner: "any", sort: "lastActivity", dir: "desc" })
    expect(listHref(plain)).toBe("/agent")
    expect(isFiltered(plain)).toBe(false)
    expect(defaultDirection("subject")).toBe("asc")
  })

  it("any hand-edited URL reads as a valid query", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom("state", "sort", "dir", "owner", "pipeline", "q", "cursor", "prev"),
          fc.string({ maxLength: 300 }),
        ),
        (raw) => {
          const q = queryOf(new URLSearchParams(raw))
          expect(["open", "closed", null]).toContain(q.state)
          expect(SORT_COLUMNS).toContain(q.sort)
          expect(["asc", "desc"]).toContain(q.dir)
          expect(q.q.length).toBeLessThanOrEqual(200)
          expect(q.owner.length).toBeGreaterThan(0)
        },
      ),
    )
  })

  it("clearing the filters keeps the state and the sort", () => {
    fc.assert(
      fc.property(query, (q) => {
        const cleared = clearedFilters(q)
        expect(isFiltered(cleared)).toBe(false)
        expect([cleared.state, cleared.sort, cleared.dir]).toEqual([q.state, q.sort, q.dir])
      }),
    )
  })
})
