// P-AUTH-5: single sign-on in the browser, by each protocol the admin can choose.
// - JWT: the admin API sets the shared secret; a signed token for a known contact starts a
//   session and lands on the list; a forged one lands on the access denied page.
// - OpenID Connect: a real local provider (oidc-provider, started by the global setup); the
//   customer walks its login and consent pages and comes back signed in.
// - SAML 2.0: a local IdP whose page posts a signed Response to the portal's ACS, in Chromium,
//   with the browser's own cookie rules (SameSite) in play.
import { createHmac, randomUUID } from "node:crypto"
import { CLIENT, makeIdpKeys, startSamlIdp } from "@portal/identity/testing"
import { describe, expect, inject, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { type Lang, origin, url } from "./support/browser.ts"
import { skip, useBrowser } from "./support/fixture.ts"
import { adminApi } from "./support/settings.ts"

const SECRET = "portal-e2e-shared-secret-of-32+chars!"
const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url")
const jwt = (claims: Record<string, unknown>, secret = SECRET) => {
  const body = `${b64(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64(JSON.stringify(claims))}`
  return `${body}.${b64(createHmac("sha256", secret).update(body).digest())}`
}
const claimsFor = (email: string) => ({
  email,
  name: "Ken Ito",
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 300,
  jti: randomUUID(),
})

describe.skipIf(skip)("single sign-on by JWT", () => {
  const { open, asAdmin } = useBrowser()

  it("signs a customer in with a valid token and refuses a forged one", async () => {
    const api = adminApi(await asAdmin("en"), "en")
    await api.withSettings(
      (s) => ({
        ...s,
        access: { method: "sso", protocol: "jwt", audience: "all", jwt: { algorithm: "HS256", secret: SECRET } },
      }),
      async () => {
        const visitor = await open()
        await visitor.goto(url("en", "/account/sign-in"))
        await expectAccessible(visitor, "en")
        // No password form and no Register link with SSO (P-AUTH-3 only with self-registration).
        expect(await visitor.locator("#f-password").count()).toBe(0)
        expect(await visitor.getByRole("link", { name: "Register" }).count()).toBe(0)

        const page = await open()
        await page.goto(
          url(
            "en",
            `/sso/jwt?token=${jwt(claimsFor("ken@globex.test"))}&redirect=${encodeURIComponent("/tickets/t1")}`,
          ),
        )
        expect(new URL(page.url()).pathname).toBe("/tickets/t1")
        expect(await page.locator("header .who").textContent()).toBe("Ken Ito")

        const forged = await open()
        await forged.goto(
          url("en", `/sso/jwt?token=${jwt(claimsFor("ken@globex.test"), "not-the-secret-not-the-secret-000")}`),
        )
        expect(new URL(forged.url()).pathname).toBe("/account/access-denied")
        expect(await forged.locator("h1").textContent()).toBe("Access denied")
        await forged.goto(url("en", "/tickets"))
        expect(new URL(forged.url()).pathname).toBe("/account/sign-in")
      },
    )
  })
})

describe.skipIf(skip)("single sign-on by OpenID Connect", () => {
  const { open, asAdmin } = useBrowser()

  it("takes the customer through the provider's login and consent and back to the ticket asked for", async () => {
    const api = adminApi(await asAdmin("en"), "en")
    const oidc = { issuer: inject("oidcIssuer"), clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret }
    await api.withSettings(
      (s) => ({ ...s, access: { method: "sso", protocol: "oidc", audience: "all", oidc } }),
      async () => {
        const page = await open()
        await page.goto(url("en", "/tickets/t1"))
        expect(new URL(page.url()).pathname).toBe("/account/sign-in")
        await page.getByRole("link", { name: "Continue with single sign-on" }).click()
        // The provider's own pages (oidc-provider's development interactions).
        await page.waitForURL((u) => u.origin === new URL(oidc.issuer).origin)
        await page.locator('input[name="login"]').fill("ken")
        await page.locator('input[name="password"]').fill("any")
        await page.locator('button[type="submit"]').click()
        await page.waitForURL((u) => u.origin === new URL(oidc.issuer).origin && /interaction/.test(u.pathname))
        await page.locator('button[type="submit"]').click()
        await page.waitForURL((u) => u.origin === origin("en"))
        expect(new URL(page.url()).pathname).toBe("/tickets/t1")
        // The provider says "Ken@Globex.test" (verified); the contact is ken@globex.test.
        expect(await page.locator("header .who").textContent()).toBe("Ken Ito")
      },
    )
  })
})

describe.skipIf(skip)("single sign-on by SAML 2.0", () => {
  const { open, asAdmin } = useBrowser()

  const signInThroughIdp = async (lang: Lang) => {
    const keys = await makeIdpKeys()
    const spEntityId = `${origin(lang)}/sso/saml/metadata`
    const idp = await startSamlIdp(keys, { nameId: "ken@globex.test", audience: spEntityId })
    try {
      const api = adminApi(await asAdmin(lang), lang)
      const saml = { entryPoint: idp.entryPoint, idpCertPem: keys.cert, issuer: spEntityId }
      await api.withSettings(
        (s) => ({ ...s, access: { method: "sso", protocol: "saml", audience: "all", saml } }),
        async () => {
          const page = await open()
          await page.goto(url(lang, "/tickets/t2"))
          await page
            .getByRole("link", { name: lang === "en" ? "Continue with single sign-on" : "シングルサインオンで続ける" })
            .click()
          await page.waitForURL((u) => u.href.startsWith(idp.entryPoint))
          const [acs] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith("/sso/saml/acs")),
            page.getByRole("button", { name: "Continue" }).click(),
          ])
          expect(acs.status()).toBe(303)
          // Over http the state cookie is SameSite=Lax: Chromium sends it with the IdP's POST only
          // from the same site (ja, 127.0.0.1), where the server then checks InResponseTo against it.
          const cookies = (await acs.request().allHeaders()).cookie ?? ""
          expect(cookies.includes("portal_saml=")).toBe(lang === "ja")
          await page.waitForURL((u) => u.origin === origin(lang) && !u.pathname.startsWith("/sso/"))
          expect(new URL(page.url()).pathname).toBe("/tickets/t2")
          expect(await page.locator("header .who").textContent()).toBe(lang === "en" ? "Ken Ito" : "伊藤 健")
          // The Response the browser posted, captured and posted again: its assertion was used once.
          const posted = new URLSearchParams(acs.request().postData() ?? "")
          expect(posted.get("RelayState")).toBe("/tickets/t2")
          const again = await page.request.post(url(lang, "/sso/saml/acs"), {
            form: { SAMLResponse: posted.get("SAMLResponse") ?? "", RelayState: "/tickets/t2" },
            maxRedirects: 0,
          })
          expect(again.headers().location).toBe("/account/access-denied?reason=replayed")
        },
      )
    } finally {
      await idp.close()
    }
  }

  it("signs a customer in from the IdP's page (en: the IdP is another site, so the POST comes cross-site)", async () => {
    await signInThroughIdp("en")
  })

  it("signs a customer in from the IdP's page (ja: same site, so the request id is checked)", async () => {
    await signInThroughIdp("ja")
  })
})
