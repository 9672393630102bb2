/**
 * Issue 9: the server answers GET and HEAD requests for the SvelteKit pages on a page lane in front
 * of Express (App.ts `createPortalApp`), without Express's router and prototypes. It must answer
 * exactly as the Express application does — status, headers, body (the page's markup and its
 * embedded data), the session, the unknown-host page, the routes in front of the pages — so the
 * same requests go to the real server (the lanes) and to a second listener over the same runtime
 * that is the bare Express application, with the built portal (apps/portal/build, `pnpm build`),
 * and are compared, for generated paths too. `isLanePage` is checked on its own: a path any route
 * in front of the pages could answer, in any case or spelling, never takes the lane.
 */
import { join } from "node:path"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { isLanePage } from "../src/http/Pages.ts"
import { type LanePair, startLanePair } from "./support/ExpressTwin.ts"
import { Client, type HttpResponse } from "./support/Http.ts"

const HANDLER = join(REPO_ROOT, "apps", "portal", "build", "handler.js")

let pair: LanePair
beforeAll(async () => {
  pair = await startLanePair(HANDLER)
})
afterAll(() => pair.close())

/** A response without what differs by server, request or time (the port, dates, request ids, CSP nonces, fresh idempotency keys). */
const normal = (text: string, port: number) =>
  text
    .replaceAll(`:${port}`, ":PORT")
    .replace(/nonce-[A-Za-z0-9+/=]+/g, "nonce-N")
    .replace(/nonce=\\?"[A-Za-z0-9+/=]+\\?"/g, 'nonce="N"')
    // A fresh idempotency key per rendered reply form.
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "UUID")
const shape = (res: HttpResponse, port: number) => {
  const { date: _date, "x-request-id": _id, connection: _c, "keep-alive": _k, ...headers } = res.headers
  return {
    status: res.status,
    body: normal(res.text, port),
    headers: JSON.parse(normal(JSON.stringify(headers), port)),
  }
}
const same = async (
  path: string,
  init: { readonly method?: string; readonly headers?: Record<string, string> } = {},
) => {
  const lane = await pair.viaLane.request(path, init)
  const express = await pair.viaExpress.request(path, init)
  expect(shape(lane, pair.world.port), path).toEqual(shape(express, pair.twin.port))
  return lane
}

describe("the page lane answers as the Express application (issue 9)", () => {
  it("for the pages a signed-in customer reads, their data, a missing page and HEAD", async () => {
    for (const path of ["/", "/tickets", "/tickets?view=organization", "/tickets/t1", "/tickets/no-such", "/nope"])
      await same(path)
    expect((await same("/tickets")).status).toBe(200)
    await same("/tickets", { method: "HEAD" })
  })

  it("for a visitor, an unknown host, a Host header that is no host, and the routes in front of the pages", async () => {
    const visitor = new Client(pair.world.port)
    const visitorExpress = new Client(pair.twin.port)
    for (const path of ["/", "/tickets", "/sign-in"]) {
      const a = await visitor.request(path)
      const b = await visitorExpress.request(path)
      expect(shape(a, pair.world.port), path).toEqual(shape(b, pair.twin.port))
    }
    expect((await same("/tickets", { headers: { host: "unknown.example" } })).status).toBe(404)
    expect((await same("/tickets", { headers: { host: "a b" } })).status).toBe(400)
    for (const path of ["/healthz", "/HEALTHZ", "/api/v1/tickets", "/files/nope", "/unsubscribe/x", "/sso/jwt"])
      await same(path)
  })

  it("for hostile paths: escapes, NUL, broken UTF-8, backslashes, dot segments, open-redirect bait; never a 5xx", async () => {
    for (const path of [
      "/%00",
      "/tickets%00",
      "/tickets/%E0%A4%A",
      "/..%2f..%2fapi/v1/tickets",
      "/\\evil.test",
      "/tickets/..%5c..%5capi",
      "/tickets?next=%09//evil.test",
      "/account/sign-in?next=/%5Cevil.test",
      `/${"a".repeat(4000)}`,
    ]) {
      const res = await same(path)
      expect(res.status, path).toBeLessThan(500)
    }
  })

  it("for generated paths (fast-check)", async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/)
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (segments) => {
        await same(`/${segments.join("/")}`)
      }),
      { numRuns: 40 },
    )
  })
})

describe("isLanePage", () => {
  const routed = [
    "/healthz",
    "/readyz",
    "/unsubscribe/t",
    "/api",
    "/api/v1/x",
    "/trpc/x",
    "/sso/jwt",
    "/files/a",
    "/agent/events",
  ]
  it("never takes a path a route in front of the pages answers, in any case or with an escape", () => {
    for (const path of routed) {
      expect(isLanePage(path), path).toBe(false)
      expect(isLanePage(path.toUpperCase()), path).toBe(false)
      expect(isLanePage(`${path}?x=1`), path).toBe(false)
    }
    for (const path of ["/%61pi/v1", "/%2Fapi", "//api", "api", "", "/\\api"])
      expect(isLanePage(path), path).toBe(false)
  })
  it("takes the pages", () => {
    for (const path of ["/", "/tickets", "/tickets/t1?x=1", "/account/profile", "/_app/immutable/x.js", "/sign-in"])
      expect(isLanePage(path), path).toBe(true)
  })
})
