import { describe, expect, it } from "vitest"
import { defaultTimeZone, isTimeZone, portalTimeZone, ticketLabelOf } from "../../src/rules/index.ts"

describe("the portal's language decides the defaults (P-DOM-4, P-SET-3)", () => {
  it("time zone: Asia/Tokyo for ja, UTC for en, the setting when it is a known IANA name", () => {
    expect(defaultTimeZone("ja")).toBe("Asia/Tokyo")
    expect(defaultTimeZone("en")).toBe("UTC")
    expect(portalTimeZone({}, "ja")).toBe("Asia/Tokyo")
    expect(portalTimeZone({}, "en")).toBe("UTC")
    expect(portalTimeZone({ timeZone: "America/New_York" }, "ja")).toBe("America/New_York")
    // A stored name this runtime does not know (an old import) falls back rather than breaking pages.
    expect(portalTimeZone({ timeZone: "Mars/Olympus" }, "ja")).toBe("Asia/Tokyo")
  })
  it("isTimeZone accepts what Intl accepts, nothing blank or absurdly long", () => {
    expect(["UTC", "Asia/Tokyo", "Europe/Paris", "America/Argentina/Buenos_Aires"].every(isTimeZone)).toBe(true)
    expect(["", "  ", "Tokyo", "Asia/Tokio", "javascript:alert(1)", "A".repeat(65)].some(isTimeZone)).toBe(false)
  })
  it("ticket label: the setting unless blank, else the language's word", () => {
    expect(ticketLabelOf({ ticketLabel: "Requests" }, "ja")).toBe("Requests")
    expect(ticketLabelOf({ ticketLabel: "  " }, "ja")).toBe("チケット")
    expect(ticketLabelOf({}, "en")).toBe("Tickets")
  })
})
