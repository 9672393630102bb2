/**
 * Issue 9: the server answers plain tRPC queries (`GET /trpc/<query>`) on a fast lane in front of
 * Express (App.ts `createPortalApp`). It must answer exactly as the Express application does for
 * the same request — status, body, content type, security headers, request id, host guard, the
 * caller's session — so the same requests are sent to the real server (fast lane) and to a
 * second listener over the same runtime that is the bare Express application, and compared, for
 * generated inputs too (P-SEC-2: hostile input a clean 4xx; P-VIS-4: hidden is missing).
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type LanePair, startLanePair } from "./support/ExpressTwin.ts"
import { Client, type HttpResponse } from "./support/Http.ts"

let pair: LanePair
beforeAll(async () => {
  pair = await startLanePair(null)
})
afterAll(() => pair.close())

const shape = (res: HttpResponse) => {
  const { date: _date, "x-request-id": _id, connection: _c, "keep-alive": _k, ...headers } = res.headers
  return { status: res.status, body: res.text, headers }
}
const same = async (path: string, headers: Record<string, string> = {}) => {
  const lane = await pair.viaLane.request(path, { headers })
  const express = await pair.viaExpress.request(path, { headers })
  expect(shape(lane), path).toEqual(shape(express))
  return lane
}
const q = (procedure: string, input?: string) =>
  `/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(input)}`}`

describe("the fast lane answers as the Express application (issue 9)", () => {
  it("for answers, errors, the security headers and a request id", async () => {
    const list = await same(q("tickets.list"))
    expect(list.status).toBe(200)
    expect(list.headers["x-content-type-options"]).toBe("nosniff")
    expect(list.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
    expect(
      (await pair.viaLane.request(q("tickets.list"), { headers: { "x-request-id": "lb-123" } })).headers[
        "x-request-id"
      ],
    ).toBe("lb-123")
    for (const [path, status] of [
      [q("tickets.get", JSON.stringify({ ticketId: "t2" })), 200],
      [q("tickets.get", JSON.stringify({ ticketId: "t-missing" })), 404],
      [q("tickets.get", "{bad"), 400],
      [q("auth.me"), 200],
      [q("portal.info"), 200],
      [`/trpc/tickets.list?batch=1&input=${encodeURIComponent('{"0":{}}')}`, 200], // not plain: tRPC's adapter
      [q("tickets.nothing"), 404],
      [q("tickets.close", "{}"), 405],
    ] as const)
      expect((await same(path)).status, path).toBe(status)
  })

  it("P-SEC-2: a bad Host header is refused before anything, on both", async () => {
    const lane = await pair.viaLane.request(q("tickets.list"), { headers: { host: "localhost:1@evil.test" } })
    const express = await pair.viaExpress.request(q("tickets.list"), { headers: { host: "localhost:1@evil.test" } })
    expect(lane.status).toBe(400)
    expect(shape(lane)).toEqual(shape(express))
  })

  it("without a session, and on another workspace's host, as Express does", async () => {
    const anonymous = pair.world.client()
    const lane = await anonymous.request(q("tickets.list"))
    const express = await new Client(pair.twin.port).request(q("tickets.list"))
    expect(lane.status).toBe(401)
    expect(shape(lane)).toEqual(shape(express))
    await same(q("tickets.list"), { host: `127.0.0.1:${pair.world.port}` })
  })

  it("for generated inputs (P-SEC-2, P-VIS-4)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("tickets.list", "tickets.get", "auth.me", "portal.info"),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.record({ ticketId: fc.string() }).map((v) => JSON.stringify(v)),
          fc.record({ view: fc.string(), status: fc.string(), cursor: fc.string() }).map((v) => JSON.stringify(v)),
        ),
        async (procedure, input) => {
          const res = await same(q(procedure, input))
          expect(res.status).toBeLessThan(500)
        },
      ),
      { numRuns: 60 },
    )
  })
})
