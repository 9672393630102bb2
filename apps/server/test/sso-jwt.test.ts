/**
 * P-AUTH-5 sign-in by JWT (WORKSPACE_FORMAT.md), over real HTTP with tokens signed by jose:
 * a valid token of an allowed contact starts a session and redirects to a local path; anything
 * else (replay, expiry, bad signature, outside the audience, foreign redirect) gives no session.
 */
import { randomUUID } from "node:crypto"
import { toApiError } from "@portal/api"
import { AccessDenied, StorageError, StorageUnavailable, WorkspaceNotFound } from "@portal/core/ports"
import { SignJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ssoDenialReason } from "../src/http/SsoCommon.ts"
import { data, error } from "./support/Http.ts"
import { ADMIN, CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

const SECRET = "jwt-secret-of-the-acme-portal-0123456789"
let world: World
beforeAll(async () => {
  world = await startWorld({
    edit: (acme) => {
      acme.portal.access = {
        method: "sso",
        protocol: "jwt",
        audience: { listIds: ["l1"] },
        jwt: { algorithm: "HS256", secret: SECRET },
      }
    },
  })
})
afterAll(() => world.close())

const sign = (claims: Record<string, unknown>, options: { secret?: string; exp?: string | number } = {}) =>
  new SignJWT({ jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(options.exp ?? "5m")
    .sign(new TextEncoder().encode(options.secret ?? SECRET))

const hasSession = (lines: ReadonlyArray<string>) =>
  lines.some((l) => l.startsWith("portal_session=") && !/Max-Age=0/i.test(l))

describe("P-AUTH-5 JWT sign-in", () => {
  it("the portal offers SSO, not passwords", async () => {
    const info = data(await world.client().query("portal.info"))
    expect(info.access).toMatchObject({ method: "sso", sso: "jwt", password: false, selfRegistration: false })
    const res = await world.client().mutate("auth.signIn", { email: "ken@globex.test", password: CUSTOMER_PASSWORD })
    expect(res.status).toBe(403)
    expect(error(res)?.data.reason).toBe("methodNotOffered")
  })

  it("a valid token starts a session and redirects to the local path; the same token again is refused", async () => {
    const c = world.client()
    const token = await sign({ email: "Ken@Globex.test", name: "Ken Ito" })
    const res = await c.request(`/sso/jwt?token=${token}&redirect=${encodeURIComponent("/tickets/t1?x=1")}`)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe("/tickets/t1?x=1")
    expect(res.headers["referrer-policy"]).toBe("no-referrer")
    expect(hasSession(res.setCookies)).toBe(true)
    expect(data(await c.query("auth.me")).subject).toMatchObject({ type: "contact", id: "p1" })
    const replay = await world.client().request(`/sso/jwt?token=${token}`)
    expect(replay.status).toBe(303)
    expect(replay.headers.location).toBe("/account/access-denied?reason=replayed")
    expect(hasSession(replay.setCookies)).toBe(false)
  })

  it("redirects only to local paths (default: the ticket list)", async () => {
    for (const target of ["https://evil.test/x", "//evil.test/x", "/\\evil.test", "javascript:alert(1)"]) {
      const res = await world
        .client()
        .request(`/sso/jwt?token=${await sign({ email: "ken@globex.test" })}&redirect=${encodeURIComponent(target)}`)
      expect(res.headers.location, target).toBe("/tickets")
    }
  })

  it("P-SEC-1: a redirect the browser reads as another host goes to the ticket list; odd characters never give a 500", async () => {
    const cases: Array<[string, string]> = [
      ["/.//evil.test/phish", "/tickets"],
      ["/%2e//evil.test/phish", "/tickets"],
      ["/\t/evil.test/phish", "/tickets"],
      ["/\\evil.test/phish", "/tickets"],
      ["/a\r\nSet-Cookie: x=1", "/aSet-Cookie:%20x=1"],
      ["/tickets?q=\u3000", "/tickets?q=%E3%80%80"],
    ]
    for (const [target, location] of cases) {
      const res = await world
        .client()
        .request(`/sso/jwt?token=${await sign({ email: "ken@globex.test" })}&redirect=${encodeURIComponent(target)}`)
      expect([res.status, res.headers.location], JSON.stringify(target)).toEqual([303, location])
    }
  })

  it("refuses expired, wrongly signed, malformed and missing tokens, with no session", async () => {
    const cases: Array<[string, string]> = [
      [await sign({ email: "ken@globex.test" }, { exp: Math.floor(Date.now() / 1000) - 3600 }), "expired"],
      [
        await sign({ email: "ken@globex.test" }, { secret: "another-secret-another-secret-0123456789" }),
        "badSignature",
      ],
      ["not.a.jwt", "malformed"],
      ["", "malformed"],
      [
        await new SignJWT({ email: "ken@globex.test" })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(SECRET)),
        "missingClaim",
      ],
    ]
    for (const [token, reason] of cases) {
      const res = await world.client().request(`/sso/jwt?token=${encodeURIComponent(token)}`)
      expect(res.status).toBe(303)
      expect(res.headers.location, reason).toBe(`/account/access-denied?reason=${reason}`)
      expect(hasSession(res.setCookies)).toBe(false)
    }
  })

  it("refuses a contact outside the chosen lists, and an unknown email", async () => {
    for (const email of ["yuki@globex.test", "stranger@example.test"]) {
      const res = await world.client().request(`/sso/jwt?token=${await sign({ email })}`)
      expect(res.headers.location).toBe("/account/access-denied?reason=notInAudience")
      expect(hasSession(res.setCookies)).toBe(false)
    }
  })

  it("with the audience 'all SSO users', a first-time user gets a new contact", async () => {
    const admin = world.client()
    await admin.signIn(ADMIN.email, ADMIN.password, true)
    const view = data(await admin.query("admin.settings.get"))
    const saved = await admin.mutate("admin.settings.update", {
      settings: { ...view.settings, access: { ...view.settings.access, audience: "all" } },
      version: view.version,
    })
    expect(saved.status).toBe(200)
    const c = world.client()
    const res = await c.request(
      `/sso/jwt?token=${await sign({ email: "stranger@example.test", name: "Sam Stranger" })}`,
    )
    expect(res.headers.location).toBe("/tickets")
    const me = data(await c.query("auth.me")).subject
    expect(me).toMatchObject({ type: "contact", email: "stranger@example.test", name: "Sam Stranger" })
    expect(data(await c.query("tickets.list")).items).toEqual([])
  })
})

describe("P-AUTH-5: the SSO refusal reason comes from the one error mapping (ErrorMapper.ts)", () => {
  it("keeps an AccessDenied reason; storage trouble and anything else is unavailable", () => {
    expect(
      ssoDenialReason(toApiError(new AccessDenied({ code: "not_in_access_group", reason: "notInAudience" }))),
    ).toBe("notInAudience")
    for (const other of [
      new StorageUnavailable({ method: "m", cause: "down" }),
      new StorageError({ method: "m", cause: "secret" }),
      new WorkspaceNotFound({ key: "acme" }),
    ])
      expect(ssoDenialReason(toApiError(other))).toBe("unavailable")
  })
})
