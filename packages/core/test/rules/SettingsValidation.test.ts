import { readFileSync } from "node:fs"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { PortalSettings } from "../../src/domain/index.ts"
import type { Catalog } from "../../src/ports/index.ts"
import { enablementBlockers, settingsIssues } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"
import { catalogOf } from "../support/Catalog.ts"
import { decodeFixture, fixture } from "../support/Fixture.ts"
import { expectCoded, pathCodes } from "../support/Issues.ts"

const doc = fixture()
const catalog = catalogOf(doc)
const valid = doc.portal
const withSettings = (edit: Partial<PortalSettings>): PortalSettings => ({ ...valid, ...edit })
// Every issue and blocker these tests produce is checked for a translatable code (expectCoded).
const paths = (s: PortalSettings) => expectCoded(settingsIssues(s, catalog)).map((i) => i.path)
const steps = (s: PortalSettings, c: Pick<Catalog, "domains"> = catalog) =>
  expectCoded(enablementBlockers(s, c)).map((b) => `${b.step}@${b.path}`)
const oidc = { issuer: "https://idp.acme.test", clientId: "portal", clientSecret: "secret" }

describe("P-SET-5 settings are validated as a whole", () => {
  it("P-SET-5 the fixture's settings have no issue and nothing blocks enabling", () => {
    expect(settingsIssues(valid, catalog)).toEqual([])
    expect(enablementBlockers(valid, catalog)).toEqual([])
  })
  it.each(["acme.en.json", "sakura.ja.json"])("P-SET-5 the demo workspace %s is valid and enableable", (file) => {
    const demo = decodeFixture(JSON.parse(readFileSync(new URL(`../../../../demo/${file}`, import.meta.url), "utf8")))
    expect(settingsIssues(demo.portal, catalogOf(demo))).toEqual([])
    if (demo.portal.enabled) expect(enablementBlockers(demo.portal, catalogOf(demo))).toEqual([])
  })
  it.each(["agent", "unsubscribe", "admin", "account"])(
    "P-AGT-1, P-NOT-3 the slug %s is the server's own path: refused for a portal",
    (slug) => {
      expect(pathCodes(settingsIssues({ ...valid, slug }, catalog))).toEqual(["slug:reserved_slug"])
    },
  )
  it("P-SET-5 every problem is returned at once, each with its field path", () => {
    const broken = withSettings({
      ticketLabel: " ",
      slug: "sso",
      access: { method: "membership", registration: "accessGroups", listIds: ["l1", "gone"] as never },
      consent: { noticeText: "n", checkboxLabel: "c", legalUrl: "javascript:alert(1)" },
      ticketScope: { company: { listIds: ["nope"] as never } },
      ticketFilters: [
        { property: "pipelineId", operator: "in", values: ["support", "ghost"] },
        { property: "stageId", operator: "notIn", values: ["nowhere"] },
        { property: "category", operator: "in", values: [] },
      ],
      actions: {
        allowClose: true,
        allowReplyToClosed: false,
        closedStageByPipeline: { billing: "open", ghost: "x", support: "none" } as never,
      },
      defaultInboxId: "ib-gone" as never,
      supportForm: { formId: "f2" as never, menuText: "m", headerText: "" },
      navigation: [
        { label: "ok", url: "https://help.acme.test" },
        { label: "local", url: "/help" },
        { label: "bad", url: "javascript:alert(1)" },
        { label: "proto-relative", url: "//evil.test" },
      ],
    })
    expect(paths(broken)).toEqual([
      "ticketLabel",
      "slug",
      "access.listIds[1]",
      "consent.legalUrl",
      "ticketScope.company.listIds[0]",
      "ticketFilters[0].values[1]",
      "ticketFilters[1].values[0]",
      "ticketFilters[2].values",
      "actions.closedStageByPipeline.billing",
      "actions.closedStageByPipeline.ghost",
      "actions.closedStageByPipeline.support",
      "defaultInboxId",
      "supportForm.formId",
      "supportForm.formId",
      "navigation[2].url",
      "navigation[3].url",
    ])
    expect(pathCodes(settingsIssues(broken, catalog))).toEqual([
      "ticketLabel:required",
      "slug:reserved_slug",
      "access.listIds[1]:unknown_list",
      "consent.legalUrl:invalid_url",
      "ticketScope.company.listIds[0]:unknown_list",
      "ticketFilters[0].values[1]:unknown_pipeline",
      "ticketFilters[1].values[0]:unknown_stage",
      "ticketFilters[2].values:required",
      "actions.closedStageByPipeline.billing:stage_not_closed",
      "actions.closedStageByPipeline.ghost:unknown_pipeline",
      "actions.closedStageByPipeline.support:unknown_stage",
      "defaultInboxId:unknown_inbox",
      "supportForm.formId:form_not_eligible",
      "supportForm.formId:form_not_eligible",
      "navigation[2].url:invalid_url",
      "navigation[3].url:invalid_url",
    ])
    const slugIssue = settingsIssues(broken, catalog).find((i) => i.path === "slug")
    expect(slugIssue?.params).toEqual({ slug: "sso" })
  })
  it("P-SET-5 lengths carry their limit as a param; unknown references their id", () => {
    expect(settingsIssues(withSettings({ pageTitle: "x".repeat(121) }), catalog)).toEqual([
      { path: "pageTitle", code: "too_long", message: "Use at most 120 characters.", params: { max: 120 } },
    ])
    expect(settingsIssues(withSettings({ defaultInboxId: "ib-gone" as never }), catalog)[0]).toMatchObject({
      code: "unknown_inbox",
      params: { id: "ib-gone" },
    })
    const ineligible = settingsIssues(
      withSettings({ supportForm: { formId: "f2" as never, menuText: "m", headerText: "" } }),
      catalog,
    )
    expect(ineligible.map((i) => i.params)).toEqual([
      { id: "f2", reason: "notConnected" },
      { id: "f2", reason: "noSubjectField" },
    ])
  })
  it("the time zone, when set, is an IANA name the runtime knows", () => {
    for (const timeZone of ["Asia/Tokyo", "UTC", "America/New_York", "Europe/Berlin"])
      expect(paths(withSettings({ timeZone }))).toEqual([])
    for (const timeZone of ["", " ", "Mars/Olympus", "Asia/Tokyo; DROP", "x".repeat(65)])
      expect(pathCodes(settingsIssues(withSettings({ timeZone }), catalog))).toEqual(["timeZone:invalid_time_zone"])
  })
  it("P-SET-5 lengths and missing references", () => {
    expect(paths(withSettings({ pageTitle: "x".repeat(121) }))).toEqual(["pageTitle"])
    expect(paths(withSettings({ ticketLabel: "x".repeat(41) }))).toEqual(["ticketLabel"])
    expect(paths(withSettings({ ticketScope: { company: { listIds: [] } } }))).toEqual(["ticketScope.company.listIds"])
    expect(
      paths(withSettings({ access: { method: "sso", protocol: "oidc", audience: { listIds: ["x"] as never }, oidc } })),
    ).toEqual(["access.audience.listIds[0]"])
    expect(paths(withSettings({ supportForm: { formId: "missing" as never, menuText: "m", headerText: "" } }))).toEqual(
      ["supportForm.formId"],
    )
  })
  it("P-FORM-2 an ineligible support form is named with the reason", () => {
    const issues = settingsIssues(
      withSettings({ supportForm: { formId: "f2" as never, menuText: "m", headerText: "" } }),
      catalog,
    )
    expect(issues.map((i) => i.message)).toEqual([
      "The form is not connected to an inbox or help desk.",
      "The form has no field that fills the ticket's subject.",
    ])
  })
})

describe("P-SET-4 what blocks enabling", () => {
  it("P-SET-4 P-DOM-3 a connected domain is needed; the shared domain does not count", () => {
    expect(steps(valid, { domains: [] })).toEqual(["domain@domains"])
    expect(steps(valid, { domains: [{ host: "acme.portal-sites.net", language: "en" }] })).toEqual(["domain@domains"])
    expect(
      steps(valid, {
        domains: [
          { host: "acme.portal-sites.net", language: "en" },
          { host: "help.acme.test", language: "ja" },
        ],
      }),
    ).toEqual([])
  })
  it("P-SET-4 P-CON-1 self-registration needs a consent text", () => {
    const { consent: _, ...noConsent } = valid
    expect(steps(noConsent)).toEqual(["consent@consent"])
    expect(
      steps({ ...noConsent, access: { method: "membership", registration: "accessGroups", listIds: ["l1"] as never } }),
    ).toEqual([])
  })
  it("P-SET-4 P-AUTH-2 access groups need chosen lists", () => {
    expect(
      steps(withSettings({ access: { method: "membership", registration: "accessGroups", listIds: [] } })),
    ).toEqual(["loginMethod@access.listIds"])
  })
  it("P-SET-4 P-AUTH-5 SSO needs an audience and a usable configuration", () => {
    expect(
      steps(withSettings({ access: { method: "sso", protocol: "oidc", audience: { listIds: [] }, oidc } })),
    ).toEqual(["loginMethod@access.audience.listIds"])
    expect(
      steps(
        withSettings({
          access: { method: "sso", protocol: "oidc", audience: "all", oidc: { ...oidc, issuer: "idp" } },
        }),
      ),
    ).toEqual(["loginMethod@access.oidc.issuer"])
    expect(
      steps(
        withSettings({
          access: {
            method: "sso",
            protocol: "saml",
            audience: "all",
            saml: { entryPoint: "ftp://idp", idpCertPem: "abc", issuer: "i" },
          },
        }),
      ),
    ).toEqual(["loginMethod@access.saml.entryPoint", "loginMethod@access.saml.idpCertPem"])
    expect(
      steps(
        withSettings({
          access: { method: "sso", protocol: "jwt", audience: "all", jwt: { algorithm: "HS256", secret: "short" } },
        }),
      ),
    ).toEqual(["loginMethod@access.jwt.secret"])
    expect(
      enablementBlockers(
        withSettings({
          access: { method: "sso", protocol: "jwt", audience: "all", jwt: { algorithm: "HS256", secret: "short" } },
        }),
        catalog,
      ),
    ).toEqual([
      {
        step: "loginMethod",
        path: "access.jwt.secret",
        code: "jwt_secret_too_short",
        message: "Use a secret of at least 32 characters.",
        params: { min: 32 },
      },
    ])
    const pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----"
    expect(
      steps(
        withSettings({
          access: { method: "sso", protocol: "jwt", audience: "all", jwt: { algorithm: "ES256", publicKeyPem: pem } },
        }),
      ),
    ).toEqual([])
    expect(
      steps(
        withSettings({
          access: {
            method: "sso",
            protocol: "jwt",
            audience: "all",
            jwt: { algorithm: "HS256", secret: "k".repeat(32) },
          },
        }),
      ),
    ).toEqual([])
  })
  it("P-SET-4 P-SET-2 a page title is needed", () => {
    expect(steps(withSettings({ pageTitle: "  " }))).toEqual(["pageTitle@pageTitle"])
  })
  it("P-SET-4 everything missing at once is listed at once", () => {
    const { consent: _, ...noConsent } = valid
    const blockers = expectCoded(enablementBlockers({ ...noConsent, pageTitle: "" }, { domains: [] }))
    expect(blockers.map((b) => `${b.step}:${b.code}`)).toEqual([
      "domain:no_domain",
      "consent:consent_required",
      "pageTitle:required",
    ])
  })
  it("P-SET-4 property: blockers never depend on the enabled flag, issues never on the domains", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.constantFrom("a.portal-sites.net", "help.acme.test"), { maxLength: 2 }),
        (enabled, hosts) => {
          const s = withSettings({ enabled })
          const c = { ...catalog, domains: hosts.map((host) => ({ host, language: "en" as const })) }
          expect(enablementBlockers(s, c).length === 0).toBe(hosts.includes("help.acme.test"))
          expect(settingsIssues(s, c)).toEqual([])
        },
      ),
      RUNS,
    )
  })
})
