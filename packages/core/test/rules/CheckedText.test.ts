/**
 * P-SEC-2 checked strings (domain/CheckedText.ts), the strict Host header (rules/Domains.ts
 * `hostOfHeader`) and P-SEC-3 idempotency claims (rules/Idempotency.ts), as pure functions.
 */
import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  CheckedStrings,
  checkedStringsIssues,
  ID_MAX_LENGTH,
  Line,
  schemaIssue,
  Text,
  TicketId,
  unsafeCharacters,
} from "../../src/domain/index.ts"
import { canonicalJson, hostOfHeader, idempotencyClaim } from "../../src/rules/index.ts"

const decodes = (schema: Schema.Top, value: unknown) =>
  Schema.decodeUnknownExit(schema as Schema.Codec<unknown, unknown>)(value)._tag === "Success"

describe("P-SEC-2 checked strings", () => {
  it("P-SEC-2 a line refuses every control character; text keeps tab, LF and CR only", () => {
    for (let c = 0; c <= 0x9f; c++) {
      const ch = String.fromCharCode(c)
      const control = c < 0x20 || (c >= 0x7f && c <= 0x9f)
      expect(unsafeCharacters(`a${ch}b`, "line"), `line U+${c.toString(16)}`).toBe(
        control ? "invalid_characters" : null,
      )
      const allowedInText = ch === "\t" || ch === "\n" || ch === "\r"
      expect(unsafeCharacters(`a${ch}b`, "text"), `text U+${c.toString(16)}`).toBe(
        control && !allowedInText ? "invalid_characters" : null,
      )
    }
  })

  it("P-SEC-2 lone surrogates are refused, pairs (emoji) and U+3000 accepted", () => {
    for (const s of ["\ud800", "a\udfffb", "\udc00\ud800", "x\ud83d"])
      expect(unsafeCharacters(s, "text")).toBe("invalid_unicode")
    for (const s of ["😀", "\u3000", "日本語", "\u202e"]) expect(unsafeCharacters(s, "line")).toBeNull()
  })

  it("P-SEC-2 every well-formed string without controls passes; any with a NUL fails", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
        const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
        expect(unsafeCharacters(clean, "line")).toBeNull()
        expect(unsafeCharacters(`${clean}\u0000`, "text")).toBe("invalid_characters")
      }),
    )
  })

  it("P-SEC-2 Line, Text and ids decode only checked strings of their length", () => {
    expect(decodes(Line(5), "hello")).toBe(true)
    expect(decodes(Line(5), "hello!")).toBe(false)
    expect(decodes(Line(50), "a\nb")).toBe(false)
    expect(decodes(Text(50), "a\r\nb\tc")).toBe(true)
    expect(decodes(Text(50), "a\u0000b")).toBe(false)
    expect(decodes(TicketId, "t1")).toBe(true)
    expect(decodes(TicketId, "")).toBe(false)
    expect(decodes(TicketId, "t".repeat(ID_MAX_LENGTH))).toBe(true)
    expect(decodes(TicketId, "t".repeat(ID_MAX_LENGTH + 1))).toBe(false)
    expect(decodes(TicketId, "t\u0000")).toBe(false)
    expect(schemaIssue("q", "Use at most 200 characters.")).toEqual({
      path: "q",
      code: "too_long",
      message: "Use at most 200 characters.",
      params: { max: 200 },
    })
  })

  it("P-SEC-2 every string and key of a value is checked, with its path", () => {
    const value = { a: ["ok", "bad\u0000"], b: { "key\u0001": "x", c: "\ud800" }, d: "tab\tok" }
    expect(checkedStringsIssues(value).map((i) => [i.path, i.code])).toEqual([
      ["a[1]", "invalid_characters"],
      ["b.key\u0001", "invalid_characters"],
      ["b.c", "invalid_unicode"],
    ])
    const schema = Schema.Unknown.check(CheckedStrings)
    expect(decodes(schema, value)).toBe(false)
    expect(decodes(schema, { a: ["ok"], d: "line\nbreak" })).toBe(true)
  })
})

describe("P-SEC-2 Host headers", () => {
  it("P-SEC-2 host[:port] is read; userinfo, paths and bad ports name no host", () => {
    expect(hostOfHeader("LocalHost:3000")).toBe("localhost")
    expect(hostOfHeader("support.acme.test.")).toBe("support.acme.test")
    expect(hostOfHeader("[::1]:8080")).toBe("[::1]")
    expect(hostOfHeader("127.0.0.1")).toBe("127.0.0.1")
    for (const bad of [
      "localhost:1@evil.test",
      "user:pass@localhost",
      "localhost/evil",
      "localhost:99999",
      "localhost:-1",
      "localhost:1:2",
      "local host",
      "[::1",
      "%6cocalhost",
      "",
      "localhost\u0000",
      undefined,
    ])
      expect(hostOfHeader(bad), String(bad)).toBeNull()
  })

  it("P-SEC-2 never throws, whatever the header", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => hostOfHeader(s)).not.toThrow()
      }),
    )
  })
})

describe("P-SEC-3 idempotency claims", () => {
  it("P-SEC-3 the scope names the caller and the operation", () => {
    expect(idempotencyClaim({ type: "contact", id: "p1" }, "form.submit", "F", {}).scope).toBe("contact:p1/form.submit")
    expect(idempotencyClaim({ type: "agent", id: "u1" }, "reply", "F", {}).scope).toBe("agent:u1/reply")
    expect(idempotencyClaim({ type: "integration" }, "tickets.upsert", "F", {}).scope).toBe(
      "integration/tickets.upsert",
    )
  })

  it("P-SEC-3 the fingerprint is the payload's, whatever the key order; another payload another fingerprint", () => {
    const a = idempotencyClaim({ type: "contact", id: "p1" }, "reply", "K", { text: "hi", ticketId: "t1" })
    const b = idempotencyClaim({ type: "contact", id: "p1" }, "reply", "K", { ticketId: "t1", text: "hi" })
    const c = idempotencyClaim({ type: "contact", id: "p1" }, "reply", "K", { ticketId: "t2", text: "hi" })
    expect(a.fingerprint).toBe(b.fingerprint)
    expect(c.fingerprint).not.toBe(a.fingerprint)
    expect(canonicalJson({ b: 1, a: [new Uint8Array([1, 2])], c: undefined })).toBe(
      `{"a":[{"sha256":"a12871fee210fb8619291eaea194581cbd2531e4b23759d225f6806923f63222"}],"b":1}`,
    )
  })
})
