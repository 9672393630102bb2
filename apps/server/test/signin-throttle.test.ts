/**
 * P-SEC-4 over real HTTP: sign-in throttling never locks the rightful owner out. Failures count per
 * (account, client address) and per client address; successes do not count; the account's
 * failures from every address only slow attempts down. The client address is the socket's, or the
 * X-Forwarded-For hop TRUST_PROXY says to believe (here one proxy, so each test can speak from
 * its own address); without TRUST_PROXY a client's own X-Forwarded-For changes nothing.
 */
import { defaultApiConfig } from "@portal/api"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data, error } from "./support/Http.ts"
import { ADMIN, AGENT_NO_SETTINGS, CUSTOMER_PASSWORD, FAST_SLOWDOWN, startWorld, type World } from "./support/World.ts"

const PER_ADDRESS = 30

let world: World
let direct: World
beforeAll(async () => {
  const apiConfig = {
    ...defaultApiConfig,
    signInSlowdown: FAST_SLOWDOWN,
    rateLimits: { ...defaultApiConfig.rateLimits, signInPerIp: { limit: PER_ADDRESS, windowSeconds: 900 } },
  }
  world = await startWorld({ trustProxy: 1, apiConfig })
  // Here the account slowdown is long enough to measure: 2 free failures, then 400 ms.
  direct = await startWorld({
    apiConfig: {
      ...apiConfig,
      signInSlowdown: { windowSeconds: 900, freeFailures: 2, firstDelayMs: 400, maxDelayMs: 400 },
    },
  })
})
afterAll(async () => {
  await world.close()
  await direct.close()
})

/** One sign-in attempt from a client address (as the trusted proxy reports it). */
const attempt = async (from: string, email: string, password: string, agent = false, w = world) => {
  const c = w.client()
  const res = await c.mutate(
    agent ? "auth.agentSignIn" : "auth.signIn",
    { email, password },
    { "x-forwarded-for": from },
  )
  return { status: res.status, res, client: c }
}

describe("P-SEC-4 sign-in throttling never locks the rightful owner out", () => {
  it("P-SEC-4 12 wrong passwords for the admin from address A: A is refused, the right password from B signs in", async () => {
    const statuses: Array<number> = []
    for (let i = 0; i < 12; i++) statuses.push((await attempt("203.0.113.10", ADMIN.email, `wrong-${i}`, true)).status)
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429])
    const refused = await attempt("203.0.113.10", ADMIN.email, ADMIN.password, true)
    expect(refused.status).toBe(429)
    expect(error(refused.res)?.data.retryAfterSeconds).toBeGreaterThan(0)
    const fromB = await attempt("198.51.100.20", ADMIN.email, ADMIN.password, true)
    expect(fromB.status).toBe(200)
    expect(
      data(await fromB.client.query("auth.me", undefined, { "x-forwarded-for": "198.51.100.20" })).subject,
    ).toMatchObject({
      type: "agent",
    })
  })

  it("P-SEC-4 12 wrong passwords for a customer from A, then the right password from B signs in", async () => {
    for (let i = 0; i < 12; i++) await attempt("203.0.113.11", "ken@globex.test", `wrong-${i}`)
    expect((await attempt("203.0.113.11", "ken@globex.test", CUSTOMER_PASSWORD)).status).toBe(429)
    expect((await attempt("198.51.100.21", "ken@globex.test", CUSTOMER_PASSWORD)).status).toBe(200)
  })

  it("P-SEC-4 15 successful sign-ins in a row from one address never get 429 (customer and admin)", async () => {
    for (let i = 0; i < 15; i++) {
      expect((await attempt("203.0.113.12", "yuki@globex.test", CUSTOMER_PASSWORD)).status).toBe(200)
      expect((await attempt("203.0.113.12", ADMIN.email, ADMIN.password, true)).status).toBe(200)
    }
  })

  it("P-SEC-4 one address spraying many accounts is throttled; other addresses are not", async () => {
    const statuses: Array<number> = []
    for (let i = 0; i < PER_ADDRESS + 2; i++)
      statuses.push((await attempt("203.0.113.13", `user${i}@spray.test`, "Spring-2026-pass")).status)
    expect(statuses).toEqual([...Array(PER_ADDRESS).fill(401), 429, 429])
    expect((await attempt("203.0.113.13", "mia@initech.test", CUSTOMER_PASSWORD)).status).toBe(429)
    expect((await attempt("203.0.113.13", ADMIN.email, ADMIN.password, true)).status).toBe(429)
    expect((await attempt("198.51.100.23", "mia@initech.test", CUSTOMER_PASSWORD)).status).toBe(200)
  })

  it("P-SEC-4 P-SEC-8 an unknown email is answered exactly like a known one", async () => {
    const answers = async (from: string, email: string) => {
      const out: Array<string> = []
      for (let i = 0; i < 12; i++) {
        const { res } = await attempt(from, email, `wrong-${i}`)
        out.push(`${res.status} ${error(res)?.message ?? ""}`)
      }
      return out
    }
    const known = await answers("203.0.113.14", "yuki@globex.test")
    expect(await answers("203.0.113.15", "nobody@globex.test")).toEqual(known)
    expect(known.filter((a) => a.startsWith("429"))).toHaveLength(2)
  })

  it("P-SEC-4 without TRUST_PROXY a client's own X-Forwarded-For is ignored: the socket's address counts", async () => {
    const statuses: Array<number> = []
    for (let i = 0; i < 12; i++)
      statuses.push((await attempt(`192.0.2.${i}`, "ken@globex.test", `wrong-${i}`, false, direct)).status)
    expect(statuses.slice(10)).toEqual([429, 429])
    // Another email from the same socket is still fine: only that pair is refused.
    expect((await attempt("192.0.2.99", "yuki@globex.test", CUSTOMER_PASSWORD, false, direct)).status).toBe(200)
  })

  it("P-SEC-4 the account's failures from anywhere slow the next attempts (right or wrong) but refuse none", async () => {
    const { email, password } = AGENT_NO_SETTINGS
    for (let i = 0; i < 2; i++) expect((await attempt("", email, `wrong-${i}`, true, direct)).status).toBe(401)
    const started = performance.now()
    expect((await attempt("", email, password, true, direct)).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(390)
    const again = performance.now()
    expect((await attempt("", email, "wrong-again", true, direct)).status).toBe(401)
    expect(performance.now() - again).toBeGreaterThanOrEqual(390)
  })
})
