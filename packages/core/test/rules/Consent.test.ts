import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Access, ContactId } from "../../src/domain/index.ts"
import { checkConsent, consentRecord, consentRequired, consentTextVersion } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const self: Access = { method: "membership", registration: "self" }
const groups: Access = { method: "membership", registration: "accessGroups", listIds: [] }
const sso: Access = {
  method: "sso",
  protocol: "oidc",
  audience: "all",
  oidc: { issuer: "https://idp", clientId: "a", clientSecret: "b" },
}
const notice = { noticeText: "We process your data.", checkboxLabel: "I agree", legalUrl: "https://acme.test/privacy" }

describe("P-CON-1 consent is required with self-registration", () => {
  it("P-CON-1 self-registration asks for consent; access groups and SSO do not", () => {
    expect(consentRequired(self)).toBe(true)
    expect(consentRequired(groups)).toBe(false)
    expect(consentRequired(sso)).toBe(false)
  })
  it("P-CON-1 self-registration without a notice is a misconfiguration, not a free pass", () => {
    expect(checkConsent({ access: self }, true)).toEqual({ _tag: "NotConfigured" })
  })
  it("P-CON-1 other methods need no checkbox", () => {
    expect(checkConsent({ access: groups, consent: notice }, false)).toEqual({ _tag: "NotRequired" })
  })
})

describe("P-CON-2 registration needs the checkbox; the consent is recorded", () => {
  it("P-CON-2 unticked: missing", () => {
    expect(checkConsent({ access: self, consent: notice }, false)).toEqual({ _tag: "Missing" })
  })
  it("P-CON-2 ticked: given, with the notice shown", () => {
    expect(checkConsent({ access: self, consent: notice }, true)).toEqual({ _tag: "Given", consent: notice })
  })
  it("P-CON-2 the record holds the exact texts, the version and the time", () => {
    const r = consentRecord("p1" as ContactId, notice, "2026-10-05T12:00:00Z")
    expect(r).toEqual({
      contactId: "p1",
      noticeText: notice.noticeText,
      checkboxLabel: notice.checkboxLabel,
      legalUrl: notice.legalUrl,
      textVersion: consentTextVersion(notice),
      givenAt: "2026-10-05T12:00:00Z",
    })
    expect(r.textVersion).toMatch(/^v1-[0-9a-f]{16}$/)
    expect(
      consentRecord("p1" as ContactId, { noticeText: "a", checkboxLabel: "b" }, "2026-10-05T12:00:00Z").legalUrl,
    ).toBeNull()
  })
})

describe("P-CON-3 the version follows the text; old records stay as given", () => {
  it("P-CON-3 the version is deterministic (a known value, stable across releases)", () => {
    expect(consentTextVersion(notice)).toBe(consentTextVersion({ ...notice }))
    // sha256("1:a|1:b|0:") by node:crypto starts e9add3c39df23d07: stored versions must never drift.
    expect(consentTextVersion({ noticeText: "a", checkboxLabel: "b" })).toBe("v1-e9add3c39df23d07")
  })
  it("P-CON-3 changing any of the three texts changes the version", () => {
    const v = consentTextVersion(notice)
    expect(consentTextVersion({ ...notice, noticeText: "We process your data!" })).not.toBe(v)
    expect(consentTextVersion({ ...notice, checkboxLabel: "I agree." })).not.toBe(v)
    expect(consentTextVersion({ ...notice, legalUrl: "https://acme.test/privacy-2" })).not.toBe(v)
    expect(consentTextVersion({ noticeText: notice.noticeText, checkboxLabel: notice.checkboxLabel })).not.toBe(v)
  })
  it("P-CON-3 moving characters between texts changes the version (texts are framed)", () => {
    expect(consentTextVersion({ noticeText: "ab", checkboxLabel: "c" })).not.toBe(
      consentTextVersion({ noticeText: "a", checkboxLabel: "bc" }),
    )
  })
  it("P-CON-3 a record keeps its copy when the portal's text changes later", () => {
    const settings = { access: self, consent: { ...notice } }
    const given = checkConsent(settings, true)
    if (given._tag !== "Given") throw new Error("expected Given")
    const record = consentRecord("p1" as ContactId, given.consent, "2026-10-05T12:00:00Z")
    settings.consent = { ...notice, noticeText: "New text" }
    expect(record.noticeText).toBe("We process your data.")
    expect(record.textVersion).toBe(consentTextVersion(notice))
    expect(record.textVersion).not.toBe(consentTextVersion(settings.consent))
  })
  it("P-CON-3 property: equal texts ⇔ equal versions", () => {
    const texts = fc.record({
      noticeText: fc.string({ minLength: 1, maxLength: 8 }),
      checkboxLabel: fc.string({ minLength: 1, maxLength: 8 }),
      legalUrl: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    })
    fc.assert(
      fc.property(texts, texts, (a, b) => {
        const same =
          a.noticeText === b.noticeText &&
          a.checkboxLabel === b.checkboxLabel &&
          (a.legalUrl ?? "") === (b.legalUrl ?? "")
        const strip = (t: typeof a) =>
          t.legalUrl === undefined
            ? { noticeText: t.noticeText, checkboxLabel: t.checkboxLabel }
            : { noticeText: t.noticeText, checkboxLabel: t.checkboxLabel, legalUrl: t.legalUrl }
        expect(consentTextVersion(strip(a)) === consentTextVersion(strip(b))).toBe(same)
      }),
      RUNS,
    )
  })
})
