/**
 * Per request, before any route: build the API context once (host → workspace, cookie → session)
 * and the `PortalRequest` the SvelteKit pages read through `event.platform.req.portalRequest`.
 * Routes that do not need it (health) are mounted before this middleware.
 * P-SEC-2, P-DOM-1: a Host header that is not `host[:port]` (userinfo such as
 * `localhost:1@evil.test`, a path, spaces) names no portal: 404 on every route, before anything
 * (tRPC, SvelteKit) builds a URL from it. Parsing it never throws.
 */
import { type ContextDeps, createContext, type PortalContext, type PortalRequest, portalRequestOf } from "@portal/api"
import { hostOfHeader } from "@portal/core/rules"
import type { NextFunction, Request, Response } from "express"
import { makeCookieJar, sessionTokenOf } from "./Cookies.ts"

declare global {
  namespace Express {
    interface Request {
      portalContext?: PortalContext
      /** What the SvelteKit pages read through `event.platform.req.portalRequest`. */
      portalRequest?: PortalRequest
    }
  }
}

/** https? Only the socket says so, unless TRUST_PROXY lets X-Forwarded-Proto speak (req.protocol). */
export const isSecure = (req: Request): boolean => req.protocol === "https"

export const originOf = (req: Request): string => `${req.protocol}://${req.headers.host ?? "localhost"}`

/** A Host header that is there and is not host[:port] (hostGuard refuses the request). */
export const hasBadHost = (req: Pick<Request, "headers">): boolean =>
  req.headers.host !== undefined && hostOfHeader(req.headers.host) === null

/**
 * A Host header is a host and an optional port (RFC 9110 §7.2), read by core's one rule
 * (`hostOfHeader`, P-SEC-2). Anything else ("localhost:1@evil.test", spaces, a path) is refused
 * with 400 `invalid_host` before any route: it names no portal, and some libraries would
 * otherwise fail on it (a 500).
 */
export const hostGuard = (req: Request, res: Response, next: NextFunction) => {
  if (!hasBadHost(req)) return next()
  // The JSON API answers problem details (RFC 9457, P-HOOK-3), with the same code.
  if (req.path.startsWith("/api/"))
    return void res
      .status(400)
      .type("application/problem+json")
      .send(
        JSON.stringify({
          type: "urn:portal:problem:invalid_host",
          title: "Bad Request",
          status: 400,
          detail: "Bad Host header",
          code: "invalid_host",
        }),
      )
  res.status(400).json({
    error: { message: "Bad Host header", code: "BAD_REQUEST", data: { code: "invalid_host", httpStatus: 400 } },
  })
}

export const requestContext =
  (
    deps: ContextDeps,
    /** False where no page follows (the fast lane for API queries): no `req.portalRequest`. */
    options: { readonly portalRequest: boolean } = { portalRequest: true },
  ) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const context = await createContext(deps, {
        host: req.headers.host,
        sessionToken: sessionTokenOf(req.headers.cookie),
        ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
        origin: originOf(req),
        authorization: req.headers.authorization ?? null,
        cookies: makeCookieJar(res, isSecure(req)),
      })
      req.portalContext = context
      if (options.portalRequest) req.portalRequest = portalRequestOf(context)
      next()
    } catch (error) {
      next(error)
    }
  }

/** The context the middleware built (every route after it may rely on it). */
export const contextOf = (req: Request): PortalContext => {
  if (req.portalContext === undefined) throw new Error("requestContext middleware missing")
  return req.portalContext
}
