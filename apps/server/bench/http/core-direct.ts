/**
 * The "core" server of the HTTP benchmark (BENCH_CORE=1): the portal's runtime, context and
 * core use-cases behind a bare `node:http` handler, without the portal's HTTP framework — no
 * Express prototypes, no access log, security headers or host guard, no tRPC procedure,
 * middlewares or input schema, no cookie jar. It answers `tickets.list` and `tickets.get` as the
 * procedures do (TicketsRouter.ts: the same use-cases, query and customer views; the run checks the
 * answer byte for byte against the portal's), so that
 *   portal − core   = what the HTTP framework costs per request,
 *   core − minimal  = what the context, the Effect runtime, core's rules and the storage adapter
 *                     cost over a bare server that runs the same statements.
 * Bench only: the input is trusted (no schema), errors are a bare 500.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http"
import { type ContextDeps, createContext, run, toListQuery, withFileUrls } from "@portal/api"
import { isCustomer, type TicketId } from "@portal/core/domain"
import { customerTicketDetail, customerTicketListing } from "@portal/core/rules"
import { getTicket, listTickets } from "@portal/core/usecases"
import { sessionTokenOf } from "../../src/http/Cookies.ts"

const noCookies = { setSession: () => {}, clearSession: () => {} }

/** The query's input as the bench sends it (trusted: the procedures' schemas are not run here). */
const inputOf = (url: string): Parameters<typeof toListQuery>[0] & { readonly ticketId?: string } => {
  const q = url.indexOf("?")
  const raw = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get("input")
  return raw === null ? {} : JSON.parse(raw)
}

export const answer = async (
  deps: ContextDeps,
  req: Pick<IncomingMessage, "url" | "headers" | "socket">,
): Promise<unknown> => {
  const url = req.url ?? "/"
  const ctx = await createContext(deps, {
    host: req.headers.host,
    sessionToken: sessionTokenOf(req.headers.cookie),
    ip: req.socket.remoteAddress ?? "unknown",
    origin: `http://${req.headers.host ?? "localhost"}`,
    authorization: null,
    cookies: noCookies,
  })
  const caller = ctx.caller
  if (caller === null || caller === undefined || !isCustomer(caller)) throw new Error("not a customer")
  const input = inputOf(url)
  if (url.startsWith("/trpc/tickets.list"))
    return Object.assign(customerTicketListing(await run(ctx, listTickets(caller, toListQuery(input)))), {
      preview: false,
    })
  if (url.startsWith("/trpc/tickets.get")) {
    const view = await run(ctx, getTicket(caller, input.ticketId as TicketId))
    return Object.assign(withFileUrls(customerTicketDetail(view, caller.portal.settings.statusDisplay)), {
      preview: false,
    })
  }
  throw new Error(`not served here: ${url}`)
}

export const coreDirectListener =
  (deps: ContextDeps): RequestListener =>
  (req: IncomingMessage, res: ServerResponse) => {
    answer(deps, req).then(
      (data) => {
        const text = JSON.stringify({ result: { data } })
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
        res.end(text)
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" })
        res.end(String(error))
      },
    )
  }
