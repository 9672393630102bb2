// P-DOM-4: every string comes from the catalogs; both languages have the same keys and params.
import { ACCESS_DENIAL_CODES, ACTION_REFUSAL_CODES, VALIDATION_CODES } from "@portal/core/domain"
import { describe, expect, it } from "vitest"
import { en, type MessageKey } from "../src/lib/i18n/en.ts"
import { catalogs, createI18n, interpolate } from "../src/lib/i18n/index.ts"
import { ja } from "../src/lib/i18n/ja.ts"
import { accessDeniedPath, deniedKey, refusalCodeOf, refusalKey } from "../src/lib/i18n/refusal.ts"
import { issueText, namedFieldError } from "../src/lib/i18n/validation.ts"

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

  it("builds one translator per language and zone, shared by every request", () => {
    const late = "2026-10-02T23:30:00Z"
    const tokyo = createI18n("en", "Asia/Tokyo")
    expect(createI18n("en", "Asia/Tokyo")).toBe(tokyo)
    // Another zone or language is another translator, with its own formatters.
    const newYork = createI18n("en", "America/New_York")
    expect(newYork).not.toBe(tokyo)
    expect(tokyo.dateTime(late)).toMatch(/^Oct 3, 2026, 8:30\sAM\sGMT\+9$/)
    expect(newYork.dateTime(late)).toMatch(/^Oct 2, 2026, 7:30\sPM\sEDT$/)
    expect(createI18n("ja", "Asia/Tokyo")).not.toBe(tokyo)
    expect(createI18n("ja", "Asia/Tokyo").lang).toBe("ja")
    // An unknown zone, cached too, is still UTC.
    const unknown = createI18n("en", "Mars/Olympus_Mons")
    expect(createI18n("en", "Mars/Olympus_Mons")).toBe(unknown)
    expect(unknown.timeZone).toBe("UTC")
    expect(unknown.dateTime(late)).toMatch(/^Oct 2, 2026, 11:30\sPM\sUTC$/)
    // Bounded: many other zones push the oldest out (built again, still right).
    for (let i = 0; i < 100; i++) createI18n("en", `Nowhere/Zone_${i}`)
    const again = createI18n("en", "Asia/Tokyo")
    expect(again).not.toBe(tokyo)
    expect(again.dateTime(late)).toBe(tokyo.dateTime(late))
  })

  it("remembers formatted dates without changing them: every one as Intl writes it, past the bound too", () => {
    const i18n = createI18n("ja", "Asia/Tokyo")
    const intl = new Intl.DateTimeFormat("ja", { dateStyle: "medium", timeZone: "Asia/Tokyo" })
    const start = Date.parse("2026-01-01T00:00:00Z")
    // 2,500 distinct times, twice: more than one translator's memory holds (1,000), so it empties and fills again.
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 2500; i++) {
        const ms = start + i * 7 * 3_600_000
        expect(i18n.date(new Date(ms).toISOString())).toBe(intl.format(ms))
      }
    // Not a date: shown as it came, remembered or not.
    expect(i18n.date("someday")).toBe("someday")
    expect(i18n.date("someday")).toBe("someday")
    expect(i18n.dateTime("someday")).toBe("someday")
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

describe("refusal messages (P-ACT-2, P-ACT-3, P-FORM-2, P-AUTH-2, P-AUTH-5)", () => {
  const t = (lang: "en" | "ja") => createI18n(lang).t
  const codes = [...ACTION_REFUSAL_CODES, ...ACCESS_DENIAL_CODES]
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/

  it("both catalogs translate every refusal code of core, the Japanese one in Japanese", () => {
    for (const code of codes)
      for (const [lang, catalog] of Object.entries(catalogs)) {
        const text = catalog[`refusal.${code}` as MessageKey]
        expect(text, `${lang}: refusal.${code}`).toBeTruthy()
        if (lang === "ja") expect(text, `ja: refusal.${code}`).toMatch(japanese)
      }
  })

  it("has no translation of a refusal code core does not define", () => {
    const known = new Set<string>(codes)
    const extra = Object.keys(en)
      .filter((key) => key.startsWith("refusal."))
      .map((key) => key.slice("refusal.".length))
      .filter((code) => !known.has(code))
    expect(extra).toEqual([])
  })

  it("reads the code of an API failure and translates it; an unknown code has no key (the page says its own)", () => {
    const failure = { code: "PRECONDITION_FAILED", refusalCode: "closed_ticket_reply_disabled", reason: "closed" }
    const key = refusalKey(refusalCodeOf(failure))
    expect(key).toBe("refusal.closed_ticket_reply_disabled")
    expect(t("ja")(key as MessageKey)).toBe("クローズ済みのため返信できません。別のご用件は新しく送信してください。")
    expect(refusalKey("brand_new_refusal")).toBeNull()
    expect(refusalKey(undefined)).toBeNull()
    expect(refusalCodeOf({ code: "FORBIDDEN", reason: "notInAudience" })).toBeNull()
  })

  it("sends a refused entry to the access denied page with its code, which the page translates", () => {
    expect(accessDeniedPath({ code: "FORBIDDEN", refusalCode: "sso_required" })).toBe(
      "/account/access-denied?code=sso_required",
    )
    expect(accessDeniedPath({ code: "FORBIDDEN" })).toBe("/account/access-denied")
    const page = (query: string) => deniedKey(new URLSearchParams(query))
    expect(page("code=not_in_access_group")).toBe("refusal.not_in_access_group")
    // The SSO routes send AccessDenied's older reason token.
    expect(page("reason=notInAudience")).toBe("refusal.audience_excluded")
    expect(page("reason=replayed")).toBe("refusal.assertion_replayed")
    expect(page("reason=badSignature")).toBeNull()
    expect(page("")).toBeNull()
  })
})

describe("errors that name their field (P-FORM-3, P-CON-2)", () => {
  const t = (lang: "en" | "ja") => createI18n(lang).t
  it("a required field is named by its label, a checkbox asks to be ticked", () => {
    const required = { key: "validation.required" as const }
    expect(namedFieldError(t("en"), required, "Subject")).toBe("Subject is required.")
    expect(namedFieldError(t("ja"), required, "件名")).toBe("件名は必須です。")
    expect(namedFieldError(t("en"), required, "Urgent", "checkbox")).toBe("Tick “Urgent” to continue.")
    expect(namedFieldError(t("en"), { key: "validation.too_long", params: { max: 5 } }, "Subject")).toBe(
      "Use at most 5 characters.",
    )
    expect(namedFieldError(t("en"), { text: "As the API says." }, "Subject")).toBe("As the API says.")
    expect(namedFieldError(t("en"), undefined, "Subject")).toBeNull()
  })
  it("the consent box's message says which box, in both languages", () => {
    expect(t("en")("auth.register.consentRequired")).toMatch(/tick the box .*processing of your data/)
    expect(t("ja")("auth.register.consentRequired")).toMatch(/データの処理.*チェックボックス/)
  })
})
