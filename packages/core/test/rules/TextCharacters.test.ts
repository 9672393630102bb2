import { describe, expect, it } from "vitest"
import { longerThan, passwordHashIssues, textCharacterIssue } from "../../src/rules/index.ts"

describe("P-SEC-7 P-SEC-2 text characters of an imported document", () => {
  it("refuses NUL and every other control character, naming it and its position", () => {
    expect(textCharacterIssue("ab\u0000c", "notes[0].text", true)).toMatchObject({
      path: "notes[0].text",
      code: "invalid_characters",
      params: { character: "NUL", position: 2 },
    })
    for (let c = 0; c < 32; c++) {
      const free = textCharacterIssue(`x${String.fromCharCode(c)}`, "p", true)
      expect(free === null, `U+${c.toString(16)} in free text`).toBe([9, 10, 13].includes(c))
      expect(textCharacterIssue(`x${String.fromCharCode(c)}`, "p", false)).not.toBeNull()
    }
    expect(textCharacterIssue("x\u007f", "p", true)?.params).toEqual({ character: "U+007F", position: 1 })
  })

  it("refuses a lone surrogate but takes a whole pair and any other Unicode text", () => {
    expect(textCharacterIssue("a\ud800b", "p", false)?.message).toMatch(/surrogate at position 1/)
    expect(textCharacterIssue("a\udc00", "p", false)).not.toBeNull()
    expect(textCharacterIssue("😀 日本語 Ünïcode\u3000", "p", false)).toBeNull()
  })

  it("counts code points without building an array for huge strings", () => {
    expect(longerThan("😀".repeat(10), 10)).toBe(false)
    expect(longerThan("😀".repeat(11), 10)).toBe(true)
    expect(longerThan("x".repeat(50_000_000), 20_000)).toBe(true)
  })

  it("P-DATA-1: takes only argon2id PHC strings as stored logins", () => {
    const ok = `$argon2id$v=19$m=47104,t=1,p=1$${"a".repeat(22)}$${"b".repeat(43)}`
    expect(passwordHashIssues(ok)).toEqual([])
    for (const bad of [
      "",
      "plain-password",
      `$argon2i$v=19$m=47104,t=1,p=1$${"a".repeat(22)}$${"b".repeat(43)}`,
      "$2b$10$abc",
    ])
      expect(passwordHashIssues(bad, "contacts[0].passwordHash")).toMatchObject([{ path: "contacts[0].passwordHash" }])
  })
})
