/**
 * The session cookie: `portal_session`, HttpOnly, SameSite=Lax, Path=/, Secure on https.
 * The jar keeps the pending value and re-applies it whenever someone (the SvelteKit handler)
 * replaces the Set-Cookie header, so a session set by a form action is never lost.
 */
import type { ServerResponse } from "node:http"
import type { CookieJar } from "@portal/api"
import { SESSION_COOKIE } from "@portal/api"
import { parseCookie, stringifySetCookie } from "cookie"

export const sessionTokenOf = (cookieHeader: string | undefined): string | null => {
  if (cookieHeader === undefined || cookieHeader.length === 0) return null
  const value = parseCookie(cookieHeader)[SESSION_COOKIE]
  return value === undefined || value.length === 0 ? null : value
}

/** Node's own setHeader of a response whose setHeader the jar wrapped. */
const PATCHED = Symbol("portalCookieJar")

export const makeCookieJar = (res: ServerResponse, secure: boolean): CookieJar => {
  let pending: string | null = null
  const others = (value: unknown): Array<string> =>
    (Array.isArray(value) ? value : value === undefined ? [] : [String(value)])
      .map(String)
      .filter((c) => !c.startsWith(`${SESSION_COOKIE}=`))
  // The response's setHeader is wrapped only once a session cookie is pending (a sign-in or
  // sign-out on this request): before that there is nothing to keep, and most requests never set
  // one, so they keep Node's own setHeader and the response's shape (docs/http-bench.md).
  const keep = (): ServerResponse["setHeader"] => {
    const patched = (res as ServerResponse & { [PATCHED]?: ServerResponse["setHeader"] })[PATCHED]
    if (patched !== undefined) return patched
    const original = res.setHeader.bind(res)
    Object.defineProperty(res, PATCHED, { value: original })
    res.setHeader = ((name: string, value: number | string | ReadonlyArray<string>) => {
      if (name.toLowerCase() !== "set-cookie" || pending === null) return original(name, value)
      return original(name, [...others(value), pending])
    }) as ServerResponse["setHeader"]
    return original
  }
  const apply = () => {
    if (pending === null) return
    keep()("Set-Cookie", [...others(res.getHeader("Set-Cookie")), pending])
  }
  const base = { httpOnly: true, sameSite: "lax" as const, path: "/", secure }
  return {
    setSession: (token, expiresAt) => {
      pending = stringifySetCookie({ name: SESSION_COOKIE, value: token, ...base, expires: expiresAt })
      apply()
    },
    clearSession: () => {
      pending = stringifySetCookie({ name: SESSION_COOKIE, value: "", ...base, maxAge: 0, expires: new Date(0) })
      apply()
    },
  }
}
