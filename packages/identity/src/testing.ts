/**
 * For tests only (imports the dev dependency `oidc-provider`; never import it in production code).
 * A real OpenID Provider (oidc-provider) on 127.0.0.1 for the tests. It listens first (so its
 * issuer URL can go into the workspace document), and gets its client, whose redirect URI names
 * the portal's port, once the portal is up. `signInAt` walks the provider's development login
 * and consent pages with its own cookies, like a person in a browser, and returns the callback URL.
 */
/// <reference path="./oidc-provider.d.ts" />
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import Provider from "oidc-provider"

export const CLIENT = { clientId: "portal", clientSecret: "portal-client-secret-0123456789" }

/** The accounts the provider knows, by login name: their claims. */
export type OidcAccounts = Readonly<Record<string, Readonly<Record<string, unknown>>>>

export const DEFAULT_OIDC_ACCOUNTS: OidcAccounts = {
  ken: { email: "Ken@Globex.test", email_verified: true, name: "Ken Ito" },
  yuki: { email: "yuki@globex.test", email_verified: true, name: "Yuki Tanaka" },
  unverified: { email: "ken@globex.test", email_verified: false, name: "Mallory" },
  noemail: { name: "Nobody" },
}

export const startOidcProvider = async (accounts: OidcAccounts = DEFAULT_OIDC_ACCOUNTS) => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    issuer,
    /** Register the portal as a client, with its callback URL. */
    register: (redirectUri: string) => {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: CLIENT.clientId,
            client_secret: CLIENT.clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        cookies: { keys: ["oidc-test-cookie-key"] },
        features: { devInteractions: { enabled: true } },
        pkce: { required: () => true },
        ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
        findAccount: async (_ctx: unknown, id: string) =>
          accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined,
      })
      server.on("request", provider.callback())
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Follow the provider's redirects, sign in as `accountId`, consent; returns the callback URL. */
export const signInAt = async (
  authorizationUrl: string,
  accountId: string,
  callbackPrefix: string,
): Promise<string> => {
  const jar = new Map<string, string>()
  const request = async (url: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ")
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers ?? {}), cookie } })
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";")
      const eq = pair.indexOf("=")
      if (attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()))) jar.delete(pair.slice(0, eq).trim())
      else jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
    return res
  }
  let url = authorizationUrl
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(callbackPrefix)) return url
    const res = await request(url)
    const location = res.headers.get("location")
    if (location) {
      url = new URL(location, url).href
      continue
    }
    const page = await res.text()
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1]
    if (res.status !== 200 || prompt === undefined)
      throw new Error(`unexpected page ${res.status}: ${page.slice(0, 300)}`)
    const body = new URLSearchParams(prompt === "login" ? { prompt, login: accountId, password: "x" } : { prompt })
    const submitted = await request(url.replace(/\/$/, ""), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    })
    const next = submitted.headers.get("location")
    if (!next) throw new Error(`interaction ${prompt} did not redirect (${submitted.status})`)
    url = new URL(next, url).href
  }
  throw new Error("too many redirects")
}
export * from "./SamlTesting.ts"
