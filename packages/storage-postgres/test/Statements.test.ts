/**
 * What one port call sends to the database, counted by a wrapper around the driver (BEGIN and
 * COMMIT of a transaction count as the statements they are): every read on the request path is
 * ONE statement with no transaction around it (the catalog was 8 SELECTs in BEGIN … COMMIT).
 * Rows are decoded, not cast: a stored value the domain refuses is a StorageError naming the
 * method, never a wrongly typed value handed to the rules. On the PostgreSQL server the hot reads
 * are named prepared statements.
 */
import type {
  AgentTicketQuery,
  CompanyId,
  ContactId,
  IsoTime,
  ThreadId,
  TicketId,
  ViewerScope,
  WorkspaceId,
} from "@portal/core/domain"
import {
  ContactStore,
  SessionStore,
  SettingsStore,
  type StorePorts,
  TicketStore,
  WorkspaceStore,
} from "@portal/core/ports"
import { demoDocument, forImport } from "@portal/storage-contract"
import { type Effect, Exit, ManagedRuntime } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import type { Driver, Queryable } from "../src/Driver.ts"
import { layerWithDriver } from "../src/Layers.ts"
import { makePgDriver } from "../src/PgDriver.ts"
import { eachDriver } from "./support/Drivers.ts"

/** The driver with every statement logged (its name when it has one, else its first words). */
const counting = (d: Driver) => {
  const log: Array<string> = []
  const label = (sql: Parameters<Queryable["query"]>[0]) =>
    typeof sql === "string" ? sql.replace(/\s+/g, " ").trim().slice(0, 60) : (sql.name ?? sql.text.slice(0, 60))
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      log.push(label(sql))
      return q.query(sql, params)
    },
    exec: (sql) => {
      log.push(label(sql))
      return q.exec(sql)
    },
  })
  const driver: Driver = {
    ...wrap(d),
    kind: d.kind,
    transaction: async (body) => {
      log.push("BEGIN")
      try {
        return await d.transaction((tx) => body(wrap(tx)))
      } finally {
        log.push("COMMIT")
      }
    },
    close: () => d.close(),
  }
  return { driver, log }
}

type StorePortsOf = StorePorts

/** Ken Ito (p1, company c1) under the demo's settings: company scope, no internal pipeline. */
const kenScope = (ws: WorkspaceId): ViewerScope => ({
  workspaceId: ws,
  contactId: "p1" as ContactId,
  companyId: "c1" as CompanyId,
  filters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
})

const WS = "stmts" as WorkspaceId
const HOST = "stmts.statements.test"
const NOW = "2026-11-05T10:00:00Z" as IsoTime
const LATER = "2026-11-05T10:05:00Z" as IsoTime
const query = { view: "all", status: null, search: null, sort: "lastActivity", cursor: null, limit: 25 } as const

eachDriver("statements per port call", (shared, kind) => {
  let runtime: ManagedRuntime.ManagedRuntime<StorePortsOf, unknown>
  let log: Array<string>
  const makeRuntime = (driver: Driver) => ManagedRuntime.make(layerWithDriver(driver))
  const run = <A, E>(effect: Effect.Effect<A, E, StorePortsOf>) => runtime.runPromise(effect)

  beforeAll(async () => {
    const counted = counting(await shared.get())
    log = counted.log
    runtime = makeRuntime(counted.driver)
    const { doc, secrets } = forImport(demoDocument(WS, HOST))
    await run(WorkspaceStore.use((s) => s.importDocument(doc, secrets)))
    await run(
      SessionStore.use((s) =>
        s.create({
          workspaceId: WS,
          tokenHash: "stmts-session",
          subject: { type: "contact", id: "p1" },
          createdAt: NOW,
          lastSeenAt: NOW,
          absoluteExpiresAt: "2026-12-05T10:00:00Z" as IsoTime,
        }),
      ),
    )
  }, 600_000)
  afterAll(() => runtime?.dispose())

  /** The statements `effect` sends, in order. */
  const statementsOf = async <A, E>(effect: Effect.Effect<A, E, StorePortsOf>) => {
    log.length = 0
    const value = await run(effect)
    return { value, statements: [...log] }
  }

  it("every read of a portal request is one statement, none in a transaction (issue 9)", async () => {
    const scope = kenScope(WS)
    const page = await run(TicketStore.use((s) => s.list(scope, query)))
    // A ticket with a thread (not every demo ticket has one).
    let found: { ticketId: TicketId; threadId: ThreadId } | undefined
    for (const item of page.items) {
      const threads = await run(TicketStore.use((s) => s.threadsOf(WS, item.id)))
      if (threads[0] !== undefined) {
        found = { ticketId: item.id, threadId: threads[0].id }
        break
      }
    }
    expect(found).toBeDefined()
    if (found === undefined) return
    const { ticketId, threadId } = found

    const calls: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, StorePortsOf>]> = [
      ["WorkspaceStore.findByHost", WorkspaceStore.use((s) => s.findByHost(HOST))],
      ["SettingsStore.get", SettingsStore.use((s) => s.get(WS))],
      ["SessionStore.get", SessionStore.use((s) => s.get("stmts-session"))],
      ["SessionStore.touch", SessionStore.use((s) => s.touch("stmts-session", LATER))],
      ["ContactStore.findById", ContactStore.use((s) => s.findById(WS, "p1" as ContactId))],
      ["ContactStore.listIdsOf", ContactStore.use((s) => s.listIdsOf(WS, "p1" as ContactId))],
      ["WorkspaceStore.catalog", WorkspaceStore.use((s) => s.catalog(WS))],
      ["TicketStore.list", TicketStore.use((s) => s.list(scope, query))],
      ["TicketStore.get", TicketStore.use((s) => s.get(scope, ticketId))],
      ["TicketStore.getWithMessages", TicketStore.use((s) => s.getWithMessages(scope, ticketId))],
      ["TicketStore.threadsOf", TicketStore.use((s) => s.threadsOf(WS, ticketId))],
      ["TicketStore.messagesOf", TicketStore.use((s) => s.messagesOf(WS, threadId))],
    ]
    const counts: Record<string, ReadonlyArray<string>> = {}
    for (const [name, effect] of calls) counts[name] = (await statementsOf(effect)).statements
    console.info(
      `[${kind}] statements per port call:\n${Object.entries(counts)
        .map(([name, s]) => `  ${name.padEnd(28)} ${s.length}  ${s.join(" | ")}`)
        .join("\n")}`,
    )
    for (const [name, statements] of Object.entries(counts)) {
      expect({ name, count: statements.length }).toEqual({ name, count: 1 })
      expect(statements).not.toContain("BEGIN")
    }
  })

  it("the catalog read in one statement equals what the parts say (domains, pipelines with stages, lists)", async () => {
    const catalog = await run(WorkspaceStore.use((s) => s.catalog(WS)))
    expect(catalog._tag).toBe("Some")
    if (catalog._tag !== "Some") return
    const doc = demoDocument(WS, HOST)
    expect(catalog.value.workspace.id).toBe(WS)
    expect(catalog.value.domains.map((d) => d.host)).toEqual(doc.domains.map((d) => d.host))
    expect(catalog.value.pipelines).toEqual(doc.pipelines)
    expect(catalog.value.inboxes).toEqual(doc.inboxes)
    expect(catalog.value.forms).toEqual(doc.forms)
    expect(catalog.value.lists).toEqual(doc.lists.map((l) => ({ id: l.id, name: l.name })))
    expect(catalog.value.agents.map((a) => a.id)).toEqual(doc.agents.map((a) => a.id))
    const missing = await run(WorkspaceStore.use((s) => s.catalog("no-such-workspace" as WorkspaceId)))
    expect(missing._tag).toBe("None")
  })

  it("a stored value the domain refuses is a StorageError naming the method, not a value (rows decoded, not cast)", async () => {
    const scope = kenScope(WS)
    const page = await run(TicketStore.use((s) => s.list(scope, query)))
    const ticketId = page.items[0]?.id
    if (ticketId === undefined) throw new Error("no ticket")
    const db = await shared.get()
    const [before] = await db.query<{ created_at: string }>(
      "SELECT created_at FROM tickets WHERE workspace_id = $1 AND ticket_id = $2",
      [WS, ticketId],
    )
    await db.query("UPDATE tickets SET created_at = 'yesterday' WHERE workspace_id = $1 AND ticket_id = $2", [
      WS,
      ticketId,
    ])
    try {
      for (const [method, effect] of [
        ["TicketStore.getById", TicketStore.use((s) => s.getById(WS, ticketId))],
        ["TicketStore.get", TicketStore.use((s) => s.get(scope, ticketId))],
        ["TicketStore.getWithMessages", TicketStore.use((s) => s.getWithMessages(scope, ticketId))],
        ["TicketStore.list", TicketStore.use((s) => s.list(scope, query))],
      ] as const) {
        const exit = await runtime.runPromiseExit(effect as Effect.Effect<unknown, unknown, StorePortsOf>)
        expect(Exit.isFailure(exit)).toBe(true)
        const error = Exit.findErrorOption(exit)
        expect(error).toMatchObject({ _tag: "Some", value: { _tag: "StorageError", method } })
        expect(String((error as { value: { cause: unknown } }).value.cause)).toMatch(/does not decode/)
      }
    } finally {
      await db.query("UPDATE tickets SET created_at = $3 WHERE workspace_id = $1 AND ticket_id = $2", [
        WS,
        ticketId,
        before?.created_at,
      ])
    }
    expect((await run(TicketStore.use((s) => s.getById(WS, ticketId))))._tag).toBe("Some")
  })

  it("the agent workspace's reads decode their rows: a corrupted column is a StorageError naming the method (issue 9)", async () => {
    const db = await shared.get()
    const [thread] = await db.query<{ thread_id: string; ticket_id: string; created_at: string }>(
      `SELECT th.thread_id, th.ticket_id, th.created_at FROM threads th
       WHERE th.workspace_id = $1 AND EXISTS (SELECT 1 FROM messages m WHERE m.workspace_id = th.workspace_id AND m.thread_id = th.thread_id)
       ORDER BY th.thread_id LIMIT 1`,
      [WS],
    )
    if (thread === undefined) throw new Error("no thread with messages")
    const ticketId = thread.ticket_id as TicketId
    const agentQuery: AgentTicketQuery = {
      state: null,
      pipelineId: null,
      stageId: null,
      owner: { _tag: "Any" },
      companyId: null,
      requesterId: null,
      search: null,
      sort: { column: "lastActivity", direction: "desc" },
      cursor: null,
      limit: 1000,
    }
    const failsWith = async (method: string, effect: Effect.Effect<unknown, unknown, StorePortsOf>) => {
      const exit = await runtime.runPromiseExit(effect)
      const error = Exit.isFailure(exit) ? Exit.findErrorOption(exit) : undefined
      expect({ method, error }).toMatchObject({
        method,
        error: { _tag: "Some", value: { _tag: "StorageError", method } },
      })
      expect(String((error as { value: { cause: unknown } }).value.cause)).toMatch(/does not decode/)
    }
    const [before] = await db.query<{ created_at: string }>(
      "SELECT created_at FROM tickets WHERE workspace_id = $1 AND ticket_id = $2",
      [WS, ticketId],
    )
    await db.query("UPDATE tickets SET created_at = 'yesterday' WHERE workspace_id = $1 AND ticket_id = $2", [
      WS,
      ticketId,
    ])
    try {
      await failsWith(
        "TicketStore.agentRow",
        TicketStore.use((s) => s.agentRow(WS, ticketId)),
      )
      await failsWith(
        "TicketStore.agentList",
        TicketStore.use((s) => s.agentList(WS, agentQuery)),
      )
    } finally {
      await db.query("UPDATE tickets SET created_at = $3 WHERE workspace_id = $1 AND ticket_id = $2", [
        WS,
        ticketId,
        before?.created_at,
      ])
    }
    // The conversation: a thread's time the domain refuses.
    await db.query("UPDATE threads SET created_at = 'soon' WHERE workspace_id = $1 AND thread_id = $2", [
      WS,
      thread.thread_id,
    ])
    try {
      await failsWith(
        "TicketStore.conversation",
        TicketStore.use((s) => s.conversation(WS, ticketId)),
      )
    } finally {
      await db.query("UPDATE threads SET created_at = $3 WHERE workspace_id = $1 AND thread_id = $2", [
        WS,
        thread.thread_id,
        thread.created_at,
      ])
    }
    const conversation = await run(TicketStore.use((s) => s.conversation(WS, ticketId)))
    expect(conversation.threads.map((t) => t.id)).toContain(thread.thread_id)
    expect((await run(TicketStore.use((s) => s.agentRow(WS, ticketId))))._tag).toBe("Some")
  })

  if (kind === "server")
    it("the hot reads are named prepared statements on the server (one connection, prepared once)", async () => {
      const database = await shared.database?.()
      if (database === undefined) throw new Error("no server database")
      const one = makePgDriver({ connectionString: database.url, max: 1 })
      const single = makeRuntime(one)
      try {
        for (let i = 0; i < 2; i++) {
          await single.runPromise(WorkspaceStore.use((s) => s.findByHost(HOST)))
          await single.runPromise(SettingsStore.use((s) => s.get(WS)))
          await single.runPromise(TicketStore.use((s) => s.list(kenScope(WS), query)))
        }
        const names = (await one.query<{ name: string }>("SELECT name FROM pg_prepared_statements")).map((r) => r.name)
        expect(names).toEqual(expect.arrayContaining(["portal_domain_by_host", "portal_settings_get"]))
        expect(names.filter((n) => n.startsWith("portal_ticket_list_"))).toHaveLength(1)
      } finally {
        await single.dispose()
        await one.close()
      }
    })
})
