import { describe, expect, it } from "vitest"
import { nameParts, signInWithSso, type VerifiedSsoIdentity } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const ssoWorld = (audience: unknown = "all") =>
  makeWorld(
    fixture((d) => {
      d.portal.access = {
        method: "sso",
        protocol: "jwt",
        audience,
        jwt: { algorithm: "HS256", secret: "k".repeat(32) },
      } as never
    }),
  )
const identity = (edit: Partial<VerifiedSsoIdentity> = {}): VerifiedSsoIdentity => ({
  protocol: "jwt",
  email: "Ken@Globex.test",
  assertionId: "jti-1",
  expiresAt: "2026-10-05T12:05:00Z",
  ...edit,
})

describe("signInWithSso (P-AUTH-5)", () => {
  it("P-AUTH-5 an SSO user maps to the contact with the same email", async () => {
    const w = ssoWorld()
    expect(success(await w.run(signInWithSso(w.portal, identity())))).toEqual({ contactId: "p1", created: false })
  })
  it("P-AUTH-5 audience 'all': a new SSO user gets a contact without a password", async () => {
    const w = ssoWorld()
    const { contactId, created } = success(
      await w.run(signInWithSso(w.portal, identity({ email: "New@Corp.test", firstName: " Nao " }))),
    )
    expect(created).toBe(true)
    expect(w.state.contacts.get(contactId)).toEqual({
      id: contactId,
      email: "new@corp.test",
      firstName: "Nao",
      passwordHash: null,
    })
  })
  it("P-AUTH-5 audience of lists: members only (audience_excluded); a refused person leaves no contact behind", async () => {
    const w = ssoWorld({ listIds: ["l1"] })
    expect(success(await w.run(signInWithSso(w.portal, identity()))).contactId).toBe("p1")
    expect(
      failure(await w.run(signInWithSso(w.portal, identity({ email: "zed@initech.test", assertionId: "j2" })))),
    ).toMatchObject({
      _tag: "AccessDenied",
      code: "audience_excluded",
      reason: "notInAudience",
    })
    const before = w.state.contacts.size
    failure(await w.run(signInWithSso(w.portal, identity({ email: "stranger@x.test", assertionId: "j3" }))))
    expect(w.state.contacts.size).toBe(before)
  })
  it("P-AUTH-5 a replayed assertion is refused (assertion_replayed); another assertion id signs in", async () => {
    const w = ssoWorld()
    success(await w.run(signInWithSso(w.portal, identity())))
    expect(failure(await w.run(signInWithSso(w.portal, identity())))).toMatchObject({
      _tag: "AccessDenied",
      code: "assertion_replayed",
      reason: "replayed",
    })
    expect(success(await w.run(signInWithSso(w.portal, identity({ assertionId: "jti-2" })))).contactId).toBe("p1")
    expect(success(await w.run(signInWithSso(w.portal, identity({ assertionId: null })))).contactId).toBe("p1")
  })
  it("P-AUTH-5 a membership portal refuses SSO: sso_not_offered", async () => {
    const w = makeWorld(fixture())
    expect(failure(await w.run(signInWithSso(w.portal, identity())))).toMatchObject({
      _tag: "AccessDenied",
      code: "sso_not_offered",
      reason: "methodNotOffered",
    })
  })
  it("P-AUTH-5 an identity without a valid email is refused (invalid_identity) and creates no contact", async () => {
    const w = ssoWorld()
    const before = w.state.contacts.size
    expect(failure(await w.run(signInWithSso(w.portal, identity({ email: "not an email" }))))).toMatchObject({
      _tag: "AccessDenied",
      code: "invalid_identity",
      reason: "invalidIdentity",
    })
    expect(w.state.contacts.size).toBe(before)
  })
  it("P-AUTH-5 an identity of another protocol than the portal's is refused (sso_not_offered), and claims nothing", async () => {
    const w = ssoWorld()
    expect(failure(await w.run(signInWithSso(w.portal, identity({ protocol: "saml" }))))).toMatchObject({
      _tag: "AccessDenied",
      code: "sso_not_offered",
      reason: "methodNotOffered",
    })
    expect(success(await w.run(signInWithSso(w.portal, identity()))).contactId).toBe("p1")
  })
  it("P-AUTH-5 a display name splits into first and last name at the last word", () => {
    expect(nameParts("  Nao   Ito ")).toEqual({ firstName: "Nao", lastName: "Ito" })
    expect(nameParts("Mary Ann Lee")).toEqual({ firstName: "Mary Ann", lastName: "Lee" })
    expect(nameParts("Cher")).toEqual({ firstName: "Cher" })
    expect(nameParts(" ")).toEqual({})
    expect(nameParts(undefined)).toEqual({})
  })
})
