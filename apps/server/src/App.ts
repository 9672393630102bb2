/**
 * The Express application: one port serves everything (DESIGN.md), in this order:
 * the access log (request id) → security headers → `/healthz`, `/readyz` → a well-formed Host header → the request context (host → workspace, cookie →
 * session, `req.portalRequest`) → `/api` (JSON routes and their OpenAPI document, problem details) → `/trpc` → `/sso/*` → `/files/:id` → `/agent/events` (server-sent
 * events) → the SvelteKit pages. A page request whose context cannot be read because the database is
 * unavailable still reaches the pages, which answer their 503 page (http/Unavailable.ts, P-DATA-3).
 */
import type { IncomingMessage, RequestListener } from "node:http"
import { type ApiConfig, type ApiTokens, defaultApiConfig, PortalApiError, type PortalRuntime } from "@portal/api"
import express, { type Express, type Handler, type NextFunction, type Request, type Response } from "express"
import { accessLog } from "./http/AccessLog.ts"
import { agentEventRoutes } from "./http/AgentEvents.ts"
import { fileRoutes } from "./http/Files.ts"
import { healthRoutes } from "./http/Health.ts"
import { jsonApiRoutes } from "./http/JsonApi.ts"
import { beforePages, fallbackPages, isLanePage, pagesMayServe } from "./http/Pages.ts"
import { hasBadHost, hostGuard, requestContext } from "./http/RequestContext.ts"
import { ssoRoutes } from "./http/SsoRoutes.ts"
import { directQuery, logApiErrors, plainQueryOf, trpcRoutes } from "./http/Trpc.ts"
import { unavailablePages } from "./http/Unavailable.ts"
import { unsubscribeRoutes } from "./http/Unsubscribe.ts"
import type { Logger } from "./Logger.ts"

export interface AppOptions {
  readonly runtime: PortalRuntime
  readonly logger: Logger
  readonly apiTokens: ApiTokens
  /** HMAC key for SSO state; every node must share it. */
  readonly secret: string
  /** Proxies to believe for X-Forwarded-* (0: none). */
  readonly trustProxy: number
  readonly apiConfig?: ApiConfig
  readonly oidcAllowInsecure?: boolean
  /** The SvelteKit handler (apps/portal build), or null for the fallback pages. */
  readonly pages: Handler | null
  /** True once a graceful shutdown began: `/readyz` answers 503 (Server.ts drain). */
  readonly isDraining?: () => boolean
}

const securityHeaders = (_req: Request, res: Response, next: NextFunction) => {
  res.setHeader("X-Content-Type-Options", "nosniff")
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin")
  res.setHeader("X-Frame-Options", "SAMEORIGIN")
  next()
}

/** The last handler: an error no route answered becomes a JSON 4xx/503/500 (500s logged). */
const errorHandler =
  (logger: Logger) =>
  (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const status =
      error instanceof PortalApiError && error.code === "SERVICE_UNAVAILABLE"
        ? 503
        : typeof (error as { status?: unknown }).status === "number" && (error as { status: number }).status < 500
          ? (error as { status: number }).status
          : 500
    if (status >= 500) logger.error({ err: error }, "request failed")
    if (res.headersSent) return
    res.status(status).json({
      error:
        status === 503
          ? "The service is temporarily unavailable"
          : status >= 500
            ? "Internal server error"
            : "Bad request",
    })
  }

export interface PortalApp {
  readonly app: Express
  /**
   * What the HTTP server calls: the fast lane for plain tRPC queries (`GET /trpc/<query>`, every
   * page's data), else the Express application. The fast lane runs the same middlewares as
   * Express would for that URL — access log, security headers, host guard, request context — then
   * the direct query path (http/Trpc.ts), without Express's router walking its layers
   * (docs/http-bench.md: about 200 µs per request) and without giving the request and response
   * Express's prototypes. test/fast-lane.test.ts compares both. Likewise the page lane: a GET or
   * HEAD for a page (`isLanePage`) goes straight to the SvelteKit handler after the same
   * middlewares; test/page-lane.test.ts compares it with Express, the built pages included.
   */
  readonly listener: RequestListener
}

export const createPortalApp = (options: AppOptions): PortalApp => {
  const { runtime, logger } = options
  const config = options.apiConfig ?? defaultApiConfig
  const log = accessLog(logger)
  const context = requestContext({ runtime, config, apiTokens: options.apiTokens })
  // The fast lane serves API queries only: no page reads a PortalRequest there.
  const apiContext = requestContext({ runtime, config, apiTokens: options.apiTokens }, { portalRequest: false })
  const failed = errorHandler(logger)
  const unavailable = unavailablePages(options.pages, logger)
  const app = express()
  app.disable("x-powered-by")
  app.set("trust proxy", options.trustProxy)
  app.set("query parser", "simple")
  app.use(log)
  app.use(securityHeaders)
  app.use(healthRoutes(runtime, options.isDraining ?? (() => false)))
  app.use(hostGuard)
  app.use(unsubscribeRoutes({ runtime, secret: options.secret, logger }))
  app.use(context)
  app.use(unavailable.remember)
  app.use(jsonApiRoutes(logger))
  app.use(trpcRoutes(logger))
  app.use(
    ssoRoutes({
      runtime,
      config,
      secret: options.secret,
      oidcAllowInsecure: options.oidcAllowInsecure ?? false,
      logger,
    }),
  )
  app.use(fileRoutes(runtime, logger))
  app.use(agentEventRoutes(runtime, logger))
  app.use(beforePages)
  app.use(options.pages ?? fallbackPages)
  app.use(unavailable.pages)
  app.use(failed)

  const onError = logApiErrors(logger)
  /**
   * Express's own `req.ip` and `req.protocol` ("trust proxy" honoured) of a Node request, read
   * through a view whose prototype is the application's request, so the Node request keeps its
   * own prototype: replacing an object's prototype (what Express's init does to every request and
   * response) makes V8 drop the optimized code and inline caches that had seen it, which cost the
   * fast lane about a quarter of a ticket read's CPU (docs/http-bench.md, "Eighth session").
   */
  const addressOf = (req: IncomingMessage): { readonly ip: string | undefined; readonly protocol: string } => {
    const view = Object.create(app.request) as Request
    Object.assign(view, { socket: req.socket, headers: req.headers })
    return { ip: view.ip, protocol: view.protocol }
  }
  /**
   * The start of both lanes: a Host header that is not host[:port] goes to Express, whose host
   * guard answers it (400); otherwise what the middlewares read of Express's request is set as own
   * properties of the Node request. Returns the lane's failure path: Express's prototypes given
   * there, off the hot path, as Express's own init would have given them, then `handle`.
   */
  const enterLane = (
    url: string,
    req: Request,
    res: Response,
  ): ((handle: (req: Request, res: Response) => void) => void) | null => {
    if (hasBadHost(req)) {
      app(req, res)
      return null
    }
    const { ip, protocol } = addressOf(req)
    Object.assign(req, { ip, protocol, originalUrl: url })
    return (handle) => {
      Object.setPrototypeOf(req, app.request)
      Object.setPrototypeOf(res, app.response)
      req.res = res
      res.req = req
      res.locals = Object.create(null)
      handle(req, res)
    }
  }
  /**
   * What Express runs before any route, on a lane: the access log, the security headers and the
   * request context (the host guard was `enterLane`'s); then `next`, or `fail` with the context's
   * error (e.g. the database is unavailable).
   */
  const laneMiddlewares = (
    req: Request,
    res: Response,
    withContext: Handler,
    fail: (error: unknown) => void,
    next: () => void,
  ) =>
    log(req, res, () =>
      securityHeaders(
        req,
        res,
        () => void withContext(req, res, (error?: unknown) => (error === undefined ? next() : fail(error))),
      ),
    )
  const fastLane = (url: string, req: Request, res: Response) => {
    const toExpress = enterLane(url, req, res)
    if (toExpress === null) return
    // A failure (e.g. the database is unavailable) is answered by Express's error handler.
    const fail = (error: unknown) => toExpress(() => failed(error, req, res, () => {}))
    laneMiddlewares(req, res, apiContext, fail, () => {
      req.url = url.slice("/trpc".length) // as Express's `/trpc` mount leaves it
      directQuery(req, res, onError).then((served) => {
        if (served) return
        req.url = url
        app(req, res)
      }, fail)
    })
  }
  const pages = options.pages
  /**
   * The page lane: a GET or HEAD for the SvelteKit pages runs what Express runs for it — access
   * log, security headers, host guard, request context, the host's language remembered, the
   * pages' checks (`pagesMayServe`) — then the SvelteKit handler, without Express's router walking
   * the API's routes and without Express's prototypes (see addressOf). An unknown host and an
   * unavailable database go to Express's own handlers, as they would have; an error the handler
   * passes on too. A request the handler passes on without an error (adapter-node's never does:
   * its last handler renders every path) gets the fallback 404 page, where Express would have
   * answered its bare "Cannot GET".
   */
  const pageLane = (url: string, req: Request, res: Response, handler: Handler) => {
    const toExpress = enterLane(url, req, res)
    if (toExpress === null) return
    const fail = (error: unknown) =>
      toExpress(() => unavailable.pages(error, req, res, (e?: unknown) => failed(e ?? error, req, res, () => {})))
    laneMiddlewares(req, res, context, fail, () =>
      unavailable.remember(req, res, () => {
        if (!pagesMayServe(req)) return toExpress(() => beforePages(req, res, () => {}))
        handler(req, res, (e?: unknown) =>
          e === undefined ? toExpress(() => fallbackPages(req, res, () => {})) : fail(e),
        )
      }),
    )
  }
  const listener: RequestListener = (req, res) => {
    const url = req.url ?? "/"
    if (url.startsWith("/trpc/") && plainQueryOf(req.method, url.slice("/trpc".length), req.headers) !== null)
      return fastLane(url, req as Request, res as unknown as Response)
    if (pages !== null && (req.method === "GET" || req.method === "HEAD") && isLanePage(url))
      return pageLane(url, req as Request, res as unknown as Response, pages)
    app(req, res)
  }
  return { app, listener }
}

export const createApp = (options: AppOptions): Express => createPortalApp(options).app
