import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  domainHostIssues,
  isSharedPlatformHost,
  normalizeHost,
  portalDomains,
  SHARED_DOMAIN_SUFFIX,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

describe("P-DOM-3 the platform's shared domain cannot host a portal", () => {
  it.each([
    "acme.portal-sites.net",
    "ACME.Portal-Sites.NET",
    "acme.portal-sites.net.",
    "acme.portal-sites.net:443",
    "portal-sites.net",
    "a.b.portal-sites.net",
  ])("P-DOM-3 %j is the shared domain", (host) => {
    expect(isSharedPlatformHost(host)).toBe(true)
    expect(domainHostIssues(host)[0]?.message).toMatch(/shared domain/)
  })
  it.each([
    "support.acme.test",
    "evilportal-sites.net",
    "portal-sites.net.example.com",
    "localhost",
    "127.0.0.1:3000",
    "[::1]:8080",
  ])("P-DOM-3 %j is a domain of the team's own", (host) => {
    expect(isSharedPlatformHost(host)).toBe(false)
    expect(domainHostIssues(host)).toEqual([])
  })
  it("P-DOM-1 hosts are normalised: case, port and trailing dot", () => {
    expect(normalizeHost(" Support.Acme.Test.:8443 ")).toBe("support.acme.test")
    expect(normalizeHost("[::1]:8080")).toBe("[::1]")
  })
  it("P-DOM-3 an empty host is refused", () => {
    expect(domainHostIssues("  ")).toEqual([{ path: "host", code: "required", message: "Enter a domain." }])
  })
  it("P-SET-4 only domains of the team's own count as connected", () => {
    const ds = [{ host: "acme.portal-sites.net" }, { host: "support.acme.test" }]
    expect(portalDomains(ds)).toEqual([{ host: "support.acme.test" }])
    expect(portalDomains([{ host: "acme.portal-sites.net" }])).toEqual([])
  })
  it("P-DOM-3 property: every subdomain of the shared domain is refused, whatever its case", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/)
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.boolean(), (labels, upper) => {
        const host = `${labels.join(".")}${SHARED_DOMAIN_SUFFIX}`
        expect(isSharedPlatformHost(upper ? host.toUpperCase() : host)).toBe(true)
        expect(isSharedPlatformHost(`${labels.join(".")}.example.com`)).toBe(false)
      }),
      RUNS,
    )
  })
})
