/**
 * The HTTP benchmark's bare baselines (bench/http/baseline.ts) answer `tickets.list` and
 * `tickets.get` with the portal's JSON byte for byte, on a small generated workspace on
 * PostgreSQL: the benchmark compares like with like, and cannot rot silently when the API's
 * answers change. (The benchmark itself, bench/http-bench.ts, is not a test.)
 */
import { importWorkspace } from "@portal/core/usecases"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Baseline, minimalStatements, startBaseline } from "../bench/http/baseline.ts"
import { type Captured, capture } from "../bench/http/capture.ts"
import { agent, send, signIn, trpcPath } from "../bench/http/client.ts"
import { type BenchPortal, startBenchPortal } from "../bench/http/portal.ts"
import { recordDuring } from "../bench/http/recording.ts"
import { generateWorkspace } from "../bench/http-list-workspace.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"

let database: FreshDatabase | null = null
let portal: BenchPortal | null = null
const baselines: Array<Baseline> = []
let captured: Array<Captured> = []
let cookie = ""

beforeAll(async () => {
  database = await freshDatabase("bench_baseline")
  if (database === null) return
  portal = await startBenchPortal({ databaseUrl: database.url, portalHandler: null })
  const ws = generateWorkspace(400)
  await portal.runtime.runPromise(importWorkspace(ws.doc).pipe(Effect.orDie))
  cookie = await signIn(portal.port, ws.company)
  const p = portal
  const record = (f: () => Promise<unknown>) => recordDuring(p.recorder, f)
  const org = { view: "organization", sort: "lastActivity" }
  const list = await capture(p.port, record, cookie, "list", trpcPath("tickets.list", org))
  const items = JSON.parse(list.body.toString()).result.data.items as Array<{ id: string }>
  // An open ticket with an attachment (every 50th ticket has one) and a closed one.
  const withFile = (await send(p.port, "GET", trpcPath("tickets.list", { ...org, q: "#200 " }), cookie)).body
  const fileTicket = JSON.parse(withFile.toString()).result.data.items[0]?.id ?? "t200"
  captured = [
    list,
    await capture(p.port, record, cookie, "get", trpcPath("tickets.get", { ticketId: items[0]?.id })),
    await capture(p.port, record, cookie, "get", trpcPath("tickets.get", { ticketId: fileTicket })),
  ]
  for (const mode of ["minimal", "same"] as const)
    baselines.push(
      await startBaseline({
        databaseUrl: database.url,
        mode,
        plans: captured.map((c) => c.plan),
        workspaceId: "bench",
      }),
    )
})

afterAll(async () => {
  agent.destroy()
  for (const b of baselines) await b.close()
  await portal?.close()
  await database?.drop()
})

describe("HTTP benchmark baselines (P-LIST-1, P-LIST-4)", () => {
  it("answer list and get with the portal's bytes", async () => {
    if (database === null) return
    expect(captured.length).toBe(3)
    for (const c of captured) {
      // The portal's own statements: its caller read (one), the catalog on a first read of a ticket
      // (then cached), and the ticket reads the minimal one replays.
      const own = c.plan.statements.filter((s) => !/^SELECT w\.workspace_id, w\.name\b/.test(s.text))
      expect(own.length, own.map((s) => s.text.slice(0, 60)).join("\n")).toBe(minimalStatements(c.plan).length - 1)
      for (const b of baselines) {
        const res = await send(b.port, "GET", c.plan.url, cookie)
        expect(res.status).toBe(200)
        expect(res.body.toString()).toBe(c.body.toString())
      }
    }
    // The minimal one runs the session, the contact and the ticket reads only: for the list, the
    // page (the portal's caller read found the customer in no ticket: no "Shared with me" probe,
    // P-EXT-1); for a ticket, its row with its threads, their messages and its rating (P-EXT-2).
    expect(minimalStatements(captured[0]?.plan as Captured["plan"]).length).toBe(3)
    expect(minimalStatements(captured[1]?.plan as Captured["plan"]).length).toBe(3)
  })

  it("refuse a request without a live session", async () => {
    if (database === null) return
    for (const b of baselines) {
      const url = captured[0]?.plan.url ?? "/"
      expect((await send(b.port, "GET", url, "")).status).toBe(401)
      expect((await send(b.port, "GET", url, "portal_session=not-a-session")).status).toBe(401)
    }
  })
})
