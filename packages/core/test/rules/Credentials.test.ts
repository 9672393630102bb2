import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { emailIssues, normalizeEmail, PASSWORD_MIN_LENGTH, passwordIssues } from "../../src/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

describe("P-AUTH-1 password policy (min 10 characters)", () => {
  it("P-AUTH-1 9 characters are refused, 10 accepted", () => {
    expect(passwordIssues("123456789")).toEqual([
      { path: "password", code: "too_short", message: "Use at least 10 characters.", params: { min: 10 } },
    ])
    expect(passwordIssues("1234567890")).toEqual([])
  })
  it("P-AUTH-1 characters are code points: 5 kana or 5 emoji are 5, not 10", () => {
    expect(passwordIssues("パスワード")).toHaveLength(1)
    expect(passwordIssues("😀😀😀😀😀")).toHaveLength(1)
    expect(passwordIssues("パスワードパスワード")).toEqual([])
  })
  it("P-AUTH-1 only spaces, over 256 characters, or the email itself are refused", () => {
    expect(passwordIssues(" ".repeat(12))[0]?.message).toMatch(/spaces/)
    expect(passwordIssues("x".repeat(257))[0]?.message).toMatch(/at most 256/)
    expect(passwordIssues("x".repeat(256))).toEqual([])
    expect(passwordIssues("Ken@Globex.test", "ken@globex.test")[0]?.message).toMatch(/email/)
  })
  it("P-AUTH-1 the path can be named (e.g. newPassword)", () => {
    expect(passwordIssues("short", undefined, "newPassword")[0]?.path).toBe("newPassword")
  })
  it("P-AUTH-1 property: accepted ⇔ 10..256 code points, not blank", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", maxLength: 30 }), (pw) => {
        const n = [...pw].length
        expect(passwordIssues(pw).length === 0).toBe(n >= PASSWORD_MIN_LENGTH && n <= 256 && pw.trim().length > 0)
      }),
      RUNS,
    )
  })
})

describe("P-AUTH-1 email addresses", () => {
  it.each(["ken@globex.test", " Ken@Globex.TEST ", "a+b@x.co.jp", "admin@localhost"])("P-AUTH-1 %j is valid", (e) => {
    expect(emailIssues(e)).toEqual([])
  })
  it.each([
    "",
    "ken",
    "ken@",
    "@globex.test",
    "ken@@globex.test",
    "ken smith@globex.test",
    "ken@globex..test",
    "ken@.test",
  ])("P-AUTH-1 %j is refused", (e) => {
    expect(emailIssues(e)).toHaveLength(1)
  })
  it("P-AUTH-1 emails are compared trimmed and lowercased", () => {
    expect(normalizeEmail("  Ken@Globex.Test ")).toBe("ken@globex.test")
  })
})
