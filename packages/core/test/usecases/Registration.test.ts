import { describe, expect, it } from "vitest"
import {
  acceptInvitation,
  consentTextVersion,
  INVITATION_PATH,
  inviteAccessGroups,
  type RegistrationInput,
  type RegistrationResult,
  register,
  requestPasswordReset,
  resetPassword,
  type Session,
  ValidationFailed,
} from "../../src/index.ts"
import { fixture } from "../support/Fixture.ts"
import { expectCoded, pathCodes } from "../support/Issues.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const input = (edit: Partial<RegistrationInput> = {}): RegistrationInput => ({
  email: " New@Person.test ",
  password: "long enough pw",
  firstName: "New",
  lastName: "Person",
  consent: true,
  ...edit,
})
const groupsWorld = (listIds = ["l1"]) =>
  makeWorld(
    fixture((d) => {
      d.portal.access = { method: "membership", registration: "accessGroups", listIds } as never
    }),
  )
const ssoRegistrationWorld = () =>
  makeWorld(
    fixture((d) => {
      d.portal.access = {
        method: "sso",
        protocol: "oidc",
        audience: "all",
        oidc: { issuer: "https://idp.test", clientId: "c", clientSecret: "s" },
      } as never
    }),
  )
/** The contact a registration created or completed (fails the test for AlreadyRegistered). */
const registered = (result: RegistrationResult) => {
  if (result._tag !== "Registered") throw new Error("expected a registration")
  return result.contactId
}
const tokenOf = (text: string | undefined) =>
  new URL(/https:\S+/.exec(text ?? "")?.[0] ?? "https://x").searchParams.get("token") ?? ""

describe("register (P-AUTH-3, P-CON-1, P-CON-2, P-CON-3)", () => {
  it("P-AUTH-3 P-CON-2 anyone registers; the consent is stored with its exact texts and version", async () => {
    const w = makeWorld(fixture())
    const contactId = registered(success(await w.run(register(w.portal, input()))))
    expect(w.state.contacts.get(contactId)).toMatchObject({
      email: "new@person.test",
      firstName: "New",
      lastName: "Person",
      passwordHash: "hash:long enough pw",
    })
    expect(w.state.consents).toEqual([
      {
        contactId,
        noticeText: "We process your data.",
        checkboxLabel: "I agree",
        legalUrl: "https://acme.test/privacy",
        textVersion: consentTextVersion(w.state.settings.consent ?? { noticeText: "?", checkboxLabel: "?" }),
        givenAt: w.state.now,
      },
    ])
  })
  it("P-CON-2 without the checkbox registration fails (consent: consent_required) and nothing is written", async () => {
    const w = makeWorld(fixture())
    const e = failure(await w.run(register(w.portal, input({ consent: false }))))
    expect(e instanceof ValidationFailed && pathCodes(e.issues)).toEqual(["consent:consent_required"])
    expect(w.state.calls).not.toContain("contacts.register")
  })
  it("P-CON-3 a consent given before a text change keeps the old text and version", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input())))
    w.state.settings = { ...w.state.settings, consent: { noticeText: "New notice", checkboxLabel: "OK" } }
    success(await w.run(register(w.portal, input({ email: "second@person.test" }))))
    const [first, second] = w.state.consents
    expect(first?.noticeText).toBe("We process your data.")
    expect(second?.noticeText).toBe("New notice")
    expect(first?.textVersion).not.toBe(second?.textVersion)
  })
  it("P-AUTH-1 every field problem at once: email, password, consent", async () => {
    const w = makeWorld(fixture())
    const e = failure(await w.run(register(w.portal, input({ email: "nope", password: "short", consent: false }))))
    expect(e instanceof ValidationFailed && expectCoded(e.issues).map((i) => i.path)).toEqual([
      "email",
      "password",
      "consent",
    ])
  })
  it("P-AUTH-1 registration refuses a password with the email, the portal's name or a common one", async () => {
    const w = makeWorld(fixture())
    for (const [password, code] of [
      ["new@person.test!!", "password_contains_email"],
      ["Acme-Support-2026", "password_contains_portal_name"],
      ["password1234", "password_too_common"],
    ] as const) {
      const e = failure(await w.run(register(w.portal, input({ password }))))
      expect(e instanceof ValidationFailed ? e.issues.map((i) => i.code) : e).toEqual([code])
    }
    expect(w.state.calls).not.toContain("contacts.register")
  })
  it("P-AUTH-3 a contact the team already knows keeps its id, company and names", async () => {
    const w = makeWorld(fixture())
    const contactId = registered(
      success(await w.run(register(w.portal, input({ email: "MIA@globex.test", firstName: "Typed" })))),
    )
    expect(contactId).toBe("p2")
    expect(w.state.contacts.get("p2")).toMatchObject({ firstName: "Mia", lastName: "Person", primaryCompanyId: "c1" })
  })
  it("P-AUTH-3 an email that already has a login changes nothing, after the same work as a new one", async () => {
    const w = makeWorld(fixture())
    const before = structuredClone(w.state.contacts.get("p1"))
    const result = success(await w.run(register(w.portal, input({ email: "KEN@globex.test", firstName: "Mallory" }))))
    expect(result).toEqual({ _tag: "AlreadyRegistered" })
    expect(w.state.contacts.get("p1")).toEqual(before)
    expect(w.state.consents).toEqual([])
    expect(w.state.calls).not.toContain("contacts.register")
    // The password is hashed all the same: a new registration and this one cost the same.
    expect(w.state.hashCalls).toBe(1)
    success(await w.run(register(w.portal, input())))
    expect(w.state.hashCalls).toBe(2)
  })
  it("P-AUTH-3 a registration that loses a race to the same email is AlreadyRegistered, not an error", async () => {
    const w = makeWorld(fixture())
    w.state.contacts.set("contact-1", { id: "contact-1" as never, email: "x@y.test", passwordHash: "hash:taken" })
    // The lookup finds no "new@person.test", the store then refuses the id the generator hands out.
    expect(success(await w.run(register(w.portal, input())))).toEqual({ _tag: "AlreadyRegistered" })
    expect(w.state.contacts.get("contact-1")?.passwordHash).toBe("hash:taken")
  })
  it("P-AUTH-2 P-AUTH-5 no self-registration on access-group (invitation_required) or SSO portals (sso_required)", async () => {
    const w = groupsWorld()
    expect(failure(await w.run(register(w.portal, input())))).toMatchObject({
      _tag: "AccessDenied",
      code: "invitation_required",
      reason: "methodNotOffered",
    })
    const sso = ssoRegistrationWorld()
    expect(failure(await sso.run(register(sso.portal, input())))).toMatchObject({
      _tag: "AccessDenied",
      code: "sso_required",
      reason: "methodNotOffered",
    })
    expect([...w.state.calls, ...sso.state.calls]).not.toContain("contacts.register")
  })
  it("P-CON-1 self-registration without a consent notice registers no one: registration_unavailable", async () => {
    const w = makeWorld(
      fixture((d) => {
        delete (d.portal as { consent?: unknown }).consent
      }),
    )
    expect(failure(await w.run(register(w.portal, input())))).toMatchObject({
      _tag: "AccessDenied",
      code: "registration_unavailable",
      reason: "registrationUnavailable",
    })
  })
  it("P-SET-4 a portal that is switched off registers no one: portal_disabled", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.enabled = false
      }),
    )
    expect(failure(await w.run(register(w.portal, input())))).toMatchObject({
      _tag: "AccessDenied",
      code: "portal_disabled",
      reason: "portalDisabled",
    })
  })
})

describe("inviteAccessGroups and acceptInvitation (P-AUTH-2)", () => {
  it("P-AUTH-2 every unregistered contact of the lists gets a single-use link; only hashes are stored", async () => {
    const w = groupsWorld(["l1", "l2"])
    w.clearPassword("p1")
    const report = success(await w.run(inviteAccessGroups(w.agent(), w.portal)))
    expect(report).toEqual({ invited: 1, skipped: 1, failed: [] })
    expect(w.state.outbox.map((m) => m.to)).toEqual(["ken@globex.test"])
    const mail = w.state.outbox[0]
    expect(mail?.text).toContain(`https://support.acme.test${INVITATION_PATH}?token=`)
    const token = tokenOf(mail?.text)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect([...w.state.tokens.keys()]).not.toContain(token)
    expect(success(await w.run(acceptInvitation(w.portal, { token, password: "brand new password" })))).toEqual({
      contactId: "p1",
    })
    expect(w.state.contacts.get("p1")?.passwordHash).toBe("hash:brand new password")
    expect(failure(await w.run(acceptInvitation(w.portal, { token, password: "another password" })))._tag).toBe(
      "InvalidToken",
    )
  })
  it("P-AUTH-6 setting the password through the link ends the contact's other sessions, and only theirs", async () => {
    const w = groupsWorld()
    const session = (tokenHash: string, id: string): Session => ({
      tokenHash,
      workspaceId: w.ws,
      subject: { type: "contact", id },
      createdAt: w.state.now,
      lastSeenAt: w.state.now,
      absoluteExpiresAt: "2026-10-09T12:00:00Z",
    })
    w.state.sessions.set("s-ken", session("s-ken", "p1"))
    w.state.sessions.set("s-zed", session("s-zed", "p4"))
    success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    success(
      await w.run(acceptInvitation(w.portal, { token: tokenOf(w.state.outbox[0]?.text), password: "long enough now" })),
    )
    expect([...w.state.sessions.keys()]).toEqual(["s-zed"])
  })
  it("P-SEC-5 accepting an invitation ends the contact's other links: an older invitation and a reset link", async () => {
    const w = groupsWorld()
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    const [reset, olderInvite, newerInvite] = w.state.outbox.map((m) => tokenOf(m.text))
    success(await w.run(acceptInvitation(w.portal, { token: newerInvite ?? "", password: "long enough now" })))
    expect(
      failure(await w.run(acceptInvitation(w.portal, { token: olderInvite ?? "", password: "someone else's" })))._tag,
    ).toBe("InvalidToken")
    expect(failure(await w.run(resetPassword(w.portal, { token: reset ?? "", password: "someone else's" })))._tag).toBe(
      "InvalidToken",
    )
    expect(w.state.contacts.get("p1")?.passwordHash).toBe("hash:long enough now")
  })
  it("P-AUTH-1 an invitation refuses a password with the email, the portal's name or a common one, keeping the link", async () => {
    const w = groupsWorld()
    w.clearPassword("p1")
    success(await w.run(inviteAccessGroups(w.agent(), w.portal)))
    const token = tokenOf(w.state.outbox[0]?.text)
    for (const [password, code] of [
      ["ken@globex.test2026", "password_contains_email"],
      ["acme support rocks", "password_contains_portal_name"],
      ["Welcome2026!", "password_too_common"],
    ] as const) {
      const e = failure(await w.run(acceptInvitation(w.portal, { token, password })))
      expect(e instanceof ValidationFailed ? e.issues.map((i) => i.code) : e).toEqual([code])
    }
    success(await w.run(acceptInvitation(w.portal, { token, password: "long enough now" })))
  })
  it("P-AUTH-2 a weak password is refused without using up the link", async () => {
    const w = groupsWorld()
    w.clearPassword("p1")
    success(await w.run(inviteAccessGroups(w.agent(), w.portal)))
    const token = tokenOf(w.state.outbox[0]?.text)
    expect(failure(await w.run(acceptInvitation(w.portal, { token, password: "short" })))._tag).toBe("ValidationFailed")
    success(await w.run(acceptInvitation(w.portal, { token, password: "long enough now" })))
  })
  it("P-AUTH-2 a contact removed from the lists since the invitation is denied: not_in_access_group", async () => {
    const w = groupsWorld()
    success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    w.state.lists.get("l1")?.delete("p1")
    const token = tokenOf(w.state.outbox[0]?.text)
    expect(failure(await w.run(acceptInvitation(w.portal, { token, password: "long enough now" })))).toMatchObject({
      _tag: "AccessDenied",
      code: "not_in_access_group",
      reason: "notInAudience",
    })
    expect(w.state.calls).not.toContain("contacts.setPassword")
  })
  it("P-AUTH-2 P-AUTH-3 P-AUTH-5 an invitation link on a portal without access groups is refused before it is used", async () => {
    const w = groupsWorld()
    success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    const token = tokenOf(w.state.outbox[0]?.text)
    const input = { token, password: "long enough now" }
    const groups = w.state.settings.access
    w.state.settings = { ...w.state.settings, access: { method: "membership", registration: "self" } }
    expect(failure(await w.run(acceptInvitation(w.portal, input)))).toMatchObject({
      _tag: "AccessDenied",
      code: "invitation_not_offered",
      reason: "methodNotOffered",
    })
    w.state.settings = { ...w.state.settings, access: ssoRegistrationWorld().state.settings.access }
    expect(failure(await w.run(acceptInvitation(w.portal, input)))).toMatchObject({
      _tag: "AccessDenied",
      code: "sso_required",
    })
    expect(w.state.calls).not.toContain("contacts.setPassword")
    // The link was not used up: it still works once the portal uses access groups again.
    w.state.settings = { ...w.state.settings, access: groups }
    expect(success(await w.run(acceptInvitation(w.portal, input)))).toEqual({ contactId: "p1" })
  })
  it("P-AUTH-2 an expired or unknown link is InvalidToken", async () => {
    const w = groupsWorld()
    success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    const token = tokenOf(w.state.outbox[0]?.text)
    w.state.now = "2026-10-12T12:00:00Z"
    expect(failure(await w.run(acceptInvitation(w.portal, { token, password: "long enough now" })))._tag).toBe(
      "InvalidToken",
    )
    expect(failure(await w.run(acceptInvitation(w.portal, { token: "guess", password: "long enough now" })))._tag).toBe(
      "InvalidToken",
    )
  })
  it("P-SET-1 inviting needs the portal.settings permission", async () => {
    const w = groupsWorld()
    expect(failure(await w.run(inviteAccessGroups(w.agent([]), w.portal)))._tag).toBe("Forbidden")
    expect(w.state.outbox).toEqual([])
  })
  it("P-AUTH-2 mail failures are reported per address and do not stop the others", async () => {
    const w = groupsWorld(["l1", "l2"])
    w.state.failMailTo.add("ken@globex.test")
    const report = success(await w.run(inviteAccessGroups(w.agent(), w.portal, { includeRegistered: true })))
    expect(report).toEqual({ invited: 1, skipped: 0, failed: ["ken@globex.test"] })
  })
  it("P-AUTH-2 inviting on a portal without access groups is a validation error", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(inviteAccessGroups(w.agent(), w.portal)))._tag).toBe("ValidationFailed")
  })
  it("P-DOM-4 the invitation is written in the portal's language", async () => {
    const w = groupsWorld()
    success(await w.run(inviteAccessGroups(w.agent(), { ...w.portal, language: "ja" }, { includeRegistered: true })))
    expect(w.state.outbox[0]?.subject).toBe("Acme Support へのご招待")
  })
})
