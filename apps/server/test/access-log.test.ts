/**
 * Issue 12, logs: one access log line per request with a request id (a sane
 * `X-Request-Id` is kept, anything else replaced by a made one; returned either way), failed
 * sign-ins and 429s at warn, and no secret in any line: no cookie, no password, no query string.
 */
import { Writable } from "node:stream"
import { defaultApiConfig } from "@portal/api"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeLogger } from "../src/Logger.ts"
import { startWorld, type World } from "./support/World.ts"

interface Line {
  readonly level: number
  readonly msg: string
  readonly req?: { readonly id: string; readonly method: string; readonly path: string; readonly ip?: string }
  readonly res?: { readonly statusCode: number }
  readonly responseTime?: number
}

const raw: Array<string> = []
const sink = new Writable({
  write(chunk, _encoding, done) {
    raw.push(
      ...chunk
        .toString()
        .split("\n")
        .filter((l: string) => l !== ""),
    )
    done()
  },
})
const lines = (): ReadonlyArray<Line> => raw.map((l) => JSON.parse(l) as Line)
const lineOf = (id: string) => lines().find((l) => l.req?.id === id)
const WARN = 40

let world: World
beforeAll(async () => {
  world = await startWorld({
    logger: makeLogger("debug", sink),
    apiConfig: {
      ...defaultApiConfig,
      rateLimits: { ...defaultApiConfig.rateLimits, signInPerIp: { limit: 2, windowSeconds: 600 } },
    },
  })
})
afterAll(() => world.close())

describe("access log (issue 12)", () => {
  it("one line per request with the request id it returns: a sane X-Request-Id is kept, others replaced", async () => {
    const c = world.client()
    const kept = await c.request("/healthz", { headers: { "x-request-id": "lb-7f3a.01:x_y" } })
    expect(kept.headers["x-request-id"]).toBe("lb-7f3a.01:x_y")
    expect(lineOf("lb-7f3a.01:x_y")).toMatchObject({
      req: { method: "GET", path: "/healthz" },
      res: { statusCode: 200 },
    })
    // The line's shape (pino-http's): the client's address and the time taken in ms.
    expect(lineOf("lb-7f3a.01:x_y")?.req?.ip).toMatch(/127\.0\.0\.1/)
    expect(lineOf("lb-7f3a.01:x_y")?.responseTime).toBeGreaterThanOrEqual(0)
    for (const bad of ["a b", "x".repeat(129), "<script>", "id;rm"]) {
      const res = await c.request("/healthz", { headers: { "x-request-id": bad } })
      const id = res.headers["x-request-id"] as string
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      expect(lineOf(id)?.req?.path).toBe("/healthz")
    }
    // A plain query takes the fast lane (App.ts, no Express init): the same line, the same address.
    const made = await c.request("/trpc/portal.info")
    expect(lineOf(made.headers["x-request-id"] as string)?.req).toMatchObject({
      method: "GET",
      path: "/trpc/portal.info",
      ip: expect.stringMatching(/127\.0\.0\.1/),
    })
  })

  it("a failed sign-in and a 429 are logged at warn; no cookie, password or query string in any line", async () => {
    const ken = world.client()
    await ken.signIn("ken@globex.test", "customer-demo-2026")
    const session = [...ken.cookies.values()][0] as string
    expect(session.length).toBeGreaterThan(10)
    const listed = await ken.query("tickets.list", { q: "query-secret-8d1e" })
    expect(listed.status).toBe(200)

    const failed = await world
      .client()
      .mutate("auth.signIn", { email: "mia@initech.test", password: "Wrong-Pass-9931" })
    expect(failed.status).toBe(401)
    const failedLine = lineOf(failed.headers["x-request-id"] as string)
    expect(failedLine?.level).toBe(WARN)
    expect(failedLine?.msg).toMatch(/sign-in failed/)

    let limited = failed
    for (let i = 0; i < 5 && limited.status !== 429; i++)
      limited = await world.client().mutate("auth.signIn", { email: "mia@initech.test", password: "Wrong-Pass-9931" })
    expect(limited.status).toBe(429)
    const limitedLine = lineOf(limited.headers["x-request-id"] as string)
    expect(limitedLine?.level).toBe(WARN)

    const all = raw.join("\n")
    for (const secret of [session, "customer-demo-2026", "Wrong-Pass-9931", "query-secret-8d1e"])
      expect(all, secret).not.toContain(secret)
  })
})
