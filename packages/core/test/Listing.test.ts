import { Effect, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { TicketListQuery, TicketPage, TicketSummary, ViewerScope } from "../src/domain/index.ts"
import {
  compareCodePoints,
  contactDisplayName,
  defaultDirection,
  encodeCursor,
  escapeLike,
  getTicketPure,
  type ListingData,
  listSortKey,
  listTicketsPure,
  parseCursor,
} from "../src/rules/index.ts"

const ticket = (id: string, over: Record<string, unknown> = {}) =>
  ({
    id,
    subject: `Subject ${id}`,
    content: "",
    pipelineId: "support",
    stageId: "new",
    createdAt: "2026-10-01T09:00:00Z",
    lastActivityAt: "2026-10-01T09:00:00Z",
    properties: {},
    contactIds: ["p1"],
    companyIds: [],
    ...over,
  }) as unknown as ListingData["tickets"][number]

const data = (tickets: ReadonlyArray<ListingData["tickets"][number]>): ListingData =>
  ({
    tickets,
    pipelines: [
      {
        id: "support",
        label: "Support",
        stages: [
          { id: "new", label: "New", state: "open" },
          { id: "done", label: "Done", state: "closed" },
        ],
      },
    ],
    contacts: [
      { id: "p1", email: "ken@globex.test", firstName: " Ken", lastName: "Ito " },
      { id: "p2", email: "yuki@globex.test", firstName: " ", lastName: "" },
    ],
    agents: [{ id: "u1", name: "Hana Sato" }],
  }) as unknown as ListingData

const scope = (over: Partial<ViewerScope> = {}) =>
  ({ workspaceId: "w", contactId: "p1", companyId: null, filters: [], ...over }) as ViewerScope
const query = (over: Partial<TicketListQuery> = {}): TicketListQuery => ({
  view: "all",
  status: null,
  search: null,
  sort: "lastActivity",
  cursor: null,
  limit: 100,
  ...over,
})
const ids = (d: ListingData, s: ViewerScope, q: TicketListQuery) =>
  Effect.runSync(listTicketsPure(d, s, q)).items.map((i) => i.id)

describe("ticket list rule", () => {
  it("filters by the state of the ticket's stage (P-LIST-1)", () => {
    const d = data([ticket("a"), ticket("b", { stageId: "done" })])
    expect(ids(d, scope(), query({ status: "open" }))).toEqual(["a"])
    expect(ids(d, scope(), query({ status: "closed" }))).toEqual(["b"])
    expect(ids(d, scope(), query()).sort()).toEqual(["a", "b"])
  })

  it("searches subject and content case-insensitively, trimmed, blank meaning none", () => {
    const d = data([ticket("a", { subject: "Invoice WRONG" }), ticket("b", { content: "請求書が違う" }), ticket("c")])
    expect(ids(d, scope(), query({ search: "  wrong " }))).toEqual(["a"])
    expect(ids(d, scope(), query({ search: "請求" }))).toEqual(["b"])
    expect(ids(d, scope(), query({ search: "   " }))).toHaveLength(3)
    expect(ids(d, scope(), query({ search: "" }))).toHaveLength(3)
  })

  it("treats %, _ and \\ in a search literally", () => {
    const d = data([
      ticket("pct", { subject: "100% done" }),
      ticket("und", { subject: "a_b" }),
      ticket("bs", { content: "C:\\temp" }),
      ticket("plain", { subject: "100 done axb C:temp" }),
    ])
    expect(ids(d, scope(), query({ search: "0%" }))).toEqual(["pct"])
    expect(ids(d, scope(), query({ search: "a_b" }))).toEqual(["und"])
    expect(ids(d, scope(), query({ search: ":\\t" }))).toEqual(["bs"])
    expect(ids(d, scope(), query({ search: "%" }))).toEqual(["pct"])
    expect(escapeLike("a%b_c\\d")).toBe("a\\%b\\_c\\\\d")
  })

  it("sorts newest first by the chosen time, ties by id descending", () => {
    const d = data([
      ticket("a", { createdAt: "2026-10-01T09:00:00Z", lastActivityAt: "2026-10-05T09:00:00Z" }),
      ticket("b", { createdAt: "2026-10-03T09:00:00Z", lastActivityAt: "2026-10-03T09:00:00Z" }),
      ticket("c", { createdAt: "2026-10-03T18:00:00+09:00", lastActivityAt: "2026-10-04T09:00:00Z" }),
    ])
    expect(ids(d, scope(), query({ sort: "lastActivity" }))).toEqual(["a", "c", "b"])
    // c was created at 09:00Z too (another zone): tie with b, broken by id descending.
    expect(ids(d, scope(), query({ sort: "created" }))).toEqual(["c", "b", "a"])
  })

  it("pages with an opaque cursor until nextCursor is null", () => {
    const tickets = ["a", "B", "c", "d", "e"].map((id, i) =>
      ticket(id, { lastActivityAt: `2026-10-0${1 + (i % 2)}T09:00:00Z` }),
    )
    const d = data(tickets)
    const all = ids(d, scope(), query())
    const seen: Array<string> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: TicketPage = Effect.runSync(listTicketsPure(d, scope(), query({ limit: 2, cursor })))
      seen.push(...page.items.map((i) => i.id))
      cursor = page.nextCursor
      pages++
    } while (cursor !== null)
    expect(all).toEqual(["d", "B", "e", "c", "a"])
    expect(seen).toEqual(all)
    expect(pages).toBe(3)
    const exact = Effect.runSync(listTicketsPure(d, scope(), query({ limit: 5 })))
    expect(exact.nextCursor).toBeNull()
  })

  it("refuses a malformed cursor with ValidationFailed", () => {
    const d = data([ticket("a")])
    for (const bad of [
      "",
      "!!!",
      "a b",
      Buffer.from("nope").toString("base64url"),
      Buffer.from("12:").toString("base64url"),
      Buffer.from("x:1").toString("base64url"),
    ]) {
      const exit = Effect.runSyncExit(listTicketsPure(d, scope(), query({ cursor: bad })))
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))?._tag).toBe("ValidationFailed")
    }
    const sort = { key: "lastActivity", direction: "desc" } as const
    expect(Option.getOrThrow(parseCursor(encodeCursor(sort, { key: -5, id: "t:1 ü" }), sort))).toEqual({
      key: -5,
      id: "t:1 ü",
    })
  })

  it("applies the view and the ticket filters (P-VIS-1…3)", () => {
    const d = data([
      ticket("mine"),
      ticket("org", { contactIds: [], companyIds: ["c1"] }),
      ticket("billing", { properties: { category: "billing" } }),
      ticket("other", { contactIds: ["p2"] }),
    ])
    const company = scope({ companyId: "c1" as ViewerScope["companyId"] })
    expect(ids(d, company, query({ view: "organization" }))).toEqual(["org"])
    expect(ids(d, company, query({ view: "mine" }))).toEqual(["mine", "billing"])
    expect(ids(d, scope(), query({ view: "organization" }))).toEqual([])
    const filtered = scope({ filters: [{ property: "category", operator: "in", values: ["billing"] }] })
    expect(ids(d, filtered, query())).toEqual(["billing"])
    expect(Option.isSome(getTicketPure(d, company, "org"))).toBe(true)
    expect(Option.isNone(getTicketPure(d, scope(), "org"))).toBe(true)
    expect(Option.isNone(getTicketPure(d, filtered, "mine"))).toBe(true)
    expect(Option.isNone(getTicketPure(d, scope(), "missing"))).toBe(true)
  })

  it("builds rows with requester, owner and status (P-LIST-2)", () => {
    const d = data([
      ticket("a", { requesterId: "p1", ownerId: "u1", stageId: "done" }),
      ticket("b", { requesterId: "p2" }),
      ticket("c", { requesterId: "gone", ownerId: "gone" }),
    ])
    const page = Effect.runSync(listTicketsPure(d, scope(), query({ sort: "created" })))
    const byId = new Map<string, TicketSummary>(page.items.map((i) => [i.id, i]))
    expect(byId.get("a")).toMatchObject({
      requester: { id: "p1", name: "Ken Ito", firstName: "Ken", lastName: "Ito" },
      owner: { id: "u1", name: "Hana Sato" },
      status: { pipelineId: "support", stageId: "done", stageLabel: "Done", state: "closed" },
    })
    expect(byId.get("b")?.requester).toEqual({ id: "p2", name: "yuki@globex.test" })
    expect(byId.get("c")).toMatchObject({ requester: null, owner: null })
    expect(contactDisplayName({ email: "x@y", firstName: "伊藤", lastName: "健" })).toBe("伊藤 健")
  })

  describe("sorting (P-EXT-4)", () => {
    const sorted = () =>
      data([
        ticket("t1", { subject: "banana", ownerId: "u1", stageId: "done", createdAt: "2026-10-03T00:00:00Z" }),
        ticket("t2", { subject: "Apple", createdAt: "2026-10-01T00:00:00Z", lastActivityAt: "2026-10-05T00:00:00Z" }),
        ticket("t3", { subject: "apple", ownerId: "u2", stageId: "wait", createdAt: "2026-10-02T00:00:00Z" }),
        ticket("t4", { subject: "Ünïcode", ownerId: "u1", createdAt: "2026-10-02T00:00:00Z" }),
      ])
    const withStages = () => {
      const d = sorted()
      return {
        ...d,
        pipelines: [
          {
            id: "support",
            label: "Support",
            stages: [
              { id: "new", label: "New", state: "open" },
              { id: "wait", label: "Awaiting you", state: "open" },
              { id: "done", label: "Done", state: "closed" },
            ],
          },
        ],
        agents: [
          { id: "u1", name: "Hana Sato" },
          { id: "u2", name: "Aoi Mori" },
        ],
      } as unknown as ListingData
    }

    it("sorts by subject by code points, both directions, ties by id", () => {
      const d = sorted()
      expect(ids(d, scope(), query({ sort: "subject" }))).toEqual(["t2", "t3", "t1", "t4"])
      expect(ids(d, scope(), query({ sort: "subject", direction: "desc" }))).toEqual(["t4", "t1", "t3", "t2"])
    })

    it("sorts by created with ties broken by id in the same direction", () => {
      const d = sorted()
      expect(ids(d, scope(), query({ sort: "created", direction: "asc" }))).toEqual(["t2", "t3", "t4", "t1"])
      expect(ids(d, scope(), query({ sort: "created" }))).toEqual(["t1", "t4", "t3", "t2"])
    })

    it("sorts by the owner's display name; no owner is the empty name", () => {
      const d = withStages()
      expect(ids(d, scope(), query({ sort: "owner" }))).toEqual(["t2", "t3", "t1", "t4"])
      expect(ids(d, scope(), query({ sort: "owner", direction: "desc" }))).toEqual(["t4", "t1", "t3", "t2"])
    })

    it("sorts status by the state only when Open/Closed is shown (no hidden stage order, P-SEC-6)", () => {
      const d = withStages()
      // open: t2 (New), t3 (Awaiting you), t4 (New); closed: t1. Within a state: by id only.
      expect(ids(d, scope(), query({ sort: "status", statusDisplay: "openClosed" }))).toEqual(["t1", "t2", "t3", "t4"])
      expect(ids(d, scope(), query({ sort: "status" }))).toEqual(["t1", "t2", "t3", "t4"])
    })

    it("sorts status by state then stage label when stages are shown", () => {
      const d = withStages()
      expect(ids(d, scope(), query({ sort: "status", statusDisplay: "stages" }))).toEqual(["t1", "t3", "t2", "t4"])
      expect(ids(d, scope(), query({ sort: "status", statusDisplay: "stages", direction: "desc" }))).toEqual([
        "t4",
        "t2",
        "t3",
        "t1",
      ])
    })

    it("pages with a cursor that names its sort; another sort's cursor is refused", () => {
      const d = withStages()
      const first = Effect.runSync(listTicketsPure(d, scope(), query({ sort: "subject", limit: 2 })))
      expect(first.items.map((i) => i.id)).toEqual(["t2", "t3"])
      const cursor = first.nextCursor
      expect(cursor).not.toBeNull()
      expect(ids(d, scope(), query({ sort: "subject", limit: 2, cursor }))).toEqual(["t1", "t4"])
      for (const other of [
        query({ sort: "subject", direction: "desc", cursor }),
        query({ sort: "owner", cursor }),
        query({ sort: "created", cursor }),
      ]) {
        const exit = Effect.runSyncExit(listTicketsPure(d, scope(), other))
        expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))?._tag).toBe("ValidationFailed")
      }
      const status = query({ sort: "status", statusDisplay: "stages", limit: 1 })
      const stageCursor = Effect.runSync(listTicketsPure(d, scope(), status)).nextCursor
      const exit = Effect.runSyncExit(
        listTicketsPure(d, scope(), { ...status, statusDisplay: "openClosed", cursor: stageCursor }),
      )
      expect(Exit.isFailure(exit)).toBe(true)
    })

    it("has the defaults: times newest first, texts A to Z", () => {
      expect(defaultDirection("lastActivity")).toBe("desc")
      expect(defaultDirection("created")).toBe("desc")
      expect(defaultDirection("subject")).toBe("asc")
      expect(defaultDirection("owner")).toBe("asc")
      expect(defaultDirection("status")).toBe("asc")
      expect(listSortKey("status", "stages")).toBe("stage")
      expect(listSortKey("status", "openClosed")).toBe("state")
      expect(compareCodePoints("\u{1F600}", "\uFFFF")).toBeGreaterThan(0)
    })
  })
})
