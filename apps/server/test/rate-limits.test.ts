/**
 * The API's own rate limits, counted in the store (SecurityStore.hitRateLimit) so all nodes share
 * them: sign-in attempts per ip, emails sent per ip, registrations per ip. (Per ip + email is in
 * auth.test.ts.) Small limits here so the test stays quick.
 */
import { defaultApiConfig } from "@portal/api"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { error } from "./support/Http.ts"
import { startWorld, type World } from "./support/World.ts"

let world: World
beforeAll(async () => {
  world = await startWorld({
    apiConfig: {
      ...defaultApiConfig,
      rateLimits: {
        ...defaultApiConfig.rateLimits,
        signInPerIp: { limit: 3, windowSeconds: 600 },
        emailsPerIp: { limit: 2, windowSeconds: 600 },
        registerPerIp: { limit: 1, windowSeconds: 600 },
      },
    },
  })
})
afterAll(() => world.close())

describe("rate limits per ip", () => {
  it("limits sign-in attempts across different emails", async () => {
    const statuses: Array<number> = []
    for (const email of ["a@x.test", "b@x.test", "c@x.test", "d@x.test"])
      statuses.push((await world.client().mutate("auth.signIn", { email, password: "wrong-password-1" })).status)
    expect(statuses).toEqual([401, 401, 401, 429])
    const limited = await world
      .client()
      .mutate("auth.signIn", { email: "ken@globex.test", password: "customer-demo-2026" })
    expect(limited.status).toBe(429)
    expect(error(limited)?.data.retryAfterSeconds).toBeGreaterThan(0)
  })

  it("limits reset emails, whatever the address", async () => {
    const statuses: Array<number> = []
    for (const email of ["yuki@globex.test", "nobody@x.test", "mia@initech.test"])
      statuses.push((await world.client().mutate("auth.requestPasswordReset", { email })).status)
    expect(statuses).toEqual([200, 200, 429])
    await world.smtp.waitFor((m) => m.to === "yuki@globex.test")
    await new Promise((r) => setTimeout(r, 300))
    expect(world.smtp.messages.some((m) => m.to === "mia@initech.test")).toBe(false)
  })

  it("limits registrations", async () => {
    const input = (email: string) => ({
      email,
      password: "a-long-password-1",
      firstName: "A",
      lastName: "B",
      consent: true,
    })
    expect((await world.client().mutate("auth.register", input("one@x.test"))).status).toBe(200)
    expect((await world.client().mutate("auth.register", input("two@x.test"))).status).toBe(429)
  })
})
