/**
 * `GET /trpc/<query>` is served without tRPC's Fetch glue (src/http/Trpc.ts, `directQuery`); it
 * must answer exactly as tRPC's adapter does: the same status, body, content type and `vary`, for
 * answers and for every kind of error (P-SEC-2: bad input is a clean 4xx; P-VIS-4: a missing
 * ticket and a hidden one are the same 404). A request with a `trpc-accept` header takes tRPC's
 * adapter, so each case is sent both ways and compared.
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Client, HttpResponse } from "./support/Http.ts"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let customer: Client
let anonymous: Client
beforeAll(async () => {
  world = await startWorld()
  customer = world.client()
  await customer.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  anonymous = world.client()
})
afterAll(() => world.close())

const ADAPTER = { "trpc-accept": "application/json" }
const shape = (res: HttpResponse) => ({
  status: res.status,
  body: res.text,
  type: res.headers["content-type"],
  vary: res.headers.vary,
})
const bothWays = async (client: Client, path: string) => {
  const direct = await client.request(path)
  const adapter = await client.request(path, { headers: ADAPTER })
  expect(shape(direct), path).toEqual(shape(adapter))
  return direct
}
const q = (procedure: string, input?: string) =>
  `/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(input)}`}`

describe("the direct query path answers as tRPC's adapter (P-SEC-2, P-VIS-4)", () => {
  it("for answers, missing tickets, bad input, wrong methods and unknown procedures", async () => {
    const cases: Array<[Client, string, number]> = [
      [customer, q("tickets.list"), 200],
      [customer, q("tickets.list", JSON.stringify({ view: "mine", status: "open" })), 200],
      [customer, q("tickets.list", ""), 200],
      [customer, q("tickets.get", JSON.stringify({ ticketId: "t2" })), 200],
      [customer, q("tickets.get", JSON.stringify({ ticketId: "t-does-not-exist" })), 404],
      [customer, q("tickets.get", "{not json"), 400],
      [customer, q("tickets.get", JSON.stringify({ ticketId: 42 })), 400],
      [customer, q("tickets.list", JSON.stringify({ cursor: "%%%" })), 400],
      [customer, q("auth.me"), 200],
      [customer, q("portal.info"), 200],
      [anonymous, q("tickets.list"), 401],
      [anonymous, q("auth.me"), 200],
      [customer, q("tickets.close", JSON.stringify({ ticketId: "t2" })), 405],
      [customer, q("tickets.nothing"), 404],
    ]
    for (const [client, path, status] of cases) expect((await bothWays(client, path)).status, path).toBe(status)
    // The direct path did answer (it sends a length; tRPC's adapter streams the body in chunks).
    expect((await customer.request(q("tickets.list"))).headers["content-length"]).toBeDefined()
    expect((await customer.request(q("tickets.list"), { headers: ADAPTER })).headers["content-length"]).toBeUndefined()
  })

  it("for random input (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("tickets.list", "tickets.get", "auth.me", "portal.info"),
        fc.oneof(fc.json(), fc.string()),
        async (procedure, input) => {
          const res = await bothWays(customer, q(procedure, input))
          expect(res.status).toBeLessThan(500)
        },
      ),
      { numRuns: 60 },
    )
  })

  it("leaves batches, HEAD and paths that need decoding to tRPC's adapter", async () => {
    const batch = await customer.request(
      `/trpc/auth.me,tickets.list?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`,
    )
    expect(batch.status).toBe(200)
    expect(Array.isArray(batch.json)).toBe(true)
    expect((await customer.request(q("auth.me"), { method: "HEAD" })).status).toBe(204)
    expect((await customer.request("/trpc/auth%2Eme")).status).toBe(200)
  })
})
