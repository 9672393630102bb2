// P-AUTH-5: sign-in by JWT. The admin API sets the shared secret; a signed token for a known
// contact starts a session and lands on the list; a forged one lands on the access denied page.
import { createHmac, randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"
import { expectAccessible } from "./support/a11y.ts"
import { url } from "./support/browser.ts"
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
