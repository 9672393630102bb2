/**
 * `/trpc`: the API over HTTP (tRPC's Express adapter), with the context the request middleware
 * built. CSRF: the session cookie is SameSite=Lax, and a POST (mutation) must carry
 * `Content-Type: application/json` (what @trpc/client sends): a cross-site form cannot send it,
 * and a cross-site script needs a CORS preflight for it, which this server never grants.
 */
import { appRouter, type PortalContext } from "@portal/api"
import { createExpressMiddleware } from "@trpc/server/adapters/express"
import { type NextFunction, type Request, type Response, Router } from "express"
import type { Logger } from "../Logger.ts"
import { contextOf } from "./RequestContext.ts"

/** Largest request body: 25 MiB of attachments as base64, plus the JSON around them. */
export const TRPC_MAX_BODY_BYTES = 36 * 1024 * 1024

export const csrfGuard = (req: Request, res: Response, next: NextFunction) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next()
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase()
  if (type === "application/json") return next()
  res.status(415).json({
    error: { message: "Send mutations as application/json", code: "UNSUPPORTED_MEDIA_TYPE", data: { httpStatus: 415 } },
  })
}

export const trpcRoutes = (logger: Logger): Router => {
  const router = Router()
  router.use(
    "/trpc",
    csrfGuard,
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req }): PortalContext => contextOf(req),
      maxBodySize: TRPC_MAX_BODY_BYTES,
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR")
          logger.error(
            { path, cause: error.cause instanceof Error ? error.cause.stack : String(error.cause) },
            "api error",
          )
      },
    }),
  )
  return router
}
