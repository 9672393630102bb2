import type { OidcConfig } from "@portal/core/domain"
import { Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { finishOidcLogin, type SsoIdentity, type SsoRejectReason, startOidcLogin } from "../src/index.ts"
import { CLIENT, signInAt as signInAtProvider, startOidcProvider } from "../src/testing.ts"

const REDIRECT_URI = "https://support.acme.test/sso/oidc/callback"
const signInAt = (url: string, accountId: string) => signInAtProvider(url, accountId, REDIRECT_URI)

let provider: Awaited<ReturnType<typeof startOidcProvider>>
let config: OidcConfig
const insecure = { allowInsecureRequests: true } as const

beforeAll(async () => {
  provider = await startOidcProvider()
  provider.register(REDIRECT_URI)
  config = { issuer: provider.issuer, ...CLIENT }
})
afterAll(() => provider.close())

const start = () => Effect.runPromise(startOidcLogin(config, { redirectUri: REDIRECT_URI, ...insecure }))

const finish = (
  login: { state: string; nonce: string; codeVerifier: string },
  currentUrl: string,
  over: Partial<{ state: string; nonce: string; codeVerifier: string }> = {},
) =>
  Effect.runPromiseExit(
    finishOidcLogin(config, { currentUrl, redirectUri: REDIRECT_URI, ...login, ...over, ...insecure }),
  )

const ok = (exit: Exit.Exit<SsoIdentity, unknown>): SsoIdentity => {
  if (Exit.isFailure(exit)) throw new Error(`expected an identity, got ${JSON.stringify(exit.cause)}`)
  return exit.value
}
const refused = (exit: Exit.Exit<unknown, unknown>, reason: SsoRejectReason) => {
  expect(Exit.isFailure(exit)).toBe(true)
  expect(JSON.stringify(Exit.isFailure(exit) ? exit.cause : null)).toContain(`"reason":"${reason}"`)
}

describe("OpenID Connect against a real provider", () => {
  it("starts with PKCE S256, state and nonce", async () => {
    const login = await start()
    const url = new URL(login.url)
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`)
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: "openid email profile",
      state: login.state,
      nonce: login.nonce,
      code_challenge_method: "S256",
    })
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(login.codeVerifier.length).toBeGreaterThanOrEqual(43)
  })

  it("exchanges the code and returns the verified email and name", async () => {
    const login = await start()
    const callback = await signInAt(login.url, "ken")
    const id = ok(await finish(login, callback))
    expect(id).toMatchObject({ protocol: "oidc", email: "ken@globex.test", name: "Ken Ito", subjectId: "ken" })
    expect(Date.parse(id.expiresAt)).toBeGreaterThan(Date.now())
    // The code is single use at the provider.
    refused(await finish(login, callback), "idpError")
  })

  it("refuses a callback whose state differs from this browser's", async () => {
    const login = await start()
    const callback = await signInAt(login.url, "ken")
    refused(await finish(login, callback, { state: "another-browsers-state" }), "stateMismatch")
    const forged = new URL(callback)
    forged.searchParams.set("state", "forged")
    refused(await finish(login, forged.href), "stateMismatch")
  })

  it("refuses a wrong PKCE verifier and a wrong nonce", async () => {
    const a = await start()
    refused(await finish(a, await signInAt(a.url, "ken"), { codeVerifier: (await start()).codeVerifier }), "idpError")
    const b = await start()
    refused(await finish(b, await signInAt(b.url, "ken"), { nonce: "another-nonce" }), "invalid")
  })

  it("refuses an email the provider marks unverified, and an account without email", async () => {
    const a = await start()
    refused(await finish(a, await signInAt(a.url, "unverified")), "idpError")
    const b = await start()
    refused(await finish(b, await signInAt(b.url, "noemail")), "missingClaim")
  })

  it("reports an IdP error on the callback, and an unreachable issuer", async () => {
    const login = await start()
    refused(await finish(login, `${REDIRECT_URI}?error=access_denied&state=${login.state}`), "idpError")
    const down = startOidcLogin({ ...config, issuer: "http://127.0.0.1:9" }, { redirectUri: REDIRECT_URI, ...insecure })
    refused(await Effect.runPromiseExit(down), "unavailable")
  })

  it("refuses a plain-HTTP issuer unless insecure requests are allowed (tests only)", async () => {
    const exit = await Effect.runPromiseExit(startOidcLogin(config, { redirectUri: REDIRECT_URI }))
    refused(exit, "unavailable")
  })
})
