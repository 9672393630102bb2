/**
 * The access log (issue 12): one line per request (pino-http) with a request id, taken from the
 * client's `X-Request-Id` when it is sane (1..128 of `A-Z a-z 0-9 . _ : -`, e.g. a load
 * balancer's id) and made otherwise, and returned in `X-Request-Id`. Nothing secret reaches the
 * line: no headers at all (cookies, authorization), the path without its query string (tRPC
 * inputs, tokens), no bodies. Levels: 5xx error; 429 (rate limited) and failed sign-ins warn;
 * `/healthz` and `/readyz` debug (probes would drown the log); everything else info.
 */
import { randomUUID } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { Request } from "express"
import { pinoHttp } from "pino-http"
import type { Logger } from "../Logger.ts"

export const REQUEST_ID_HEADER = "x-request-id"
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

const pathOf = (url: string | undefined): string => {
  const raw = url ?? "/"
  const q = raw.indexOf("?")
  return q === -1 ? raw : raw.slice(0, q)
}

/** The request's path as it came in (Express rewrites req.url inside mounted routers). */
const requestPath = (req: IncomingMessage): string => pathOf((req as Partial<Request>).originalUrl ?? req.url)

const SIGN_IN = /^\/trpc\/(?:[^/]*,)?auth\.(?:signIn|agentSignIn)(?:,|$)/

export const accessLog = (logger: Logger) =>
  pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers[REQUEST_ID_HEADER]
      const id = typeof given === "string" && SANE_REQUEST_ID.test(given) ? given : randomUUID()
      res.setHeader("X-Request-Id", id)
      return id
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string; raw?: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        path: pathOf(req.url),
        ip: (req.raw as Request | undefined)?.ip,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req, res, error) => {
      const status = res.statusCode
      if (error !== undefined || status >= 500) return "error"
      if (status === 429) return "warn"
      const path = requestPath(req)
      if (status >= 400 && SIGN_IN.test(path)) return "warn"
      if ((path === "/healthz" || path === "/readyz") && status < 400) return "debug"
      return "info"
    },
    customSuccessMessage: (req, res) => {
      const path = requestPath(req)
      if (res.statusCode >= 400 && SIGN_IN.test(path)) return `sign-in failed (${res.statusCode})`
      if (res.statusCode === 429) return `rate limited: ${req.method} ${path}`
      return `${req.method} ${path} ${res.statusCode}`
    },
    customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode} failed`,
  })
