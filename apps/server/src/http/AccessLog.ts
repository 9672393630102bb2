/**
 * The access log (issue 12): one line per request with a request id, taken from the
 * client's `X-Request-Id` when it is sane (1..128 of `A-Z a-z 0-9 . _ : -`, e.g. a load
 * balancer's id) and made otherwise, and returned in `X-Request-Id`. Nothing secret reaches the
 * line: no headers at all (cookies, authorization), the path without its query string (tRPC
 * inputs, tokens), no bodies. Levels: 5xx error; 429 (rate limited) and failed sign-ins warn;
 * `/healthz` and `/readyz` debug (probes would drown the log); everything else info.
 *
 * The line is pino-http's (`req` {id, method, path, ip}, `res` {statusCode}, `responseTime` in ms,
 * `err` for a 5xx), written by this small middleware instead: pino-http made a child logger per
 * request and serialized the request into it before the response was even computed — about a
 * tenth of a plain API call's CPU (docs/http-bench.md). Here nothing is built for a line the
 * level filters out, and the line is built once, when the response ends.
 */
import { randomUUID } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { Request } from "express"
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

type Level = "error" | "warn" | "info" | "debug"

const levelOf = (path: string, status: number): Level => {
  if (status >= 500) return "error"
  if (status === 429) return "warn"
  if (status >= 400 && SIGN_IN.test(path)) return "warn"
  if ((path === "/healthz" || path === "/readyz") && status < 400) return "debug"
  return "info"
}

const messageOf = (method: string | undefined, path: string, status: number): string => {
  if (status >= 500) return `${method} ${path} ${status} failed`
  if (status >= 400 && SIGN_IN.test(path)) return `sign-in failed (${status})`
  if (status === 429) return `rate limited: ${method} ${path}`
  return `${method} ${path} ${status}`
}

/** The request id: the client's sane `X-Request-Id`, else a new one; returned in the response. */
const requestIdOf = (req: IncomingMessage, res: ServerResponse): string => {
  const given = req.headers[REQUEST_ID_HEADER]
  const id = typeof given === "string" && SANE_REQUEST_ID.test(given) ? given : randomUUID()
  res.setHeader("X-Request-Id", id)
  return id
}

export const accessLog =
  (logger: Logger) =>
  (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const started = Date.now()
    const id = requestIdOf(req, res)
    ;(req as IncomingMessage & { id?: string }).id = id
    // A response emits "close" exactly once: when it is complete (after "finish") or when its
    // connection ended first. One listener, nothing to remove.
    res.on("close", () => {
      // Read when the response ends: Express rewrites req.url inside mounted routers.
      const path = requestPath(req)
      const status = res.statusCode
      const level = levelOf(path, status)
      if (!logger.isLevelEnabled(level)) return
      const line = {
        req: { id, method: req.method, path, ip: (req as Partial<Request>).ip },
        res: { statusCode: status },
        responseTime: Date.now() - started,
        ...(status >= 500 ? { err: new Error(`failed with status code ${status}`) } : {}),
      }
      logger[level](line, messageOf(req.method, path, status))
    })
    next()
  }
