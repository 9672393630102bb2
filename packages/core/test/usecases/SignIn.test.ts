import { Duration, Effect, Clock as EffectClock } from "effect"
import { describe, expect, it } from "vitest"
import { InvalidCredentials } from "../../src/ports/index.ts"
import { defaultSignInThrottle } from "../../src/rules/index.ts"
import {
  PASSWORD_RESET_PATH,
  requestPasswordReset,
  resetPassword,
  SignInThrottle,
  signInAgent,
  signInWithPassword,
  startSession,
} from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

/** Two client addresses. */
const A = "203.0.113.1"
const B = "198.51.100.7"
const PAIR_LIMIT = defaultSignInThrottle.perAccountAndAddress.limit

const tokenOf = (text: string | undefined) =>
  new URL(/https:\S+/.exec(text ?? "")?.[0] ?? "https://x").searchParams.get("token") ?? ""

describe("signInWithPassword (P-AUTH-1, P-AUTH-2, P-AUTH-5)", () => {
  it("P-AUTH-1 the right password signs in, whatever the email's case", async () => {
    const w = makeWorld(fixture())
    expect(success(await w.run(signInWithPassword(w.portal, " KEN@globex.test", "correct horse 1", A)))).toEqual({
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
      errors.push(failure(await w.run(signInWithPassword(w.portal, email, password, A))))
      expect(w.state.verifyCalls).toHaveLength(1)
    }
    for (const e of errors) expect(e).toEqual(new InvalidCredentials())
  })
  it("P-AUTH-1 the dummy hash is made by the same hasher and reused", async () => {
    const w = makeWorld(fixture())
    failure(await w.run(signInWithPassword(w.portal, "nobody@x.test", "pw", A)))
    failure(await w.run(signInWithPassword(w.portal, "nobody2@x.test", "pw", A)))
    expect(w.state.verifyCalls[0]).toMatch(/^hash:/)
    expect(w.state.verifyCalls[1]).toBe(w.state.verifyCalls[0])
  })
  it("P-AUTH-2 the right password of a contact outside the access groups is denied: not_in_access_group", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.access = { method: "membership", registration: "accessGroups", listIds: ["l1"] } as never
      }),
    )
    expect(success(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", A)))).toEqual({
      contactId: "p1",
    })
    expect(failure(await w.run(signInWithPassword(w.portal, "zed@initech.test", "zed password 4", A)))).toMatchObject({
      _tag: "AccessDenied",
      code: "not_in_access_group",
      reason: "notInAudience",
    })
    expect(failure(await w.run(signInWithPassword(w.portal, "zed@initech.test", "wrong", A)))._tag).toBe(
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
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", A)))).toMatchObject(
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
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", A)))).toMatchObject({
      _tag: "AccessDenied",
      code: "portal_disabled",
      reason: "portalDisabled",
    })
  })
  it("P-SEC-4 failures lock the (account, address) pair only: the right password from another address still signs in", async () => {
    const w = makeWorld(fixture())
    for (let i = 0; i < PAIR_LIMIT + 2; i++) {
      const e = failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "wrong", A)))
      expect(e._tag).toBe(i < PAIR_LIMIT ? "InvalidCredentials" : "TooManyAttempts")
    }
    const verified = w.state.verifyCalls.length
    // The refused ones were refused before any lookup or verification; even the right password from A.
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", A)))).toMatchObject({
      _tag: "TooManyAttempts",
    })
    expect(w.state.verifyCalls).toHaveLength(verified)
    expect(success(await w.run(signInWithPassword(w.portal, "KEN@globex.test", "correct horse 1", B)))).toEqual({
      contactId: "p1",
    })
    // Another account from A is not locked either.
    expect(success(await w.run(signInWithPassword(w.portal, "zed@initech.test", "zed password 4", A)))).toEqual({
      contactId: "p4",
    })
  })
  it("P-SEC-4 successful sign-ins do not count: 15 in a row from one address are all accepted", async () => {
    const w = makeWorld(fixture())
    for (let i = 0; i < 15; i++)
      expect(success(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", A)))).toEqual({
        contactId: "p1",
      })
  })
  it("P-SEC-4 one address spraying many accounts is refused past its own limit, unknown emails alike", async () => {
    const w = makeWorld(fixture())
    const limit = defaultSignInThrottle.perAddress.limit
    for (let i = 0; i < limit; i++)
      expect(failure(await w.run(signInWithPassword(w.portal, `user${i}@spray.test`, "Winter2026!", A)))._tag).toBe(
        "InvalidCredentials",
      )
    expect(failure(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", A)))._tag).toBe(
      "TooManyAttempts",
    )
    expect(failure(await w.run(signInAgent(w.ws, "hana@acme.test", "anything", A)))._tag).toBe("TooManyAttempts")
    // Other addresses are not affected.
    expect(success(await w.run(signInWithPassword(w.portal, "ken@globex.test", "correct horse 1", B))).contactId).toBe(
      "p1",
    )
  })
  it("P-SEC-4 P-SEC-8 an unknown email is counted and refused exactly like a known one", async () => {
    const outcomes = async (email: string) => {
      const w = makeWorld(fixture())
      const tags: Array<string> = []
      for (let i = 0; i < PAIR_LIMIT + 2; i++)
        tags.push(failure(await w.run(signInWithPassword(w.portal, email, "wrong", A)))._tag)
      return { tags, verified: w.state.verifyCalls.length, counters: [...w.state.rateCounts.values()].sort() }
    }
    expect(await outcomes("nobody@globex.test")).toEqual(await outcomes("ken@globex.test"))
  })
  it("P-SEC-4 the account's failures from every address slow each attempt (right or wrong, known or not) and refuse none", async () => {
    const policy = {
      ...defaultSignInThrottle,
      perAccount: { windowSeconds: 900, freeFailures: 2, firstDelayMs: 60, maxDelayMs: 120 },
    }
    // Effect's own clock, recording each wait instead of sleeping.
    const sleeps: Array<number> = []
    const real = Effect.runSync(EffectClock.clockWith(Effect.succeed))
    const recording: EffectClock.Clock = {
      currentTimeMillisUnsafe: () => real.currentTimeMillisUnsafe(),
      currentTimeMillis: real.currentTimeMillis,
      currentTimeNanosUnsafe: () => real.currentTimeNanosUnsafe(),
      currentTimeNanos: real.currentTimeNanos,
      monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
      monotonicTimeNanos: real.monotonicTimeNanos,
      sleep: (d) => Effect.sync(() => void sleeps.push(Duration.toMillis(d))),
    }
    const w = makeWorld(fixture())
    const attempt = async (email: string, password: string, from: string) => {
      const before = sleeps.length
      const exit = await w.run(
        signInWithPassword(w.portal, email, password, from).pipe(
          Effect.provideService(SignInThrottle, policy),
          Effect.provideService(EffectClock.Clock, recording),
        ),
      )
      return { exit, waited: sleeps.slice(before) }
    }
    // Two failures from two addresses cost no delay.
    for (const from of ["10.0.0.1", "10.0.0.2"])
      expect((await attempt("ken@globex.test", "bad", from)).waited).toEqual([])
    // From then on every attempt on the account waits, the right one from a new address too, and succeeds.
    const right = await attempt("ken@globex.test", "correct horse 1", "10.0.0.3")
    expect(success(right.exit)).toEqual({ contactId: "p1" })
    expect(right.waited).toEqual([60])
    const wrong = await attempt("ken@globex.test", "bad", "10.0.0.4")
    expect(failure(wrong.exit)).toBeInstanceOf(InvalidCredentials)
    expect(wrong.waited).toEqual([60])
    expect((await attempt("ken@globex.test", "bad", "10.0.0.5")).waited).toEqual([120])
    expect((await attempt("ken@globex.test", "bad", "10.0.0.6")).waited).toEqual([120])
    expect(success((await attempt("ken@globex.test", "correct horse 1", "10.0.0.7")).exit)).toEqual({ contactId: "p1" })
    // An unknown email with the same failures waits the same.
    for (const from of ["10.0.0.1", "10.0.0.2"]) await attempt("nobody@globex.test", "bad", from)
    expect((await attempt("nobody@globex.test", "bad", "10.0.0.3")).waited).toEqual([60])
    // Another account is not slowed.
    expect((await attempt("zed@initech.test", "zed password 4", "10.0.0.5")).waited).toEqual([])
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
  it("P-SEC-5 using the newer of two reset links ends the older one", async () => {
    const w = makeWorld(fixture())
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    const [older, newer] = w.state.outbox.map((m) => tokenOf(m.text))
    expect(older).not.toBe(newer)
    success(await w.run(resetPassword(w.portal, { token: newer ?? "", password: "a new long password" })))
    expect(
      failure(await w.run(resetPassword(w.portal, { token: older ?? "", password: "an attacker's choice" }))),
    ).toMatchObject({
      _tag: "InvalidToken",
    })
    expect(w.state.contacts.get("p1")?.passwordHash).toBe("hash:a new long password")
  })
  it("P-SEC-5 P-AUTH-1 a guessable new password is refused (email, portal name, common) and leaves the link valid", async () => {
    const w = makeWorld(fixture())
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    const token = tokenOf(w.state.outbox[0]?.text)
    const codeOf = async (password: string) => {
      const e = failure(await w.run(resetPassword(w.portal, { token, password })))
      return e._tag === "ValidationFailed" ? e.issues.map((i) => i.code) : [e._tag]
    }
    expect(await codeOf("ken@globex.test-2026")).toEqual(["password_contains_email"])
    expect(await codeOf("AcmeSupport-2026")).toEqual(["password_contains_portal_name"])
    expect(await codeOf("password1234")).toEqual(["password_too_common"])
    expect(success(await w.run(resetPassword(w.portal, { token, password: "a new long password" })))).toEqual({
      contactId: "p1",
    })
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
    expect(success(await w.run(signInWithPassword(w.portal, "ken@globex.test", "a new long password", A)))).toEqual({
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
    expect(success(await w.run(signInAgent(w.ws, " HANA@acme.test", "agent password 1", A)))).toEqual({ agentId: "u1" })
  })
  it("P-AUTH-7 a wrong password, an unknown email and an agent without a password fail alike, one verification each", async () => {
    const w = agentWorld()
    const attempts = [
      signInAgent(w.ws, "hana@acme.test", "wrong password!", A),
      signInAgent(w.ws, "nobody@acme.test", "agent password 1", A),
      signInAgent(w.ws, "jun@acme.test", "anything at all", A),
      signInAgent("no-such-workspace" as never, "hana@acme.test", "agent password 1", A),
    ]
    for (const attempt of attempts) expect(failure(await w.run(attempt))).toBeInstanceOf(InvalidCredentials)
    expect(w.state.verifyCalls).toHaveLength(attempts.length)
    // The unknown ones were verified against the dummy hash, not skipped.
    expect(w.state.verifyCalls.filter((h) => h === "hash:agent password 1")).toHaveLength(1)
  })
  it("P-SEC-4 agents: failures from one address refuse that address only (unknown emails too); the admin signs in from another", async () => {
    const w = agentWorld()
    for (let i = 0; i < PAIR_LIMIT; i++) failure(await w.run(signInAgent(w.ws, "hana@acme.test", "guess", A)))
    for (let i = 0; i < PAIR_LIMIT; i++) failure(await w.run(signInAgent(w.ws, "nobody@acme.test", "guess", A)))
    const verified = w.state.verifyCalls.length
    expect(failure(await w.run(signInAgent(w.ws, "NOBODY@acme.test", "guess", A)))._tag).toBe("TooManyAttempts")
    expect(failure(await w.run(signInAgent(w.ws, "hana@acme.test", "agent password 1", A)))._tag).toBe(
      "TooManyAttempts",
    )
    expect(w.state.verifyCalls).toHaveLength(verified)
    expect(success(await w.run(signInAgent(w.ws, "hana@acme.test", "agent password 1", B))).agentId).toBe("u1")
  })
  it("P-SEC-4 agents: successful sign-ins do not count", async () => {
    const w = agentWorld()
    for (let i = 0; i < 15; i++)
      expect(success(await w.run(signInAgent(w.ws, "hana@acme.test", "agent password 1", A))).agentId).toBe("u1")
  })
})
