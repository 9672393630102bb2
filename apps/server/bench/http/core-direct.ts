/**
 * The "core" server of the HTTP benchmark (BENCH_CORE=1): the portal's runtime, context and
 * core use-cases behind a bare `node:http` handler, without the portal's HTTP framework — no
 * Express prototypes, no access log, security headers or host guard, no tRPC procedure,
 * middlewares or input schema, no cookie jar. It answers `tickets.list` and `tickets.get` as the
 * procedures do (TicketsRouter.ts: the same use-cases and customer views; the run checks the
 * answer byte for byte against the portal's), so that
 *   portal − core   = what the HTTP framework costs per request,
 *   core − minimal  = what the context, the Effect runtime, core's rules and the storage adapter
 *                     cost over a bare server that runs the same statements.
 * Bench only: the input is trusted (no schema), errors are a bare 500.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http"
import { type ContextDeps, createContext, run } from "@portal/api"
import { isCustomer, type TicketId, type TicketListQuery } from "@portal/core/domain"
import { customerTicketDetail, customerTicketListing } from "@portal/core/rules"
import { getTicket, listTickets } from "@portal/core/usecases"
import { sessionTokenOf } from "../../src/http/Cookies.ts"

const noCookies = { setSession: () => {}, clearSession: () => {} }

const inputOf = (url: string): Record<string, unknown> => {
  const q = url.indexOf("?")
  const raw = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get("input")
  return raw === null ? {} : (JSON.parse(raw) as Record<string, unknown>)
}

const answer = async (deps: ContextDeps, req: IncomingMessage): Promise<unknown> => {
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
  if (url.startsWith("/trpc/tickets.list")) {
    // TicketsRouter's toListQuery for the inputs the bench sends.
    const query: TicketListQuery = {
      view: (input.view as TicketListQuery["view"]) ?? "all",
      status: null,
      search: null,
      sort: (input.sort as TicketListQuery["sort"]) ?? "lastActivity",
      cursor: null,
      limit: 25,
    }
    return Object.assign(customerTicketListing(await run(ctx, listTickets(caller, query))), { preview: false })
  }
  if (url.startsWith("/trpc/tickets.get")) {
    const view = customerTicketDetail(
      await run(ctx, getTicket(caller, input.ticketId as TicketId)),
      caller.portal.settings.statusDisplay,
    )
    // TicketsRouter's withFileUrls.
    return Object.assign({}, view, {
      messages: view.messages.map((m) =>
        Object.assign({}, m, {
          attachments: m.attachments.map((a) => Object.assign({}, a, { url: `/files/${encodeURIComponent(a.id)}` })),
        }),
      ),
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
