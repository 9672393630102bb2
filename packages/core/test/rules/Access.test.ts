import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ACCESS_DENIAL_CODES, type Access, type ListId } from "../../src/domain/index.ts"
import {
  accessDecision,
  type EntryMethod,
  mayRegister,
  maySignIn,
  methodRefusal,
  signInOptions,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const l = (...ids: Array<string>) => ids as Array<ListId>
const self: Access = { method: "membership", registration: "self" }
const groups: Access = { method: "membership", registration: "accessGroups", listIds: l("l1", "l2") }
const emptyGroups: Access = { method: "membership", registration: "accessGroups", listIds: [] }
const oidc = { issuer: "https://idp.test", clientId: "portal", clientSecret: "s" }
const ssoAll: Access = { method: "sso", protocol: "oidc", audience: "all", oidc }
const ssoLists: Access = {
  method: "sso",
  protocol: "saml",
  audience: { listIds: l("l1") },
  saml: { entryPoint: "https://idp/sso", idpCertPem: "x", issuer: "i" },
}

describe("P-AUTH-3 self-registration: anyone", () => {
  it("P-AUTH-3 anyone may register and sign in with a password, whatever their lists", () => {
    for (const lists of [l(), l("l1"), l("zz")]) {
      expect(mayRegister(self, lists)).toBe(true)
      expect(maySignIn(self, "password", lists)).toBe(true)
    }
  })
  it("P-AUTH-3 SSO is refused (sso_not_offered) and invitations are not a way in (invitation_not_offered)", () => {
    expect(accessDecision(self, "sso", l())).toEqual({
      allowed: false,
      reason: "methodNotOffered",
      code: "sso_not_offered",
    })
    expect(accessDecision(self, "invitation", l())).toEqual({
      allowed: false,
      reason: "methodNotOffered",
      code: "invitation_not_offered",
    })
  })
  it("P-AUTH-3 the sign-in page shows a Register link", () => {
    expect(signInOptions(self)).toEqual({ password: true, registerLink: true, sso: null })
  })
})

describe("P-AUTH-2 access groups: only contacts in the chosen lists", () => {
  it("P-AUTH-2 a contact in one of the lists may register (invitation) and sign in", () => {
    expect(mayRegister(groups, l("l9", "l2"))).toBe(true)
    expect(maySignIn(groups, "password", l("l1"))).toBe(true)
  })
  it("P-AUTH-2 a contact outside the lists is denied: not_in_access_group", () => {
    const denied = { allowed: false, reason: "notInAudience", code: "not_in_access_group" }
    expect(accessDecision(groups, "invitation", l("l3"))).toEqual(denied)
    expect(accessDecision(groups, "password", l())).toEqual(denied)
    expect(accessDecision(emptyGroups, "password", l("l1"))).toEqual(denied)
  })
  it("P-AUTH-2 no self-registration (invitation_required), no SSO (sso_not_offered), no Register link", () => {
    expect(accessDecision(groups, "selfRegistration", l("l1"))).toEqual({
      allowed: false,
      reason: "methodNotOffered",
      code: "invitation_required",
    })
    expect(accessDecision(groups, "sso", l("l1"))).toEqual({
      allowed: false,
      reason: "methodNotOffered",
      code: "sso_not_offered",
    })
    expect(maySignIn(groups, "sso", l("l1"))).toBe(false)
    expect(signInOptions(groups).registerLink).toBe(false)
  })
  it("P-AUTH-2 an empty choice of lists admits no one", () => {
    expect(maySignIn(emptyGroups, "password", l("l1"))).toBe(false)
  })
})

describe("P-AUTH-5 single sign-on audience", () => {
  it("P-AUTH-5 audience 'all': every SSO user, even with no contact yet", () => {
    expect(maySignIn(ssoAll, "sso", l())).toBe(true)
  })
  it("P-AUTH-5 audience of lists: only contacts in them", () => {
    expect(maySignIn(ssoLists, "sso", l("l1"))).toBe(true)
    expect(accessDecision(ssoLists, "sso", l("l2"))).toEqual({
      allowed: false,
      reason: "notInAudience",
      code: "audience_excluded",
    })
  })
  it("P-AUTH-5 an SSO portal refuses passwords, invitations and registration: sso_required", () => {
    for (const a of [ssoAll, ssoLists]) {
      for (const m of ["password", "invitation", "selfRegistration"] as const)
        expect(accessDecision(a, m, l("l1"))).toEqual({
          allowed: false,
          reason: "methodNotOffered",
          code: "sso_required",
        })
      expect(mayRegister(a, l("l1"))).toBe(false)
    }
    expect(signInOptions(ssoLists)).toEqual({ password: false, registerLink: false, sso: "saml" })
  })
  it("P-AUTH-2/3/5 property: methods never mix, every refusal has its code, and an allowed list member is allowed with more lists", () => {
    const access = fc.constantFrom(self, groups, emptyGroups, ssoAll, ssoLists)
    const method = fc.constantFrom<EntryMethod>("selfRegistration", "invitation", "password", "sso")
    const lists = fc.uniqueArray(fc.constantFrom("l1", "l2", "l3") as fc.Arbitrary<ListId>)
    fc.assert(
      fc.property(access, method, lists, lists, (a, m, ls, extra) => {
        const d = accessDecision(a, m, ls)
        if (!d.allowed) {
          expect(ACCESS_DENIAL_CODES).toContain(d.code)
          // A way in the portal does not offer is refused as such, whatever the lists.
          expect(d.code === methodRefusal(a, m)).toBe(d.reason === "methodNotOffered")
        }
        if (a.method === "sso" && m !== "sso") expect(d.allowed).toBe(false)
        if (a.method === "membership" && m === "sso") expect(d.allowed).toBe(false)
        if (d.allowed) expect(accessDecision(a, m, [...ls, ...extra]).allowed).toBe(true)
      }),
      RUNS,
    )
  })
})
