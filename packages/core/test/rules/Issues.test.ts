/**
 * Every issue core produces carries a code the portal's catalogs can translate (VALIDATION_CODES).
 * The rule functions are fed random input here; the use-case and settings tests check the issues
 * they see with support/Issues.ts `expectCoded` too.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  ACCESS_DENIAL_CODES,
  ACTION_REFUSAL_CODES,
  type FieldIssue,
  isAccessDenialCode,
  isActionRefusalCode,
  isValidationCode,
  type PortalSettings,
  SCHEMA_CHECK_MESSAGES,
  schemaIssueCode,
  VALIDATION_CODES,
} from "../../src/domain/index.ts"
import { referenceIssue } from "../../src/ports/index.ts"
import {
  brandingIssues,
  checkSubmission,
  domainListIssues,
  emailIssues,
  enablementBlockers,
  passwordIssues,
  settingsIssues,
} from "../../src/rules/index.ts"
import { replyInputIssues } from "../../src/usecases/index.ts"
import { RUNS } from "../support/Arbitraries.ts"
import { catalogOf } from "../support/Catalog.ts"
import { fixture } from "../support/Fixture.ts"
import { expectCoded } from "../support/Issues.ts"

const doc = fixture()
const catalog = catalogOf(doc)
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("", " ", "javascript:x", "/p", "https://a.test"))

describe("validation codes", () => {
  it("are unique snake_case names, including every code the admin screens were promised", () => {
    expect(new Set(VALIDATION_CODES).size).toBe(VALIDATION_CODES.length)
    for (const code of VALIDATION_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/)
    for (const code of [
      "required",
      "invalid_slug",
      "invalid_color",
      "invalid_url",
      "unknown_list",
      "unknown_inbox",
      "unknown_form",
      "form_not_eligible",
      "consent_required",
      "shared_domain",
      "no_domain",
      "too_long",
      "too_short",
      "jwt_secret_too_short",
      "invalid_time_zone",
    ])
      expect(isValidationCode(code), code).toBe(true)
    expect(isValidationCode("nope")).toBe(false)
  })
  it("P-ACT P-FORM P-AUTH refusal codes are unique snake_case names, one list per error, no code in two lists", () => {
    const lists = [ACTION_REFUSAL_CODES, ACCESS_DENIAL_CODES]
    for (const list of lists) {
      expect(new Set(list).size).toBe(list.length)
      for (const code of list) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/)
    }
    const all = [...ACTION_REFUSAL_CODES, ...ACCESS_DENIAL_CODES]
    expect(new Set(all).size).toBe(all.length)
    expect(isActionRefusalCode("closed_ticket_reply_disabled")).toBe(true)
    expect(isActionRefusalCode("not_in_access_group")).toBe(false)
    expect(isAccessDenialCode("not_in_access_group")).toBe(true)
    expect(isAccessDenialCode("close_disabled")).toBe(false)
  })
  it("schema messages of core's checks map to their codes, anything else to invalid_input", () => {
    for (const [code, message] of Object.entries(SCHEMA_CHECK_MESSAGES)) expect(schemaIssueCode(message)).toBe(code)
    expect(schemaIssueCode("Expected string, got 5")).toBe("invalid_input")
  })
  it("a missing reference is unknown_<kind> with its id", () => {
    expect(referenceIssue("stageId", { kind: "stage", id: "x" })).toEqual({
      path: "stageId",
      code: "unknown_stage",
      message: 'No stage "x".',
      params: { id: "x" },
    })
  })
  it("property: every rule's issues on random input carry a listed code", () => {
    fc.assert(
      fc.property(text, text, text, text, fc.array(text, { maxLength: 3 }), (a, b, c, d, hosts) => {
        const issues: Array<FieldIssue> = [
          ...passwordIssues(a, b),
          ...emailIssues(a),
          ...domainListIssues(hosts.map((host) => ({ host }))),
          ...brandingIssues({ primaryColor: a, accentColor: b, logoUrl: c, faviconUrl: d }),
          ...replyInputIssues({
            text: a,
            attachments: [{ name: b, contentType: c, bytes: new Uint8Array(1) }],
            idempotencyKey: d,
          }),
        ]
        const checked = checkSubmission({ fields: doc.forms[0]?.fields ?? [] }, { [a]: b, subject: c, email: d })
        if (!checked.ok) issues.push(...checked.issues)
        const settings: PortalSettings = {
          ...doc.portal,
          pageTitle: a,
          slug: "trpc",
          timeZone: b,
          ticketLabel: c,
          navigation: [{ label: "x", url: d }],
          defaultInboxId: a as never,
        }
        issues.push(...settingsIssues(settings, catalog), ...enablementBlockers(settings, { domains: [] }))
        expectCoded(issues)
      }),
      RUNS,
    )
  })
})
