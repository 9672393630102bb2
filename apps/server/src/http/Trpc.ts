/**
 * `/trpc`: the API over HTTP, with the context the request middleware built. CSRF: the session
 * cookie is SameSite=Lax, and a POST (mutation) must carry `Content-Type: application/json` (what
 * @trpc/client sends): a cross-site form cannot send it, and a cross-site script needs a CORS
 * preflight for it, which this server never grants.
 *
 * Two paths, one behaviour:
 * - A plain query — `GET /trpc/<procedure>?input=<json>`, one procedure, no batch, no streaming —
 *   is called directly: the procedure gets its raw input and the context, and the answer is written
 *   to the Node response. tRPC's own functions shape it (error shape through the router's error
 *   formatter, HTTP status from the error, the `vary` header), so it is byte for byte what tRPC's
 *   adapter answers (test/trpc-direct.test.ts compares both). This is the hot path of every page:
 *   tRPC's Node adapter turns each request into a Fetch `Request` (Headers, a web stream for the
 *   body, AbortControllers) and its `Response` back into Node writes, which cost more CPU than the
 *   procedure's own work (docs/http-bench.md).
 * - Everything else (mutations, batches, HEAD, streaming, a path that names no query) goes through
 *   tRPC's Express adapter.
 */
import type { IncomingHttpHeaders } from "node:http"
import { appRouter, type PortalContext } from "@portal/api"
import { createExpressMiddleware } from "@trpc/server/adapters/express"
import {
  getErrorShape,
  getHTTPStatusCodeFromError,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  TRPCError,
} from "@trpc/server/unstable-core-do-not-import"
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

export type OnError = (opts: { error: ReturnType<typeof getTRPCErrorFromUnknown>; path: string | undefined }) => void

/** A procedure path as tRPC's adapter reads it, when it needs no decoding: `tickets.list`. */
const PLAIN_PATH = /^[A-Za-z0-9_.]+$/

/** The query part of a URL, when it carries nothing but `input` (what the direct path serves). */
const inputOnly = (url: string): { readonly ok: boolean; readonly input: string | null } => {
  const q = url.indexOf("?")
  if (q < 0) return { ok: true, input: null }
  const params = new URLSearchParams(url.slice(q + 1))
  for (const key of params.keys()) if (key !== "input") return { ok: false, input: null }
  return { ok: true, input: params.get("input") }
}

/** The router's queries by path ("tickets.list"), for a decision that needs no await. */
const QUERY_PATHS: ReadonlySet<string> = new Set(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, procedure]) => procedure._def.type === "query")
    .map(([path]) => path),
)

/**
 * Whether a request is a plain query the direct path serves: `GET /trpc/<query>`, no batch, no
 * streaming, no parameter but `input`. `url` is relative to the `/trpc` mount (`/tickets.list?…`).
 * The same decision for the fast lane (before Express) and for the route (inside it).
 */
export const plainQueryOf = (
  method: string | undefined,
  url: string,
  headers: IncomingHttpHeaders,
): { readonly path: string; readonly input: string | null } | null => {
  if (method !== "GET" || headers["trpc-accept"] !== undefined) return null
  if (headers.accept?.includes("application/jsonl")) return null
  const q = url.indexOf("?")
  const path = (q < 0 ? url : url.slice(0, q)).slice(1)
  if (!PLAIN_PATH.test(path) || !QUERY_PATHS.has(path)) return null
  const query = inputOnly(url)
  return query.ok ? { path, input: query.input } : null
}

/**
 * The answer through the router's output transformer, as tRPC's `transformTRPCResponse` shapes a
 * single result or error (`{ result: { data } }`, `{ error }`), without its four copies of the
 * envelope by Babel's object-spread helper.
 */
const serialized = (
  serialize: (value: unknown) => unknown,
  body: { readonly result: { readonly data: unknown } } | { readonly error: unknown },
) => ("error" in body ? { error: serialize(body.error) } : { result: { data: serialize(body.result.data) } })

/** `GET /trpc/<query>` without tRPC's Fetch glue; false when the request is not such a call. */
export const directQuery = async (req: Request, res: Response, onError: OnError): Promise<boolean> => {
  const plan = plainQueryOf(req.method, req.url, req.headers)
  if (plan === null) return false
  const { path } = plan
  const query = { input: plan.input }
  const procedure = await getProcedureAtPath(appRouter, path)
  if (procedure === null || procedure._def.type !== "query") return false
  const config = appRouter._def._config
  let input: unknown
  let body: { readonly result: { readonly data: unknown } } | { readonly error: unknown }
  let status = 200
  let ctx: PortalContext | undefined
  try {
    ctx = contextOf(req)
    body = {
      result: {
        data: await procedure({
          path,
          ctx,
          type: "query",
          batchIndex: 0,
          signal: undefined,
          getRawInput: async () => {
            // As tRPC's JSON handler: no input (or an empty one) is undefined; one that does not
            // parse is a BAD_REQUEST carrying the parser's message.
            try {
              if (query.input !== null && query.input !== "")
                input = config.transformer.input.deserialize(JSON.parse(query.input))
              return input
            } catch (cause) {
              if (cause instanceof TRPCError) throw cause
              throw new TRPCError({
                code: "BAD_REQUEST",
                message: cause instanceof Error ? cause.message : "Invalid input",
                cause,
              })
            }
          },
        }),
      },
    }
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause)
    onError({ error, path })
    body = { error: getErrorShape({ config, ctx, error, input, path, type: "query" }) }
    status = getHTTPStatusCodeFromError(error)
  }
  const text = JSON.stringify(serialized(config.transformer.output.serialize, body))
  res.statusCode = status
  res.setHeader("vary", "trpc-accept, accept")
  res.setHeader("content-type", "application/json")
  res.setHeader("content-length", Buffer.byteLength(text))
  res.end(text)
  return true
}

/** Errors the API answers with a 500 are logged with their cause (the client sees a fixed message). */
export const logApiErrors =
  (logger: Logger): OnError =>
  ({ error, path }) => {
    if (error.code === "INTERNAL_SERVER_ERROR")
      logger.error({ path, cause: error.cause instanceof Error ? error.cause.stack : String(error.cause) }, "api error")
  }

export const trpcRoutes = (logger: Logger): Router => {
  const onError = logApiErrors(logger)
  const adapter = createExpressMiddleware({
    router: appRouter,
    createContext: ({ req }): PortalContext => contextOf(req),
    maxBodySize: TRPC_MAX_BODY_BYTES,
    onError,
  })
  const router = Router()
  router.use("/trpc", csrfGuard, (req: Request, res: Response, next: NextFunction) => {
    directQuery(req, res, onError).then(
      (served) => {
        if (!served) adapter(req, res, next)
      },
      (error: unknown) => next(error),
    )
  })
  return router
}
