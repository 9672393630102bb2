/**
 * `/api`: the integration API as plain JSON (P-HOOK-3). `GET /api/openapi.json` is the OpenAPI
 * 3.1 document; `/api/v1/...` are its routes (@portal/api JsonApi.ts: each calls its integration
 * procedure with the request's context, so token, schema, use-case and error mapping are the
 * tRPC procedure's). Every failure under `/api` is an RFC 9457 problem detail
 * (`application/problem+json`): a body that is no JSON, a wrong content type, an unknown route or
 * method, a path that does not decode — never a 500 for an input, never HTML.
 */
import {
  callRoute,
  httpProblem,
  JSON_ROUTES,
  type JsonRoute,
  OPENAPI_PATH,
  openApiDocument,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  problemOf,
} from "@portal/api"
import express, { type NextFunction, type Request, type Response, Router } from "express"
import type { Logger } from "../Logger.ts"
import { contextOf } from "./RequestContext.ts"
import { TRPC_MAX_BODY_BYTES } from "./Trpc.ts"

export const sendProblem = (res: Response, problem: Problem): void => {
  if (res.headersSent) return
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.body))
}

/** `/api/v1/tickets/{ticketId}` → Express's `/api/v1/tickets/:ticketId`. */
export const expressPathOf = (path: string): string => path.replace(/\{([A-Za-z]+)\}/g, ":$1")

const jsonBody = express.json({ limit: TRPC_MAX_BODY_BYTES, strict: false, type: () => true })

/** POST and PUT take `application/json` only (as `/trpc` mutations). */
const requireJson = (req: Request, res: Response, next: NextFunction) => {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase()
  if (type === "application/json") return next()
  sendProblem(res, httpProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json"))
}

const handlerOf =
  (r: JsonRoute, logger: Logger) =>
  async (req: Request, res: Response): Promise<void> => {
    const key = req.headers["idempotency-key"]
    const answer = await callRoute(contextOf(req), r, {
      pathParams: req.params as Record<string, string>,
      query: req.query as Record<string, unknown>,
      body: req.body,
      idempotencyKey: typeof key === "string" ? key : undefined,
    })
    if ("problem" in answer) {
      if (answer.problem.status >= 500)
        logger.error({ route: r.operationId, status: answer.problem.status }, "api error")
      sendProblem(res, answer.problem)
      return
    }
    res.status(answer.status).json(answer.body)
  }

/** The statuses of body-parser's refusals, as problem codes. */
const BODY_PROBLEMS: Record<number, { readonly code: string; readonly detail: string }> = {
  400: { code: "BAD_REQUEST", detail: "The body is not valid JSON" },
  413: { code: "PAYLOAD_TOO_LARGE", detail: "The body is too large" },
  415: { code: "UNSUPPORTED_MEDIA_TYPE", detail: "The body's encoding or charset is not supported" },
}

export const jsonApiRoutes = (logger: Logger): Router => {
  const api = Router()
  api.get(OPENAPI_PATH, (_req, res) => {
    res.json(openApiDocument())
  })
  const methodsByPath = new Map<string, Array<string>>()
  for (const r of JSON_ROUTES) {
    const path = expressPathOf(r.path)
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), r.method.toUpperCase()])
    const handler = handlerOf(r, logger)
    const run = (req: Request, res: Response, next: NextFunction) => handler(req, res).catch(next)
    if (r.method === "get") api.get(path, run)
    else api[r.method](path, requireJson, jsonBody, run)
  }
  // A known path with another method: 405 naming the allowed ones.
  for (const [path, methods] of methodsByPath)
    api.all(path, (_req, res) => {
      res.setHeader("Allow", [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].sort().join(", "))
      sendProblem(res, httpProblem(405, "METHOD_NOT_SUPPORTED", `Use ${methods.join(" or ")} here`))
    })
  api.use("/api", (_req, res) => {
    sendProblem(res, httpProblem(404, "NOT_FOUND", "No such route; see /api/openapi.json"))
  })
  api.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith("/api/") && req.path !== "/api") return next(error)
    const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 0
    const fromBody = /^(entity|encoding|charset|request)\./.test(String((error as { type?: unknown }).type ?? ""))
    const known = fromBody ? BODY_PROBLEMS[status] : undefined
    if (known !== undefined) return sendProblem(res, httpProblem(status, known.code, known.detail))
    if (status >= 400 && status < 500)
      return sendProblem(res, httpProblem(status, "BAD_REQUEST", "The request is not valid"))
    const problem = problemOf(error)
    if (problem.status >= 500) logger.error({ err: error }, "api request failed")
    sendProblem(res, problem)
  })
  return api
}
