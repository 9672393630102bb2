import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  COMMON_PASSWORDS,
  emailIssues,
  isCommonPassword,
  normalizeEmail,
  PASSWORD_MIN_LENGTH,
  passwordIssues,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

describe("P-AUTH-1 password policy (min 10 characters)", () => {
  it("P-AUTH-1 9 characters are refused, 10 accepted", () => {
    expect(passwordIssues("123456789")).toEqual([
      { path: "password", code: "too_short", message: "Use at least 10 characters.", params: { min: 10 } },
    ])
    expect(passwordIssues("1357924680")).toEqual([])
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
        const basics = n >= PASSWORD_MIN_LENGTH && n <= 256 && pw.trim().length > 0
        expect(passwordIssues(pw).length === 0).toBe(basics && !isCommonPassword(pw))
      }),
      RUNS,
    )
  })
})

describe("P-AUTH-1 hole 12b: the obvious passwords are refused", () => {
  const codes = (...args: Parameters<typeof passwordIssues>) => passwordIssues(...args).map((i) => i.code)
  it("P-AUTH-1 a common password, in any case, with digits or symbols after it: password_too_common", () => {
    for (const pw of [
      "password1234",
      "PASSWORD1234",
      "Password2026!",
      "qwerty123456",
      "1234567890",
      "123456789012",
      "letmein2026",
      "iloveyou!!!",
      "Welcome2026#",
      "  sakura123456  ",
    ])
      expect(codes(pw), pw).toEqual(["password_too_common"])
    expect(passwordIssues("password1234")[0]).toMatchObject({
      path: "password",
      message: expect.stringMatching(/too common/),
    })
  })
  it("P-AUTH-1 a listed word inside a longer passphrase is fine", () => {
    for (const pw of [
      "my password is long",
      "2026password",
      "password-of-mine",
      "correct horse battery",
      "パスワードパスワード",
    ])
      expect(codes(pw), pw).toEqual([])
  })
  it("P-AUTH-1 the list is a small committed module of lowercase entries", () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(100)
    expect(COMMON_PASSWORDS.length).toBeLessThan(500)
    for (const entry of COMMON_PASSWORDS) expect(entry).toBe(entry.toLowerCase())
  })
  it("P-AUTH-1 a password containing the email or its local part: password_contains_email", () => {
    expect(codes("Ken.Tanaka@Globex.test!!", "ken.tanaka@globex.test")).toEqual(["password_contains_email"])
    expect(codes("my-ken.tanaka-secret", "ken.tanaka@globex.test")).toEqual(["password_contains_email"])
    expect(codes("KenTanaka-but-longer", "ken.tanaka@globex.test")).toEqual(["password_contains_email"])
    expect(codes("yuki-2026-spring-pass", { email: "yuki@globex.test" })).toEqual(["password_contains_email"])
    // A local part shorter than 4 letters is too likely to occur by chance.
    expect(codes("kenji-hiking-trails", "ken@globex.test")).toEqual([])
    // The email itself keeps its own code.
    expect(codes("ken.tanaka@globex.test", "Ken.Tanaka@globex.test")).toEqual(["password_is_email"])
  })
  it("P-AUTH-1 a password containing the portal's name: password_contains_portal_name", () => {
    expect(codes("acme-support-2026", { portalName: "Acme Support" })).toEqual(["password_contains_portal_name"])
    expect(codes("さくらサポート2026年", { portalName: "さくら サポート" })).toEqual(["password_contains_portal_name"])
    expect(codes("a quiet acme morning", { portalName: "Acme" })).toEqual(["password_contains_portal_name"])
    expect(codes("a quiet morning walk", { portalName: "Acme" })).toEqual([])
    // Too short a name is not looked for.
    expect(codes("a quiet morning walk", { portalName: "Q" })).toEqual([])
  })
  it("P-AUTH-1 every problem of a guessable password at once, each with its own code", () => {
    expect(codes("acmeken.tanaka123", { email: "ken.tanaka@globex.test", portalName: "Acme" })).toEqual([
      "password_contains_email",
      "password_contains_portal_name",
    ])
    expect(codes("portal123456", { portalName: "Portal" })).toEqual([
      "password_contains_portal_name",
      "password_too_common",
    ])
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
