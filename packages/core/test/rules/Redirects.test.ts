import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { MAX_REDIRECT_LENGTH, sameOriginPath } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const ORIGIN = "https://support.acme.test"
const LIST = "/support"

/** The browser's reading of a Location value on the portal's page (Node's WHATWG URL is the oracle). */
const browserReads = (location: string): URL => new URL(location, `${ORIGIN}/account/sign-in?next=x`)

const pieces = fc.constantFrom(
  "/",
  "\\",
  "//",
  "/\\",
  "\\/",
  "\t",
  "\r",
  "\n",
  "\r\n",
  " ",
  "\u0000",
  "\u007f",
  "\u3000",
  "\uff0f",
  "\uff3c",
  "\u202e",
  "\u2028",
  "%09",
  "%0a",
  "%0A",
  "%0d",
  "%2f",
  "%2F",
  "%5c",
  "%5C",
  "%2e",
  "%",
  ".",
  "..",
  "/./",
  "/../",
  "@",
  "user:pass@",
  ":",
  "?",
  "#",
  "&",
  "=",
  "javascript:",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>",
  "vbscript:",
  "http:",
  "https:",
  "https://",
  "http://evil.test",
  "evil.test",
  "support.acme.test",
  "https://support.acme.test",
  "https://support.acme.test:8443",
  "http://support.acme.test",
  "support",
  "tickets",
  "t1",
  "ö",
  "チケット",
  "😀",
)

/** Strings built to confuse a parser: the pieces above, raw text, and both after a leading "/". */
const targets = fc.oneof(
  fc.array(pieces, { maxLength: 12 }).map((p) => p.join("")),
  fc
    .tuple(fc.constantFrom("/", "//", "/\\", "\\", "/\t/", ""), fc.array(pieces, { maxLength: 10 }))
    .map(([head, p]) => head + p.join("")),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }).map((s) => `/${s}`),
)

describe("sameOriginPath: redirect targets from a request (P-SEC-1)", () => {
  it("P-SEC-1: whatever the input, the browser lands on the portal's origin at a path it will not reinterpret", () => {
    fc.assert(
      fc.property(targets, (requested) => {
        const out = sameOriginPath(requested, ORIGIN, LIST)
        // Re-serialized: printable ASCII only (a valid header value; no tab, CR, LF, space, U+3000).
        expect(out).toMatch(/^[\x21-\x7e]+$/)
        expect(out.startsWith("/")).toBe(true)
        expect(out.startsWith("//")).toBe(false)
        expect(out).not.toContain("\\")
        const landed = browserReads(out)
        expect(landed.origin).toBe(ORIGIN)
        // The browser reads back exactly this path: nothing left to reinterpret.
        expect(`${landed.pathname}${landed.search}${landed.hash}`).toBe(out)
      }),
      { numRuns: 2000 },
    )
  })

  it("P-SEC-1: a target the browser would resolve to another origin (or not at all) goes to the ticket list", () => {
    fc.assert(
      fc.property(targets, (requested) => {
        let origin: string | null
        try {
          origin = new URL(requested, ORIGIN).origin
        } catch {
          origin = null
        }
        if (origin !== ORIGIN) expect(sameOriginPath(requested, ORIGIN, LIST)).toBe(LIST)
      }),
      { numRuns: 2000 },
    )
  })

  it("P-SEC-1: a plain same-origin path with query and fragment is kept as it is", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,12}$/).filter((s) => s !== "." && s !== "..")
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/)
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(word, word), { maxLength: 3 }),
        fc.option(word, { nil: undefined }),
        (segments, query, hash) => {
          const path = `/${segments.join("/")}${query.length > 0 ? `?${query.map(([k, v]) => `${k}=${v}`).join("&")}` : ""}${hash === undefined ? "" : `#${hash}`}`
          expect(sameOriginPath(path, ORIGIN, LIST)).toBe(path)
        },
      ),
      RUNS,
    )
  })

  it("P-SEC-1: the known tricks go to the ticket list; encoded characters stay encoded", () => {
    const refused = [
      "/\t/evil.test/phish",
      "/%09/evil.test/phish".replace("%09", "\t"),
      "//evil.test/phish",
      "/\\evil.test/phish",
      "\\\\evil.test",
      "/\r\n/evil.test",
      "/\n/evil.test",
      "https://evil.test/",
      "http://support.acme.test/x",
      "https://support.acme.test.evil.test/x",
      "https://support.acme.test@evil.test/x",
      "//user@evil.test",
      "javascript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "/.//evil.test",
      "",
      "/".repeat(1) + "a".repeat(MAX_REDIRECT_LENGTH),
    ]
    for (const r of refused) expect(sameOriginPath(r, ORIGIN, LIST), JSON.stringify(r)).toBe(LIST)
    expect(sameOriginPath(undefined, ORIGIN, LIST)).toBe(LIST)
    expect(sameOriginPath(["/x"], ORIGIN, LIST)).toBe(LIST)
    expect(sameOriginPath("/x", "not an origin", LIST)).toBe(LIST)
    // Same origin, written absolutely or relatively: its path, re-serialized.
    expect(sameOriginPath("https://support.acme.test/support/t1?a=1#m", ORIGIN, LIST)).toBe("/support/t1?a=1#m")
    expect(sameOriginPath("/%2F%2Fevil.test", ORIGIN, LIST)).toBe("/%2F%2Fevil.test")
    expect(sameOriginPath("/%5Cevil.test", ORIGIN, LIST)).toBe("/%5Cevil.test")
    expect(sameOriginPath("/a\u3000b?q=\u3000", ORIGIN, LIST)).toBe("/a%E3%80%80b?q=%E3%80%80")
    expect(sameOriginPath("/\uff0fevil.test", ORIGIN, LIST)).toBe("/%EF%BC%8Fevil.test")
    expect(sameOriginPath("/a\r\nb", ORIGIN, LIST)).toBe("/ab")
    expect(sameOriginPath("/support/../account/x", ORIGIN, LIST)).toBe("/account/x")
  })
})
