/**
 * P-HOOK-3: the integration's ticket reads go through the agent workspace's one list query and
 * ticket read, always on the token's workspace: the filters become that query (defaults, owner,
 * sort, clamped limit), a foreign cursor is a 400 before any store call, and a ticket the store
 * does not have for the workspace is TicketNotFound.
 */
import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { AgentTicketQuery, TicketId, WorkspaceId } from "../../src/domain/index.ts"
import {
  ContactStore,
  SettingsStore,
  TicketNotFound,
  TicketStore,
  ValidationFailed,
  WorkspaceStore,
} from "../../src/ports/index.ts"
import { integrationGetTicket, integrationListTickets } from "../../src/usecases/index.ts"

const calls: Array<readonly [string, unknown]> = []
const ticketStore = Layer.succeed(TicketStore, {
  agentList: (workspaceId: WorkspaceId, query: AgentTicketQuery) => {
    calls.push([workspaceId, query])
    return Effect.succeed({ items: [], nextCursor: null, counts: { open: 0, closed: 0 } })
  },
  agentRow: (workspaceId: WorkspaceId, ticketId: TicketId) => {
    calls.push([workspaceId, ticketId])
    return Effect.succeed(Option.none())
  },
} as never)
const settingsStore = Layer.succeed(SettingsStore, {
  get: () => Effect.succeed(Option.some({ settings: {}, version: 1 })),
} as never)
const workspaceStore = Layer.succeed(WorkspaceStore, {} as never)
const contactStore = Layer.succeed(ContactStore, {} as never)
const layer = Layer.mergeAll(ticketStore, settingsStore, workspaceStore, contactStore)

const run = <A, E>(effect: Effect.Effect<A, E, TicketStore | SettingsStore | WorkspaceStore | ContactStore>) => {
  calls.length = 0
  return Effect.runPromiseExit(Effect.provide(effect, layer))
}
const acme = "acme" as WorkspaceId

describe("integration ticket reads (P-HOOK-3)", () => {
  it("P-HOOK-3: the list runs the agent query on the token's workspace with the defaults", async () => {
    expect(Exit.isSuccess(await run(integrationListTickets(acme, {})))).toBe(true)
    expect(calls).toEqual([
      [
        "acme",
        {
          state: null,
          pipelineId: null,
          stageId: null,
          owner: { _tag: "Any" },
          companyId: null,
          requesterId: null,
          search: null,
          sort: { column: "lastActivity", direction: "desc" },
          cursor: null,
          limit: 25,
        },
      ],
    ])
  })

  it("P-HOOK-3: filters, owner and sort become the query; the limit is clamped", async () => {
    await run(
      integrationListTickets(acme, {
        state: "closed",
        owner: "unassigned",
        search: "invoice",
        sort: "subject",
        direction: "asc",
        limit: 1000,
      }),
    )
    expect(calls[0]?.[1]).toEqual(
      expect.objectContaining({
        state: "closed",
        owner: { _tag: "Unassigned" },
        search: "invoice",
        sort: { column: "subject", direction: "asc" },
        limit: 100,
      }),
    )
    await run(integrationListTickets(acme, { owner: "unassigned", ownerId: "u1" as never }))
    expect(calls[0]?.[1]).toEqual(expect.objectContaining({ owner: { _tag: "Agent", agentId: "u1" } }))
  })

  it("P-HOOK-3: a cursor that is not the list's is a ValidationFailed and reads nothing", async () => {
    const exit = await run(integrationListTickets(acme, { cursor: "not-a-cursor" }))
    expect(Exit.isFailure(exit) ? Exit.findErrorOption(exit) : null).toEqual(Option.some(expect.any(ValidationFailed)))
    expect(calls).toEqual([])
  })

  it("P-HOOK-3: a ticket the workspace does not have is TicketNotFound", async () => {
    const exit = await run(integrationGetTicket(acme, "t-elsewhere" as TicketId))
    expect(Exit.isFailure(exit) ? Exit.findErrorOption(exit) : null).toEqual(Option.some(expect.any(TicketNotFound)))
    expect(calls).toEqual([["acme", "t-elsewhere"]])
  })
})
