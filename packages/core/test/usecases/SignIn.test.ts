import { describe, expect, it } from "vitest"
import {
  InvalidCredentials,
  PASSWORD_RESET_PATH,
  requestPasswordReset,
  resetPassword,
  SIGN_IN_ATTEMPTS_PER_WINDOW,
  signInAgent,
  signInWithPassword,
  startSession,
} from "../../src/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const tokenOf = (text: string | undefined) =>
  new URL(/https:\S+/.exec(text ?? "")?.[0] ?? "https://x").searchParams.get("token") ?? ""

describe("signInWithPassword (P-AUTH-1, P-AUTH-2, P-AUTH-5)", () => {
  it("P-AUTH-1 the right password signs in, whatever the email's case", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(signInWithPassword(w.portal, " KEN@globex.test", "correct horse 1")))).toEqual({
      contactId: "p1",
    })
  })
  it("P-AUTH-1 unknown email, no password set, wrong password: one indistinguishable error, one verification each", async () => {
    const w = makeWorld(fixture())
    const attempts = [
      ["nobody@x.test", "whatever pw"],
      ["mia@globex.test", "whatever pw"],
      ["ken@globex.test", "wrong password"],
    ] as const
    const errors = []
    for (const [email, password] of attempts) {
      w.state.verifyCalls.length = 0
      errors.push(failure(await w.run(signInWithPassword(w.portal, email, password))))
      expect(w.state.verifyCalls).toHaveLength(1)
    }
    for (const e of errors) expect(e).toEqual(new InvalidCredentials())
  })
  it("P-AUTH-1 the dummy hash is made by the same hasher and reused", async () => {
    const w = makeWorld(fixture())
    failure(await w.run(signInWithPassword(w.portal, "nobody@x.test", "pw")))
    failure(await w.run(signInWithPassword(w.portal, "nobody2@x.test", "pw")))
    expect(w.state.verifyCalls[0]).toMatch(/^hash:/)
    expect(w.state.verifyCalls[1]).toBe(w.state.verifyCalls[0])
  })
  it("P-AUTH-2 the right password of a contact outside the access groups is denied: not_in_access_group", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.access = { method: "membership", registration: "accessGroups", listIds: ["l1"] } as never
      }),
    )
    expect(success(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1")))).toEqual({
      contactId: "p1",
    })
    expect(failure(await w.run(signInWithPassword(w.portal, "zed@initech.test", "zed password 4")))).toMatchObject({
      _tag: "AccessDenied",
      code: "not_in_access_group",
      reason: "notInAudience",
    })
    expect(failure(await w.run(signInWithPassword(w.portal, "zed@initech.test", "wrong")))._tag).toBe(
      "InvalidCredentials",
    )
  })
  it("P-AUTH-5 an SSO portal takes no password and sends no reset link: sso_required", async () => {
    const oidc = { issuer: "https://idp.test", clientId: "c", clientSecret: "s" }
    const w = makeWorld(
      fixture((d) => {
        d.portal.access = { method: "sso", protocol: "oidc", audience: "all", oidc } as never
      }),
    )
    const denied = { _tag: "AccessDenied", code: "sso_required", reason: "methodNotOffered" }
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1")))).toMatchObject(
      denied,
    )
    expect(failure(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))).toMatchObject(denied)
    expect(
      failure(await w.run(resetPassword(w.portal, { token: "t", password: "a new long password" }))),
    ).toMatchObject(denied)
    expect(w.state.outbox).toEqual([])
  })
  it("P-SET-4 a portal that is switched off signs no one in: portal_disabled", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.enabled = false
      }),
    )
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1")))).toMatchObject({
      _tag: "AccessDenied",
      code: "portal_disabled",
      reason: "portalDisabled",
    })
  })
  it("P-AUTH-1 attempts are limited per email, known or not", async () => {
    const w = makeWorld(fixture())
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_WINDOW; i++)
      failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "wrong")))
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1")))).toMatchObject({
      _tag: "TooManyAttempts",
    })
    expect(success(await w.run(signInWithPassword(w.portal, "zed@initech.test", "zed password 4")))).toEqual({
      contactId: "p4",
    })
  })
})

describe("password reset (P-AUTH-4)", () => {
  it("P-AUTH-6 a new password ends every session of the contact (not others'); a refused one ends none", async () => {
    const w = makeWorld(fixture())
    const start = (id: string) => w.run(startSession({ workspaceId: w.ws, type: "contact", id }))
    const ken = [success(await start("p1")), success(await start("p1"))]
    const zed = success(await start("p4"))
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    const token = tokenOf(w.state.outbox[0]?.text)
    failure(await w.run(resetPassword(w.portal, { token, password: "short" })))
    expect(w.state.sessions.size).toBe(3)
    success(await w.run(resetPassword(w.portal, { token, password: "a new long password" })))
    expect([...w.state.sessions.keys()]).toEqual([zed.session.tokenHash])
    for (const s of ken) expect(w.state.sessions.has(s.session.tokenHash)).toBe(false)
  })
  it("P-AUTH-4 a member gets a single-use link that sets a new password", async () => {
    const w = makeWorld(fixture())
    success(await w.run(requestPasswordReset(w.portal, "Ken@Globex.test")))
    expect(w.state.outbox).toHaveLength(1)
    expect(w.state.outbox[0]?.text).toContain(`https://support.acme.test${PASSWORD_RESET_PATH}?token=`)
    const token = tokenOf(w.state.outbox[0]?.text)
    expect(failure(await w.run(resetPassword(w.portal, { token, password: "short" })))._tag).toBe("ValidationFailed")
    expect(success(await w.run(resetPassword(w.portal, { token, password: "a new long password" })))).toEqual({
      contactId: "p1",
    })
    expect(success(await w.run(signInWithPassword(w.portal, "ken@globex.test", "a new long password")))).toEqual({
      contactId: "p1",
    })
    expect(failure(await w.run(resetPassword(w.portal, { token, password: "yet another password" })))._tag).toBe(
      "InvalidToken",
    )
  })
  it("P-AUTH-4 the request answers the same for unknown emails and contacts without a login, and sends nothing", async () => {
    const w = makeWorld(fixture())
    success(await w.run(requestPasswordReset(w.portal, "nobody@x.test")))
    success(await w.run(requestPasswordReset(w.portal, "mia@globex.test")))
    expect(w.state.outbox).toEqual([])
    // P-SEC-8: a token row is written all the same, for no contact (its token is never sent).
    expect([...w.state.tokens.values()].map((t) => t.contactId)).toEqual(["", ""])
  })
  it("P-AUTH-4 a failing mail server is not revealed to the requester", async () => {
    const w = makeWorld(fixture())
    w.state.failMailTo.add("ken@globex.test")
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
  })
  it("P-AUTH-4 at most 3 links per email per hour", async () => {
    const w = makeWorld(fixture())
    for (let i = 0; i < 5; i++) success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    expect(w.state.outbox).toHaveLength(3)
  })
  it("P-AUTH-4 a link expires after 60 minutes", async () => {
    const w = makeWorld(fixture())
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    w.state.now = "2026-10-05T13:00:00Z"
    expect(
      failure(
        await w.run(
          resetPassword(w.portal, { token: tokenOf(w.state.outbox[0]?.text), password: "a new long password" }),
        ),
      )._tag,
    ).toBe("InvalidToken")
  })
  it("P-AUTH-2 a contact outside the access groups gets no reset link", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.access = { method: "membership", registration: "accessGroups", listIds: ["l1"] } as never
      }),
    )
    success(await w.run(requestPasswordReset(w.portal, "zed@initech.test")))
    expect(w.state.outbox).toEqual([])
  })
})

/** Hana (u1) has a password; Jun (u2) has none. */
const agentWorld = (enabled = true) =>
  makeWorld(
    fixture((d) => {
      ;(d.agents[0] as { password?: string }).password = "agent password 1"
      d.portal.enabled = enabled
    }),
  )

describe("signInAgent (P-AUTH-7, P-SET-1)", () => {
  it("P-AUTH-7 the right password signs the agent in, whatever the email's case, on a disabled portal too", async () => {
    const w = agentWorld(false)
    expect(success(await w.run(signInAgent(w.ws, " HANA@acme.test", "agent password 1")))).toEqual({ agentId: "u1" })
  })
  it("P-AUTH-7 a wrong password, an unknown email and an agent without a password fail alike, one verification each", async () => {
    const w = agentWorld()
    const attempts = [
      signInAgent(w.ws, "hana@acme.test", "wrong password!"),
      signInAgent(w.ws, "nobody@acme.test", "agent password 1"),
      signInAgent(w.ws, "jun@acme.test", "anything at all"),
      signInAgent("no-such-workspace" as never, "hana@acme.test", "agent password 1"),
    ]
    for (const attempt of attempts) expect(failure(await w.run(attempt))).toBeInstanceOf(InvalidCredentials)
    expect(w.state.verifyCalls).toHaveLength(attempts.length)
    // The unknown ones were verified against the dummy hash, not skipped.
    expect(w.state.verifyCalls.filter((h) => h === "hash:agent password 1")).toHaveLength(1)
  })
  it("P-AUTH-7 attempts are limited per email before any lookup, for unknown emails too", async () => {
    const w = agentWorld()
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_WINDOW; i++)
      failure(await w.run(signInAgent(w.ws, "nobody@acme.test", "guess")))
    const verified = w.state.verifyCalls.length
    expect(failure(await w.run(signInAgent(w.ws, "NOBODY@acme.test", "guess")))._tag).toBe("TooManyAttempts")
    expect(w.state.verifyCalls).toHaveLength(verified)
    // Another email, and the customers' sign-in, count apart.
    expect(success(await w.run(signInAgent(w.ws, "hana@acme.test", "agent password 1"))).agentId).toBe("u1")
  })
})
