import { createHmac } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ContactId, TicketId, WorkspaceId } from "../../src/domain/index.ts"
import {
  base32Decode,
  base32Encode,
  constantTimeEqual,
  hmacSha256,
  parseReplyAddress,
  REPLY_LOCAL_PREFIX,
  type ReplyAddressTarget,
  replyAddress,
  replyAddressParts,
  replyToken,
  verifyReplyToken,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const SECRET = "a-server-secret-of-some-length-0123456789"
const demo: ReplyAddressTarget = {
  workspaceId: "acme" as WorkspaceId,
  ticketId: "t1" as TicketId,
  contactId: "p1" as ContactId,
}

/** Ids as the workspace format allows them: 1..255 characters of a line, any script. */
const id = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ids carry no control characters
  .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s))
const target: fc.Arbitrary<ReplyAddressTarget> = fc.record({
  workspaceId: id as fc.Arbitrary<WorkspaceId>,
  ticketId: id as fc.Arbitrary<TicketId>,
  contactId: id as fc.Arbitrary<ContactId>,
})

describe("HMAC-SHA256 behind P-NOT-5 reply addresses", () => {
  it("P-NOT-5 RFC 4231 test case 2 and a long key agree with the published MACs", () => {
    expect(Buffer.from(hmacSha256("Jefe", "what do ya want for nothing?")).toString("hex")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    )
    const key = new Uint8Array(131).fill(0xaa)
    expect(Buffer.from(hmacSha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")).toString("hex")).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    )
  })
  it("P-NOT-5 property: agrees with node:crypto on any key and message", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 300 }), (key, message) => {
        expect(Buffer.from(hmacSha256(key, message)).toString("hex")).toBe(
          createHmac("sha256", key).update(message).digest("hex"),
        )
      }),
      RUNS,
    )
  }, 60_000)
  it("P-NOT-5 constantTimeEqual is equality of bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 12 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)))
        expect(constantTimeEqual(a, Uint8Array.from(a))).toBe(true)
      }),
      RUNS,
    )
  }, 60_000)
})

describe("P-NOT-5 base32 of the reply token", () => {
  it("P-NOT-5 RFC 4648 vectors, lower case and unpadded", () => {
    const cases: ReadonlyArray<[string, string]> = [
      ["", ""],
      ["f", "my"],
      ["fo", "mzxq"],
      ["foo", "mzxw6"],
      ["foob", "mzxw6yq"],
      ["fooba", "mzxw6ytb"],
      ["foobar", "mzxw6ytboi"],
    ]
    for (const [plain, encoded] of cases) {
      expect(base32Encode(new TextEncoder().encode(plain))).toBe(encoded)
      expect(new TextDecoder().decode(base32Decode(encoded) ?? new Uint8Array([0xff]))).toBe(plain)
    }
  })
  it("P-NOT-5 property: decode(encode(bytes)) is the bytes; a non-canonical spelling is refused", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = base32Encode(bytes)
        expect(text).toMatch(/^[a-z2-7]*$/)
        expect(base32Decode(text)).toEqual(bytes)
      }),
      RUNS,
    )
    expect(base32Decode("mz")).toBeNull() // "f" is "my": z sets a padding bit
    expect(base32Decode("m")).toBeNull()
    expect(base32Decode("MY")).toBeNull() // decoding takes lower case; the token parser lower-cases
    expect(base32Decode("m1")).toBeNull()
  })
})

describe("P-NOT-5 the reply address: reply+<token>@<domain>, signed and bound to workspace, ticket and contact", () => {
  it("P-NOT-5 the demo's address is short, lower case and parses back", () => {
    const address = replyAddress(SECRET, demo, "Support.Acme.Test")
    expect(address).toMatch(/^reply\+[a-z2-7]+@support\.acme\.test$/)
    expect(address.split("@")[0]?.length).toBeLessThanOrEqual(64)
    expect(parseReplyAddress(SECRET, address)).toEqual({ ...demo, domain: "support.acme.test" })
    expect(parseReplyAddress(SECRET, `<${address.toUpperCase()}>`)).toEqual({ ...demo, domain: "support.acme.test" })
  })
  it("P-NOT-5 property: round trip for any ids, in any case", () => {
    fc.assert(
      fc.property(target, (t) => {
        const token = replyToken(SECRET, t)
        expect(verifyReplyToken(SECRET, token)).toEqual(t)
        expect(verifyReplyToken(SECRET, token.toUpperCase())).toEqual(t)
        expect(parseReplyAddress(SECRET, replyAddress(SECRET, t, "x.test"))).toEqual({ ...t, domain: "x.test" })
      }),
      RUNS,
    )
  }, 60_000)
  it("P-NOT-5 property: any changed, dropped or added character is refused", () => {
    fc.assert(
      fc.property(target, fc.nat(), fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz234567"), (t, at, c) => {
        const token = replyToken(SECRET, t)
        const i = at % token.length
        const changed = token.slice(0, i) + c + token.slice(i + 1)
        if (changed !== token) expect(verifyReplyToken(SECRET, changed)).toBeNull()
        expect(verifyReplyToken(SECRET, token.slice(0, i) + token.slice(i + 1))).toBeNull()
        expect(verifyReplyToken(SECRET, token.slice(0, i) + c + token.slice(i))).toBeNull()
      }),
      RUNS,
    )
  }, 60_000)
  it("P-NOT-5 property: a token for one ticket or contact never verifies as another's, nor under another secret", () => {
    fc.assert(
      fc.property(target, target, (a, b) => {
        const verified = verifyReplyToken(SECRET, replyToken(SECRET, a))
        expect(verified?.ticketId === b.ticketId && verified?.contactId === b.contactId).toBe(
          a.ticketId === b.ticketId && a.contactId === b.contactId,
        )
        if (a.ticketId !== b.ticketId || a.contactId !== b.contactId || a.workspaceId !== b.workspaceId)
          expect(replyToken(SECRET, a)).not.toBe(replyToken(SECRET, b))
        expect(verifyReplyToken(`${SECRET}x`, replyToken(SECRET, a))).toBeNull()
      }),
      RUNS,
    )
  }, 60_000)
  it("P-NOT-5 a token re-signed for another contact by someone without the secret is refused", () => {
    // Swap the contact in the payload, keep the MAC: what a forger can do without the secret.
    const mine = base32Decode(replyToken(SECRET, demo)) as Uint8Array
    const other = base32Decode(replyToken(SECRET, { ...demo, contactId: "p2" as ContactId })) as Uint8Array
    const forged = new Uint8Array(mine)
    forged.set(other.subarray(0, other.length - 10))
    expect(verifyReplyToken(SECRET, base32Encode(forged))).toBeNull()
  })
  it("P-NOT-5 property: random local parts and addresses never parse", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ unit: "grapheme", maxLength: 60 }), (local, any) => {
        expect(parseReplyAddress(SECRET, `${REPLY_LOCAL_PREFIX}${local}@acme.test`)).toBeNull()
        expect(parseReplyAddress(SECRET, any)).toBeNull()
        expect(verifyReplyToken(SECRET, local)).toBeNull()
      }),
      RUNS,
    )
  }, 60_000)
  it("P-NOT-5 addresses that are not reply addresses split to null", () => {
    for (const a of ["", "@", "reply+@", "reply+abc@", "ken@globex.test", "replyabc@x.test", "@x.test"])
      expect(replyAddressParts(a)).toBeNull()
    expect(replyAddressParts("Reply+ABC@X.Test")).toEqual({ token: "abc", domain: "x.test" })
    expect(verifyReplyToken(SECRET, "a".repeat(5000))).toBeNull()
  })
})
