// P-DOM-4: every string comes from the catalogs; both languages have the same keys and params.
import { describe, expect, it } from "vitest"
import { en } from "../src/lib/i18n/en.ts"
import { catalogs, createI18n, interpolate } from "../src/lib/i18n/index.ts"
import { ja } from "../src/lib/i18n/ja.ts"

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
    expect(createI18n("ja").date(iso)).toMatch(/2026\/10\/0[23]/)
    expect(createI18n("en").date(iso)).toMatch(/Oct [23], 2026/)
    expect(createI18n("en").fileSize(2048)).toBe("2 KB")
    expect(createI18n("ja").duration(1440)).toBe("24時間")
    expect(createI18n("en").duration(20)).toBe("20 minutes")
  })
})
