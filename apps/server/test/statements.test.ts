/**
 * Issue 9 ("one caller per request"): how many SQL statements one request sends, counted at the
 * driver (BEGIN and COMMIT of a transaction count as two), on embedded PGlite with the demo
 * workspace. The request's caller is resolved once by core (host, settings, session, contact and
 * scope); the use-cases read none of them again, and the catalog comes from the cache at the
 * settings' version. Counted in the steady state (the second identical request: the session was
 * touched by the first, the catalog cached). Statement counts are not timings: they are exact.
 * P-AUTH-6 (the session read once), P-VIS-1 (the scope computed once), P-SET-1 (an agent's
 * permissions still read on every request).
 */
import { readFileSync } from "node:fs"
import { appRouter, createContext, defaultApiConfig, makeApiTokens, type PortalContext } from "@portal/api"
import { layerCatalogCache } from "@portal/core/ports"
import { importWorkspace, layerMailQueue } from "@portal/core/usecases"
import { layerArgon2 } from "@portal/identity"
import { layerSystemTest } from "@portal/storage-memory"
import { type Driver, layerDatabase, layerStores, openDriver, type Queryable } from "@portal/storage-postgres"
import { type Effect, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeLogger } from "../src/Logger.ts"
import { layerLogMailer } from "../src/Mail.ts"
import type { ServerRuntime } from "../src/Runtime.ts"

const statements: Array<string> = []
const counted = (q: Queryable): Queryable => ({
  query: (text, params) => {
    statements.push((typeof text === "string" ? text : text.text).replace(/\s+/g, " ").trim())
    return q.query(text, params)
  },
  exec: (text) => {
    statements.push(text.replace(/\s+/g, " ").trim())
    return q.exec(text)
  },
})
const countedDriver = (d: Driver): Driver => ({
  ...counted(d),
  kind: d.kind,
  close: () => d.close(),
  transaction: (body) => {
    statements.push("BEGIN")
    return d.transaction((tx) => body(counted(tx))).finally(() => statements.push("COMMIT"))
  },
})

const doc = JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))
const runtime: ServerRuntime = ManagedRuntime.make(
  Layer.mergeAll(
    layerStores.pipe(Layer.provide(layerDatabase(async () => countedDriver(await openDriver({ dataDir: "memory" }))))),
    Layer.provideMerge(layerMailQueue(), layerLogMailer(makeLogger("error"))),
    layerArgon2,
    layerSystemTest({ now: new Date().toISOString() as never }),
    layerCatalogCache({ maxAgeMs: 60_000, now: () => performance.now() }),
  ),
) as unknown as ServerRuntime

const deps = { runtime, config: defaultApiConfig, apiTokens: makeApiTokens([]) }
let token: string | null = null
const contextFor = (sessionToken: string | null): Promise<PortalContext> =>
  createContext(deps, {
    host: "localhost",
    sessionToken,
    ip: "127.0.0.1",
    origin: "http://localhost",
    authorization: null,
    cookies: {
      setSession: (t) => {
        token = t
      },
      clearSession: () => undefined,
    },
  })

/** The statements of one request: its context, then what `call` runs on it. */
const countOf = async (call: (caller: ReturnType<typeof appRouter.createCaller>) => Promise<unknown>) => {
  statements.length = 0
  const ctx = await contextFor(token)
  await call(appRouter.createCaller(ctx))
  return [...statements]
}
/** The second of two identical requests (session touched, catalog cached by the first). */
const steady = async (call: (caller: ReturnType<typeof appRouter.createCaller>) => Promise<unknown>) => {
  await countOf(call)
  return countOf(call)
}

let ticketId = ""
beforeAll(async () => {
  await runtime.runPromise(importWorkspace(doc) as Effect.Effect<unknown, unknown, never>)
  const anonymous = appRouter.createCaller(await contextFor(null))
  await anonymous.auth.signIn({ email: "ken@globex.test", password: "customer-demo-2026" })
  if (token === null) throw new Error("no session cookie")
  const caller = appRouter.createCaller(await contextFor(token))
  const list = await caller.tickets.list({})
  // A ticket with a visible thread and messages (ken's newest tickets have none): the read that
  // shows a conversation.
  for (const item of list.items)
    if ((await caller.tickets.get({ ticketId: item.id })).messages.length > 0) {
      ticketId = item.id
      break
    }
  expect(ticketId).not.toBe("")
}, 120_000)
afterAll(() => runtime.dispose())

/** The caller's one read (ports/CallerStore.ts): host, settings, session and its contact or agent. */
const isCallerRead = (s: string) => s.includes("FROM domains d") && s.includes("LEFT JOIN sessions s")
/** Any other statement that reads what the caller's read already did. */
const rereads = (sent: ReadonlyArray<string>) =>
  sent.filter(
    (s) =>
      !isCallerRead(s) &&
      (/FROM (sessions|domains|list_members|agents)\b/.test(s) ||
        s.includes("settings_version") ||
        /FROM contacts\b/.test(s) ||
        s.includes("FROM pipelines")),
  )

describe("issue 9: SQL statements per request (PGlite, demo workspace, steady state)", () => {
  it("P-AUTH-6, P-VIS-1 tickets.list: the caller in one read, then the list: nothing twice", async () => {
    const sent = await steady((c) => c.tickets.list({}))
    console.info(`tickets.list: ${sent.length} statements\n  ${sent.map((s) => s.slice(0, 100)).join("\n  ")}`)
    expect(sent.filter(isCallerRead).length).toBe(1)
    expect(rereads(sent)).toEqual([])
    // The caller's read found ken in no ticket's participants: no "Shared with me" probe (P-EXT-1).
    expect(sent.length).toBe(2)
  })

  it("P-VIS-4, P-COM-1 tickets.get: the catalog from the cache, the caller read once", async () => {
    const sent = await steady((c) => c.tickets.get({ ticketId }))
    console.info(`tickets.get: ${sent.length} statements\n  ${sent.map((s) => s.slice(0, 100)).join("\n  ")}`)
    expect(sent.filter(isCallerRead).length).toBe(1)
    expect(rereads(sent)).toEqual([])
    // The caller, then the ticket with its threads, their messages and its rating in one read
    // (TicketStore.getWithMessages); the demo ticket has no participants to read.
    expect(sent.some((s) => s.includes("'messages'"))).toBe(true)
    expect(sent.length).toBe(2)
  })

  it("P-LIST-1 the SSR list page's loads (portal.info, auth.me, tickets.list on one context)", async () => {
    const sent = await steady((c) => Promise.all([c.portal.info(), c.auth.me()]).then(() => c.tickets.list({})))
    console.info(`SSR list page: ${sent.length} statements\n  ${sent.map((s) => s.slice(0, 100)).join("\n  ")}`)
    expect(sent.filter(isCallerRead).length).toBe(1)
    expect(rereads(sent)).toEqual([])
    expect(sent.length).toBe(2) // as tickets.list
  })

  it("P-SET-1, P-AGT-5 an agent's request: permissions read with the session (never the cached catalog), once", async () => {
    const saved = token
    try {
      await appRouter
        .createCaller(await contextFor(null))
        .auth.agentSignIn({ email: "hana@acme.test", password: "admin-demo-2026" })
      const sent = await steady((c) => c.agent.tickets.list({}))
      console.info(`agent.tickets.list: ${sent.length} statements\n  ${sent.map((s) => s.slice(0, 100)).join("\n  ")}`)
      expect(sent.filter(isCallerRead).length).toBe(1)
      expect(sent.filter((s) => /FROM sessions\b|FROM agents\b|portal_catalog|FROM pipelines/.test(s))).toEqual([])
    } finally {
      token = saved
    }
  })
})
