import { describe, expect, it } from "vitest"
import { type Session, ValidationFailed } from "../../src/ports/index.ts"
import { consentTextVersion } from "../../src/rules/index.ts"
import {
  acceptInvitation,
  completeRegistration,
  INVITATION_PATH,
  inviteAccessGroups,
  type RegistrationInput,
  register,
  requestPasswordReset,
  resetPassword,
  tokenHash,
  VERIFY_REGISTRATION_PATH,
} from "../../src/usecases/index.ts"
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
const tokenOf = (text: string | undefined) =>
  new URL(/https:\S+/.exec(text ?? "")?.[0] ?? "https://x").searchParams.get("token") ?? ""
/** The registration link of the last mail to `to`. */
const linkTokenTo = (w: ReturnType<typeof makeWorld>, to: string) =>
  tokenOf(w.state.outbox.filter((m) => m.to === to).at(-1)?.text)

describe("register and completeRegistration (P-AUTH-3, P-CON-1, P-CON-2, P-CON-3)", () => {
  it("P-AUTH-3 registering creates no contact and no login: a pending registration and a mailed single-use link", async () => {
    const w = makeWorld(fixture())
    const contactsBefore = structuredClone([...w.state.contacts.values()])
    expect(success(await w.run(register(w.portal, input())))).toEqual({ _tag: "VerificationSent" })
    expect([...w.state.contacts.values()]).toEqual(contactsBefore)
    expect(w.state.consents).toEqual([])
    expect(w.state.calls).not.toContain("contacts.register")
    expect(w.state.sessions.size).toBe(0)
    const mail = w.state.outbox[0]
    expect(w.state.outbox).toHaveLength(1)
    expect(mail?.to).toBe("new@person.test")
    expect(mail?.subject).toBe("Confirm your email for Acme Support")
    expect(mail?.text).toContain(`https://support.acme.test${VERIFY_REGISTRATION_PATH}?token=`)
    expect(mail?.text).toContain("expires in 1 day")
    const token = tokenOf(mail?.text)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // Only the token's hash is kept, with the password's hash (never the password).
    const [pending] = [...w.state.pending.values()]
    expect(pending).toMatchObject({
      tokenHash: tokenHash(token),
      email: "new@person.test",
      passwordHash: "hash:long enough pw",
      firstName: "New",
      lastName: "Person",
      createdAt: w.state.now,
      expiresAt: "2026-10-06T12:00:00.000Z",
    })
    expect(JSON.stringify([...w.state.pending])).not.toContain(token)
  })
  it("P-AUTH-3 P-CON-2 the link creates the contact and its login, with the consent given at registration", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input())))
    const registeredAt = w.state.now
    w.state.now = "2026-10-05T15:00:00Z"
    const { contactId } = success(
      await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "new@person.test") })),
    )
    expect(contactId).toBe("contact-1")
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
        givenAt: registeredAt,
      },
    ])
    expect(w.state.pending.size).toBe(0)
  })
  it("P-AUTH-3 a link works once; a used, expired or unknown link is InvalidToken and changes nothing", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input())))
    const token = linkTokenTo(w, "new@person.test")
    success(await w.run(completeRegistration(w.portal, { token })))
    const after = structuredClone([...w.state.contacts.values()])
    for (const t of [token, "guess", ""])
      expect(failure(await w.run(completeRegistration(w.portal, { token: t })))).toMatchObject({
        _tag: "InvalidToken",
        purpose: "registration",
      })
    success(await w.run(register(w.portal, input({ email: "late@person.test" }))))
    w.state.now = "2026-10-06T12:00:00Z"
    expect(
      failure(await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "late@person.test") })))._tag,
    ).toBe("InvalidToken")
    expect([...w.state.contacts.values()]).toEqual(after)
  })
  it("P-CON-2 without the checkbox registration fails (consent: consent_required) and nothing is written", async () => {
    const w = makeWorld(fixture())
    const e = failure(await w.run(register(w.portal, input({ consent: false }))))
    expect(e instanceof ValidationFailed && pathCodes(e.issues)).toEqual(["consent:consent_required"])
    expect(w.state.calls).not.toContain("security.createPendingRegistration")
    expect(w.state.outbox).toEqual([])
  })
  it("P-CON-3 a consent given before a text change keeps the old text and version", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input())))
    w.state.settings = { ...w.state.settings, consent: { noticeText: "New notice", checkboxLabel: "OK" } }
    success(await w.run(register(w.portal, input({ email: "second@person.test" }))))
    // The first link is used after the change: its record keeps the text that was shown.
    success(await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "new@person.test") })))
    success(await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "second@person.test") })))
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
  it("P-AUTH-3 registering a known contact's email changes nothing until the link is used; then it keeps its id, company and names", async () => {
    const w = makeWorld(fixture())
    const before = structuredClone(w.state.contacts.get("p2"))
    expect(success(await w.run(register(w.portal, input({ email: "MIA@globex.test", firstName: "Typed" }))))).toEqual({
      _tag: "VerificationSent",
    })
    expect(w.state.contacts.get("p2")).toEqual(before)
    expect(w.state.contacts.get("p2")?.passwordHash).toBeNull()
    const { contactId } = success(
      await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "mia@globex.test") })),
    )
    expect(contactId).toBe("p2")
    expect(w.state.contacts.get("p2")).toMatchObject({
      firstName: "Mia",
      lastName: "Person",
      primaryCompanyId: "c1",
      passwordHash: "hash:long enough pw",
    })
    expect(w.state.consents.map((c) => c.contactId)).toEqual(["p2"])
  })
  it('P-AUTH-3 an email that already has a login gets no link but an "already registered" mail, and nothing changes', async () => {
    const w = makeWorld(fixture())
    const before = structuredClone(w.state.contacts.get("p1"))
    const result = success(await w.run(register(w.portal, input({ email: "KEN@globex.test", firstName: "Mallory" }))))
    expect(result).toEqual({ _tag: "AlreadyRegistered" })
    expect(w.state.contacts.get("p1")).toEqual(before)
    expect(w.state.consents).toEqual([])
    expect(w.state.calls).not.toContain("contacts.register")
    const mail = w.state.outbox[0]
    expect(mail?.to).toBe("ken@globex.test")
    expect(mail?.subject).toBe("You already have an account on Acme Support")
    expect(mail?.text).toContain("https://support.acme.test/account/sign-in")
    expect(mail?.text).not.toContain("token=")
  })
  it("P-AUTH-3 using one link ends the email's other links; a login made in the meantime spends the link", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input({ password: "first password" }))))
    const first = linkTokenTo(w, "new@person.test")
    success(await w.run(register(w.portal, input({ password: "second password" }))))
    const second = linkTokenTo(w, "new@person.test")
    expect(first).not.toBe(second)
    success(await w.run(completeRegistration(w.portal, { token: second })))
    expect(failure(await w.run(completeRegistration(w.portal, { token: first })))._tag).toBe("InvalidToken")
    expect(w.state.contacts.get("contact-1")?.passwordHash).toBe("hash:second password")
    // Mia registers twice; her login is set some other way (an invitation) before the link is used.
    success(await w.run(register(w.portal, input({ email: "mia@globex.test" }))))
    const mia = w.state.contacts.get("p2")
    if (mia !== undefined) w.state.contacts.set("p2", { ...mia, passwordHash: "hash:from invitation" })
    expect(
      failure(await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "mia@globex.test") })))._tag,
    ).toBe("InvalidToken")
    expect(w.state.contacts.get("p2")?.passwordHash).toBe("hash:from invitation")
  })
  it("P-AUTH-3 a link that loses a race to a new login of the same email is InvalidToken, not an error", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input())))
    w.state.contacts.set("contact-1", { id: "contact-1" as never, email: "x@y.test", passwordHash: "hash:taken" })
    // The lookup finds no "new@person.test", the store then refuses the id the generator hands out.
    expect(
      failure(await w.run(completeRegistration(w.portal, { token: linkTokenTo(w, "new@person.test") })))._tag,
    ).toBe("InvalidToken")
    expect(w.state.contacts.get("contact-1")?.passwordHash).toBe("hash:taken")
  })
  it("P-AUTH-3 at most 3 registration mails per email per hour; later attempts answer alike and send nothing", async () => {
    const w = makeWorld(fixture())
    const results = []
    for (let i = 0; i < 5; i++) results.push(success(await w.run(register(w.portal, input()))))
    expect(results.map((r) => r._tag)).toEqual([
      "VerificationSent",
      "VerificationSent",
      "VerificationSent",
      "MailLimited",
      "MailLimited",
    ])
    expect(w.state.outbox).toHaveLength(3)
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
    expect([...w.state.calls, ...sso.state.calls]).not.toContain("security.createPendingRegistration")
  })
  it("P-AUTH-3 a link opened after the portal stopped self-registration is refused before it is used", async () => {
    const w = makeWorld(fixture())
    success(await w.run(register(w.portal, input())))
    const token = linkTokenTo(w, "new@person.test")
    const self = w.state.settings.access
    w.state.settings = { ...w.state.settings, access: groupsWorld().state.settings.access }
    expect(failure(await w.run(completeRegistration(w.portal, { token })))).toMatchObject({
      _tag: "AccessDenied",
      code: "invitation_required",
    })
    expect(w.state.calls).not.toContain("security.consumePendingRegistration")
    w.state.settings = { ...w.state.settings, access: self }
    expect(success(await w.run(completeRegistration(w.portal, { token }))).contactId).toBe("contact-1")
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
  it("P-DOM-4 the registration mails are written in the portal's language", async () => {
    const w = makeWorld(fixture())
    const ja = { ...w.portal, language: "ja" as const }
    success(await w.run(register(ja, input())))
    success(await w.run(register(ja, input({ email: "ken@globex.test" }))))
    expect(w.state.outbox.map((m) => m.subject)).toEqual([
      "Acme Support メールアドレスの確認",
      "Acme Support アカウントはすでに登録されています",
    ])
    expect(w.state.outbox[0]?.text).toContain("1日で失効します")
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
