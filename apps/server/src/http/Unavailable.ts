/**
 * P-DATA-3: while the database is unavailable a page answers 503, never a 500, and as a page: the
 * request context (host → portal, cookie → session) cannot be read, so the error handler would
 * answer JSON. A request for a page (any path but the API's, SSO's, files' and the agent events')
 * goes to the SvelteKit handler instead, with `req.portalUnavailable` and no `portalRequest`:
 * its hooks answer the translated 503 page with Retry-After (apps/portal hooks.server.ts). The
 * portal's language cannot be read either: it is the one this server last saw for the host, else
 * the browser's (Accept-Language), else English.
 */

import { PortalApiError } from "@portal/api"
import type { Language } from "@portal/core/domain"
import { hostOfHeader } from "@portal/core/rules"
import type { ErrorRequestHandler, Handler, NextFunction, Request, Response } from "express"
import type { Logger } from "../Logger.ts"
import { PROTOCOL_HEADER } from "./Pages.ts"

declare global {
  namespace Express {
    interface Request {
      /** Set (and `portalRequest` not) when the database could not be read for this page request. */
      portalUnavailable?: { readonly language: Language }
    }
  }
}

/** Paths the routes before the pages answer themselves (their errors stay JSON). */
const NOT_PAGES = ["/api", "/trpc", "/sso", "/files", "/agent/events"]

export const isPagePath = (path: string): boolean =>
  !NOT_PAGES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))

/** The first of ja/en the browser prefers (by q), or null. */
export const preferredLanguage = (header: string | undefined): Language | null => {
  const ranked = (header ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";")
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { primary: tag.split("-")[0], q: q === undefined ? 1 : Number(q), i }
    })
    .filter((l) => (l.primary === "ja" || l.primary === "en") && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  return (ranked[0]?.primary as Language | undefined) ?? null
}

const MAX_HOSTS = 1000

export interface UnavailablePages {
  /** After the request context: remembers the language of the host's portal. */
  readonly remember: Handler
  /** An error handler: a page request whose context failed with SERVICE_UNAVAILABLE → the pages. */
  readonly pages: ErrorRequestHandler
}

export const unavailablePages = (pages: Handler | null, logger: Logger): UnavailablePages => {
  const languages = new Map<string, Language>()
  const remember: Handler = (req, _res, next) => {
    const portal = req.portalContext?.portal
    const host = hostOfHeader(req.headers.host)
    if (portal != null && host !== null && languages.get(host) !== portal.domain.language) {
      languages.delete(host)
      languages.set(host, portal.domain.language)
      if (languages.size > MAX_HOSTS) languages.delete(languages.keys().next().value as string)
    }
    next()
  }
  const handler: ErrorRequestHandler = (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const unavailable = error instanceof PortalApiError && error.code === "SERVICE_UNAVAILABLE"
    if (!unavailable || pages === null || req.portalContext !== undefined || res.headersSent || !isPagePath(req.path))
      return next(error)
    const host = hostOfHeader(req.headers.host)
    const language =
      (host === null ? undefined : languages.get(host)) ?? preferredLanguage(req.headers["accept-language"]) ?? "en"
    // Logged as the error handler logs every 5xx it answers.
    logger.error({ err: error }, "request failed")
    req.portalUnavailable = { language }
    req.headers[PROTOCOL_HEADER] = req.protocol
    pages(req, res, next)
  }
  return { remember, pages: handler }
}
