/**
 * The fixed costs of the portal's request path measured in isolation (docs/http-bench.md): what
 * tRPC, the Effect runtime and Express add to one request, per call, without a database.
 *
 *   npx tsx --conditions=source bench/http/overhead.ts
 *
 * - tRPC: one query procedure with an input schema and a middleware (as viewerProcedure), called
 *   through tRPC's Fetch adapter (`fetchRequestHandler`, what the Node/Express adapter wraps),
 *   directly (`procedure({...})`, the server's direct path), and as a plain function.
 * - Effect: a ManagedRuntime running a program of 10 service reads and one `Effect.promise`, and
 *   the same as a plain async function.
 * - HTTP: a keep-alive GET answered by bare node:http and by Express (the portal's middlewares
 *   not included), to see Express's share.
 * - Copies: one more property on a copy of a ticket-sized object, as `{ ...t, key }`, as
 *   `Object.assign({}, t, { key })` and field by field: on Node 20 the first is a cliff (1–2 µs per
 *   object), which is why the hot path avoids it (docs/http-bench.md, "Fifth session").
 * CPU time per call (process.cpuUsage), best of 5 rounds.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { initTRPC } from "@trpc/server"
import { fetchRequestHandler } from "@trpc/server/adapters/fetch"
import { Context, Effect, Layer, ManagedRuntime, Schema } from "effect"
import express from "express"
import { agent, send } from "./client.ts"

const cpuPerCall = async (n: number, f: () => Promise<unknown>): Promise<number> => {
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 5; round++) {
    const c0 = process.cpuUsage()
    for (let i = 0; i < n; i++) await f()
    const c = process.cpuUsage(c0)
    best = Math.min(best, (c.user + c.system) / n)
  }
  return best
}

const Input = Schema.toStandardSchemaV1(
  Schema.Struct({ view: Schema.optional(Schema.String), limit: Schema.optional(Schema.Number) }),
)
const t = initTRPC.context<{ user: string | null }>().create({ isDev: false })
const authed = t.procedure.use(({ ctx, next }) => next({ ctx: { user: ctx.user ?? "anonymous" } }))
const appRouter = t.router({
  tickets: t.router({
    list: authed.input(Input).query(({ input, ctx }) => ({ items: [], view: input.view, user: ctx.user })),
  }),
})
const plain = async (input: { view?: string }, user: string) => ({ items: [], view: input.view, user })

class A extends Context.Service<A, { readonly n: number }>()("bench/A") {}
const runtime = ManagedRuntime.make(Layer.succeed(A, { n: 1 }))
const program = Effect.gen(function* () {
  let s = 0
  for (let i = 0; i < 10; i++) s += (yield* A).n
  const x = yield* Effect.promise(() => Promise.resolve(s))
  return x
})
const plainProgram = async () => {
  let s = 0
  for (let i = 0; i < 10; i++) s += 1
  return await Promise.resolve(s)
}

const main = async () => {
  const N = 5_000
  const input = JSON.stringify({ view: "organization", limit: 25 })
  const url = `http://bench.localhost/trpc/tickets.list?input=${encodeURIComponent(input)}`
  const viaFetch = await cpuPerCall(N, async () => {
    const res = await fetchRequestHandler({
      endpoint: "/trpc",
      req: new Request(url),
      router: appRouter,
      createContext: () => ({ user: "p0" }),
    })
    await res.text()
  })
  const procedure = (appRouter._def.procedures as Record<string, unknown>)["tickets.list"] as (
    opts: unknown,
  ) => Promise<unknown>
  const direct = await cpuPerCall(N, async () =>
    JSON.stringify({
      result: {
        data: await procedure({
          path: "tickets.list",
          ctx: { user: "p0" },
          type: "query",
          batchIndex: 0,
          signal: undefined,
          getRawInput: async () => JSON.parse(input),
        }),
      },
    }),
  )
  const bare = await cpuPerCall(N, async () =>
    JSON.stringify({ result: { data: await plain(JSON.parse(input), "p0") } }),
  )
  const effect = await cpuPerCall(N, () => runtime.runPromise(program))
  const effectBare = await cpuPerCall(N, plainProgram)

  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler)
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    return server
  }
  const body = JSON.stringify({ result: { data: { items: [] } } })
  const bareServer = await serve((_req, res) => {
    res.setHeader("content-type", "application/json")
    res.end(body)
  })
  const app = express()
  app.get("/x", (_req, res) => {
    res.setHeader("content-type", "application/json")
    res.end(body)
  })
  const expressServer = await serve(app)
  const port = (s: typeof bareServer) => (s.address() as AddressInfo).port
  // Client and server share this process: the difference between the two is the server's.
  const httpBare = await cpuPerCall(1_000, () => send(port(bareServer), "GET", "/x", ""))
  const httpExpress = await cpuPerCall(1_000, () => send(port(expressServer), "GET", "/x", ""))
  agent.destroy()
  bareServer.close()
  expressServer.close()
  await runtime.dispose()

  // 25 ticket-shaped objects per call (a list page), copied with one more property.
  const tickets = Array.from({ length: 25 }, (_, i) => ({
    id: `t-${i}`,
    subject: `Subject ${i}`,
    requester: { id: `c-${i}`, name: "Jane Doe" },
    owner: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    lastActivityAt: "2026-01-02T00:00:00.000Z",
    status: { pipelineId: "p", stageId: "s", stageLabel: "Open", state: "open" },
  }))
  const label = { kind: "state", state: "open" }
  const spread = await cpuPerCall(20_000, async () => tickets.map((t) => ({ ...t, statusLabel: label })))
  const assigned = await cpuPerCall(20_000, async () =>
    tickets.map((t) => Object.assign({}, t, { statusLabel: label })),
  )
  const fields = await cpuPerCall(20_000, async () =>
    tickets.map((t) => ({
      id: t.id,
      subject: t.subject,
      requester: t.requester,
      owner: t.owner,
      createdAt: t.createdAt,
      lastActivityAt: t.lastActivityAt,
      status: t.status,
      statusLabel: label,
    })),
  )

  const us = (x: number) => `${x.toFixed(1).padStart(7)} µs`
  console.log(`CPU per call, best of 5 rounds (Node ${process.version})`)
  console.log(`tRPC query via its Fetch adapter (Request → Response)  ${us(viaFetch)}`)
  console.log(`tRPC query called directly (the server's direct path)  ${us(direct)}`)
  console.log(`the same as a plain function                           ${us(bare)}`)
  console.log(`Effect: runPromise of 10 service reads + 1 promise     ${us(effect)}`)
  console.log(`the same as a plain async function                     ${us(effectBare)}`)
  console.log(`HTTP GET, bare node:http (client + server)             ${us(httpBare)}`)
  console.log(`HTTP GET, Express (client + server)                    ${us(httpExpress)}`)
  console.log(`25 copies with one more property: { ...t, key }        ${us(spread)}`)
  console.log(`the same by Object.assign({}, t, { key })              ${us(assigned)}`)
  console.log(`the same field by field                                ${us(fields)}`)
}
void main()
