import { createHmac } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ContactId, WorkspaceId } from "../../src/domain/index.ts"
import { hmacSha256Hex, unsubscribeToken, verifyUnsubscribeToken } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const ws = "acme" as WorkspaceId
const p1 = "p1" as ContactId

describe("the unsubscribe token (P-NOT-3)", () => {
  it("P-NOT-3: HMAC-SHA256 agrees with node:crypto, short and long keys", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.string({ maxLength: 200 }), (key, message) => {
        expect(hmacSha256Hex(key, message)).toBe(createHmac("sha256", key).update(message).digest("hex"))
      }),
      RUNS,
    )
  })

  it("P-NOT-3: a token names its workspace and contact and only verifies under its secret", () => {
    const token = unsubscribeToken("secret", ws, p1)
    expect(verifyUnsubscribeToken("secret", token)).toEqual({ workspaceId: ws, contactId: p1 })
    expect(verifyUnsubscribeToken("other", token)).toBeNull()
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-f]{32}$/)
  })

  it("P-NOT-3: any changed character is refused (property)", () => {
    const token = unsubscribeToken("secret", ws, p1)
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(..."abcdefABCDEF0123456789-_.x"), (i, c) => {
        fc.pre(token[i] !== c)
        expect(verifyUnsubscribeToken("secret", token.slice(0, i) + c + token.slice(i + 1))).toBeNull()
      }),
      RUNS,
    )
  })

  it("P-NOT-3: a token for another contact cannot be made from one's own; malformed input is refused", () => {
    const mine = unsubscribeToken("secret", ws, p1)
    const [, mac] = mine.split(".")
    const payload = Buffer.from(JSON.stringify(["acme", "p2"])).toString("base64url")
    expect(verifyUnsubscribeToken("secret", `${payload}.${mac}`)).toBeNull()
    for (const bad of ["", ".", "abc", `${"a".repeat(2000)}.00`, "%%%.0123456789abcdef0123456789abcdef"])
      expect(verifyUnsubscribeToken("secret", bad)).toBeNull()
  })
})
