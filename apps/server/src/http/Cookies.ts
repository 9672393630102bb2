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

const PATCHED = Symbol("portalCookieJar")

export const makeCookieJar = (res: ServerResponse, secure: boolean): CookieJar => {
  let pending: string | null = null
  const original = res.setHeader.bind(res)
  const others = (value: unknown): Array<string> =>
    (Array.isArray(value) ? value : value === undefined ? [] : [String(value)])
      .map(String)
      .filter((c) => !c.startsWith(`${SESSION_COOKIE}=`))
  const apply = () => {
    if (pending === null) return
    original("Set-Cookie", [...others(res.getHeader("Set-Cookie")), pending])
  }
  if (!(PATCHED in res)) {
    Object.defineProperty(res, PATCHED, { value: true })
    res.setHeader = ((name: string, value: number | string | ReadonlyArray<string>) => {
      if (name.toLowerCase() !== "set-cookie" || pending === null) return original(name, value)
      return original(name, [...others(value), pending])
    }) as ServerResponse["setHeader"]
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
