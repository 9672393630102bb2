/**
 * P-SEC-1 over real HTTP with the built portal (apps/portal/build/handler.js, made by `pnpm build`):
 * the sign-in page's `next` is read as the browser reads it, against the portal's origin. A target
 * that lands on another host ("/\t/evil.test" is "//evil.test" to a browser) goes to the ticket
 * list, both when already signed in and after the form; CR, LF and U+3000 are re-encoded, never a 500.
 */
import { join } from "node:path"
import { defaultApiConfig } from "@portal/api"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import type { Client } from "./support/Http.ts"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
beforeAll(async () => {
  const limit = { limit: 100_000, windowSeconds: 60 }
  world = await startWorld({
    portalHandler: join(REPO_ROOT, "apps", "portal", "build", "handler.js"),
    // Many sign-ins of one customer from one address: not what this file is about.
    apiConfig: {
      ...defaultApiConfig,
      rateLimits: { ...defaultApiConfig.rateLimits, signInPerIp: limit, signInPerIpEmail: limit },
    },
  })
})
afterAll(() => world.close())

/** The list of acme (slug "tickets"): where every refused target goes. */
const LIST = "/tickets"

/** Each `next` and where the browser must end up: the list, or the same-origin path re-encoded. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ["/\t/evil.test/phish", LIST],
  ["/\\/evil.test/phish", LIST],
  ["//evil.test/phish", LIST],
  ["/.//evil.test/phish", LIST],
  ["/%2e//evil.test/phish", LIST],
  ["https://evil.test/phish", LIST],
  ["javascript:alert(1)", LIST],
  ["/\r\n/evil.test/phish", LIST],
  ["/tickets/t1\r\nSet-Cookie: x=1", "/tickets/t1Set-Cookie:%20x=1"],
  ["/tickets?q=a\u3000b", "/tickets?q=a%E3%80%80b"],
  ["/tickets/t2?x=1", "/tickets/t2?x=1"],
]

const signInPage = (next: string) => `/account/sign-in?next=${encodeURIComponent(next)}`

const postForm = (c: Client, path: string, fields: Record<string, string>) =>
  c.request(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      // A browser's own form post (without it SvelteKit answers the enhanced form's JSON).
      accept: "text/html",
      // SvelteKit's CSRF check: a form post comes from the portal's own origin.
      origin: `http://localhost:${world.port}`,
    },
    body: new URLSearchParams(fields).toString(),
  })

describe("P-SEC-1: the sign-in page's next stays on the portal", () => {
  it("P-SEC-1: already signed in, the sign-in page redirects only to a same-origin path (no 500)", async () => {
    const c = world.client()
    await c.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    for (const [next, location] of CASES) {
      const res = await c.request(signInPage(next))
      expect([res.status, res.headers.location], JSON.stringify(next)).toEqual([303, location])
    }
  })

  it("P-SEC-1: after the form, the redirect goes only to a same-origin path (no 500)", async () => {
    for (const [next, location] of CASES) {
      // The hidden field as the page sent it, and a hand-made form with the raw value.
      const c = world.client()
      // Past core's per-account window of sign-in attempts (P-SEC-4 is not what this file is about).
      world.advanceClock(16 * 60_000)
      const page = await c.request(signInPage(next))
      expect(page.status, JSON.stringify(next)).toBe(200)
      expect(page.text).not.toContain("evil.test")
      for (const field of [next, undefined]) {
        const res = await postForm(c, signInPage(next), {
          email: "ken@globex.test",
          password: CUSTOMER_PASSWORD,
          ...(field === undefined ? {} : { next: field }),
        })
        expect([res.status, res.headers.location], JSON.stringify({ next, field })).toEqual([303, location])
        await c.mutate("auth.signOut")
      }
    }
  })
})
