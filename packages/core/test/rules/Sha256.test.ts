import { createHash } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { sha256, sha256Hex } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const node = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex")
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")

describe("SHA-256 behind P-CON-3 text versions and token hashes", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
  ])("P-CON-3 FIPS 180-4 vector %j", (input, expected) => {
    expect(sha256Hex(input)).toBe(expected)
  })
  it("P-CON-3 block boundaries (55, 56, 63, 64, 65 bytes) and a long input agree with node:crypto", () => {
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000, 100_000])
      expect(sha256Hex("a".repeat(n))).toBe(node("a".repeat(n)))
  })
  it("P-CON-3 text is hashed as UTF-8 (Japanese consent texts)", () => {
    expect(sha256Hex("個人情報の取り扱いに同意します")).toBe(node("個人情報の取り扱いに同意します"))
  })
  it("P-CON-3 property: agrees with node:crypto on any bytes and any string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 80 }), (bytes, text) => {
        expect(hex(sha256(bytes))).toBe(node(bytes))
        expect(sha256Hex(text)).toBe(node(text))
      }),
      RUNS,
    )
  })
})
