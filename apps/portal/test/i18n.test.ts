// P-DOM-4: every string comes from the catalogs; both languages have the same keys and params.
import { VALIDATION_CODES } from "@portal/core"
import { describe, expect, it } from "vitest"
import { en, type MessageKey } from "../src/lib/i18n/en.ts"
import { catalogs, createI18n, interpolate } from "../src/lib/i18n/index.ts"
import { ja } from "../src/lib/i18n/ja.ts"
import { issueText } from "../src/lib/i18n/validation.ts"

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe("message catalogs", () => {
  it("ja and en have exactly the same keys", () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort())
  })

  it("every message uses the same parameters in both languages", () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) expect(params(ja[key]), key).toEqual(params(en[key]))
  })

  it("no message is empty", () => {
    for (const catalog of Object.values(catalogs))
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), key).not.toBe("")
  })

  it("fills parameters and leaves unknown ones visible", () => {
    expect(interpolate("{label}, {count} shown", { label: "Requests", count: 3 })).toBe("Requests, 3 shown")
    expect(interpolate("{missing}", {})).toBe("{missing}")
  })

  it("formats dates and sizes for the language", () => {
    const iso = "2026-10-02T10:00:00Z"
    expect(createI18n("ja", "Asia/Tokyo").date(iso)).toBe("2026/10/02")
    expect(createI18n("en", "UTC").date(iso)).toBe("Oct 2, 2026")
    expect(createI18n("en").fileSize(2048)).toBe("2 KB")
    expect(createI18n("ja").duration(1440)).toBe("24時間")
    expect(createI18n("en").duration(20)).toBe("20 minutes")
  })

  it("formats every date in the portal's time zone, never the machine's, and names it", () => {
    const late = "2026-10-02T23:30:00Z"
    expect(createI18n("ja", "Asia/Tokyo").date(late)).toBe("2026/10/03")
    expect(createI18n("en", "UTC").date(late)).toBe("Oct 2, 2026")
    expect(createI18n("en", "America/New_York").date(late)).toBe("Oct 2, 2026")
    // The zone's name is kept on the time's line with a no-break space.
    expect(createI18n("ja", "Asia/Tokyo").dateTime(late)).toBe("2026/10/03 8:30\u00a0JST")
    expect(createI18n("en", "UTC").dateTime(late).replace(/\s/g, " ")).toBe("Oct 2, 2026, 11:30 PM UTC")
    // No zone, or one the runtime does not know: UTC, the same on the server and in the browser.
    expect(createI18n("en").timeZone).toBe("UTC")
    expect(createI18n("en", "Mars/Olympus_Mons").timeZone).toBe("UTC")
    expect(createI18n("en", "Europe/Berlin").timeZone).toBe("Europe/Berlin")
  })
})

describe("validation messages", () => {
  const t = (lang: "en" | "ja") => createI18n(lang).t

  it("both catalogs translate every code of core's VALIDATION_CODES", () => {
    for (const code of VALIDATION_CODES)
      for (const [lang, catalog] of Object.entries(catalogs))
        expect(catalog[`validation.${code}` as MessageKey], `${lang}: validation.${code}`).toBeTruthy()
  })

  it("has no translation of a code core does not define", () => {
    const codes = new Set<string>(VALIDATION_CODES)
    const extra = Object.keys(en)
      .filter((key) => key.startsWith("validation."))
      .map((key) => key.slice("validation.".length))
      .filter((code) => !codes.has(code))
    expect(extra).toEqual([])
  })

  it("translates an issue by its code with its params", () => {
    const issue = { path: "pageTitle", code: "too_long", message: "Use at most 120 characters.", params: { max: 120 } }
    expect(issueText(t("ja"), issue)).toBe("120 文字以内で入力してください。")
    expect(issueText(t("en"), issue)).toBe("Use at most 120 characters.")
    const slug = { path: "slug", code: "reserved_slug", message: "…", params: { slug: "admin" } }
    expect(issueText(t("ja"), slug)).toBe("「admin」は予約されています。別のものを指定してください。")
  })

  it("falls back to the API's message for an unknown code, no code, or a missing param", () => {
    expect(issueText(t("ja"), { code: "brand_new_rule", message: "Something new." })).toBe("Something new.")
    expect(issueText(t("ja"), { message: "Old server." })).toBe("Old server.")
    expect(issueText(t("ja"), { code: "too_long", message: "Use at most 5 characters." })).toBe(
      "Use at most 5 characters.",
    )
  })
})
