import { describe, expect, it } from "vitest"
import { BRANDING_URL_MAX_LENGTH, brandingIssues } from "../../src/rules/index.ts"
import { pathCodes } from "../support/Issues.ts"

describe("P-BRAND-3 branding: colours and addresses the portal can render safely", () => {
  it("accepts #rrggbb colours, https addresses and root-relative paths; every key is optional", () => {
    expect(brandingIssues({})).toEqual([])
    expect(
      brandingIssues({
        primaryColor: "#0b6bcb",
        accentColor: "#FF7A59",
        logoUrl: "https://cdn.acme.test/logo.svg?v=2",
        faviconUrl: "/favicon.ico",
      }),
    ).toEqual([])
  })
  it.each([
    ["primaryColor", "red"],
    ["primaryColor", "#fff"],
    ["accentColor", "#0b6bcbff"],
    ["accentColor", "#0b6bcb;background:url(x)"],
  ] as const)("refuses the colour %s = %s", (key, value) => {
    expect(pathCodes(brandingIssues({ [key]: value }))).toEqual([`branding.${key}:invalid_color`])
  })
  it.each([
    "javascript:alert(1)",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "http://cdn.acme.test/logo.svg",
    "//evil.test/logo.svg",
    "logo.svg",
    "",
    '/logo.svg" onload="alert(1)',
    "https://cdn.acme.test/a b.svg",
    "/\\evil.test",
  ])("refuses the address %j for the logo and the favicon", (value) => {
    expect(pathCodes(brandingIssues({ logoUrl: value, faviconUrl: value }))).toEqual([
      "branding.logoUrl:invalid_url",
      "branding.faviconUrl:invalid_url",
    ])
  })
  it("caps addresses at 2,000 characters, with the limit as a param", () => {
    const long = `https://cdn.acme.test/${"a".repeat(BRANDING_URL_MAX_LENGTH)}`
    expect(brandingIssues({ logoUrl: long }, "workspace.branding")).toEqual([
      {
        path: "workspace.branding.logoUrl",
        code: "too_long",
        message: "Use at most 2000 characters.",
        params: { max: 2000 },
      },
    ])
    expect(brandingIssues({ logoUrl: `/${"a".repeat(BRANDING_URL_MAX_LENGTH - 1)}` })).toEqual([])
  })
})
