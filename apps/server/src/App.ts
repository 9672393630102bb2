/**
 * The Express application: one port serves everything (DESIGN.md), in this order:
 * the access log (request id) → security headers → `/healthz`, `/readyz` → a well-formed Host header → the request context (host → workspace, cookie →
 * session, `req.portalRequest`) → `/api` (JSON routes and their OpenAPI document, problem details) → `/trpc` → `/sso/*` → `/files/:id` → `/agent/events` (server-sent
 * events) → the SvelteKit pages.
 */
import { type ApiConfig, type ApiTokens, defaultApiConfig, PortalApiError, type PortalRuntime } from "@portal/api"
import express, { type Express, type Handler, type NextFunction, type Request, type Response } from "express"
import { accessLog } from "./http/AccessLog.ts"
import { agentEventRoutes } from "./http/AgentEvents.ts"
import { fileRoutes } from "./http/Files.ts"
import { healthRoutes } from "./http/Health.ts"
import { jsonApiRoutes } from "./http/JsonApi.ts"
import { beforePages, fallbackPages } from "./http/Pages.ts"
import { hostGuard, requestContext } from "./http/RequestContext.ts"
import { ssoRoutes } from "./http/SsoRoutes.ts"
import { trpcRoutes } from "./http/Trpc.ts"
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

export const createApp = (options: AppOptions): Express => {
  const { runtime, logger } = options
  const config = options.apiConfig ?? defaultApiConfig
  const app = express()
  app.disable("x-powered-by")
  app.set("trust proxy", options.trustProxy)
  app.set("query parser", "simple")
  app.use(accessLog(logger))
  app.use(securityHeaders)
  app.use(healthRoutes(runtime, options.isDraining ?? (() => false)))
  app.use(hostGuard)
  app.use(unsubscribeRoutes({ runtime, secret: options.secret, logger }))
  app.use(requestContext({ runtime, config, apiTokens: options.apiTokens }))
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
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
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
  })
  return app
}
