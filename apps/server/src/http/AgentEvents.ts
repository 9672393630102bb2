/**
 * `GET /agent/events` (P-AGT-4): server-sent events for the agent workspace's open pages. Only a
 * signed-in agent of the host's workspace with `tickets.work` (core's `agentEventsAfter` checks
 * it): nobody signed in 401, a customer or an agent without the permission 403, an unknown host
 * 404 — before any stream opens. Requests that do not ask for `text/event-stream` fall through to
 * the pages (a ticket may be named "events": `/agent/events` is then its page).
 * - Each event of the one event stream (events.md) after the connection, or after `Last-Event-ID`
 *   on a reconnect, is sent as `id: <sequence>`, `event: ticket`, `data: { kind, ticketId, sequence }`.
 * - Wake-ups come from EventWakeups (LISTEN/NOTIFY on PostgreSQL, so a commit on any server
 *   process reaches every process; in-process on PGlite and memory); a poll every `pollMs` catches
 *   a lost wake-up. The stream ends after `maxStreamMs` so that the browser reconnects (and its
 *   session and permission are checked again); a comment every `heartbeatMs` keeps proxies open.
 */
import { apiErrorOfCause, callerOf, httpStatusOf, type PortalRuntime, runExit } from "@portal/api"
import { isAgent, type WorkspaceId } from "@portal/core/domain"
import { EventWakeups } from "@portal/core/ports"
import { agentEventsAfter } from "@portal/core/usecases"
import { Exit } from "effect"
import { type Request, type Response, Router } from "express"
import type { Logger } from "../Logger.ts"
import { contextOf } from "./RequestContext.ts"

export const AGENT_EVENTS_PATH = "/agent/events"
/**
 * The stream's timings. `pollMs` is only the fallback for a lost wake-up; the two-process test
 * raises it past its own length, so that only LISTEN/NOTIFY can deliver.
 */
export const agentEventTimings = { pollMs: 5_000, heartbeatMs: 20_000, maxStreamMs: 5 * 60_000 }

const lastEventId = (req: Request): number | null => {
  const raw = req.headers["last-event-id"]
  const value = Array.isArray(raw) ? raw[0] : raw
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null
}

const refuse = (res: Response, status: number, reason: string) => {
  res.setHeader("Cache-Control", "no-store")
  res.status(status).json({ error: reason })
}

export const agentEventRoutes = (runtime: PortalRuntime, logger: Logger): Router => {
  const router = Router()
  router.get(AGENT_EVENTS_PATH, async (req, res, next) => {
    if (!(req.headers.accept ?? "").includes("text/event-stream")) return next()
    const ctx = contextOf(req)
    if (ctx.portal === null) return refuse(res, 404, "Not found")
    const caller = callerOf(ctx)
    if (caller === null || caller.subject._tag === "Anonymous") return refuse(res, 401, "Sign in to continue")
    if (!isAgent(caller)) return refuse(res, 403, "agentsOnly")
    const first = await runExit(ctx, agentEventsAfter(caller, lastEventId(req)))
    if (Exit.isFailure(first)) {
      // The one mapping every route uses (ErrorMapper.ts): the status /trpc would answer.
      const error = apiErrorOfCause(first.cause)
      const status = httpStatusOf(error)
      if (status >= 500) logger.error({ err: error }, "agent events failed")
      return refuse(res, status, error.publicData.reason ?? error.message)
    }
    res.status(200)
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8")
    res.setHeader("Cache-Control", "no-store")
    res.setHeader("Connection", "keep-alive")
    res.setHeader("X-Accel-Buffering", "no")
    res.flushHeaders()
    res.write("retry: 2000\n\n")

    const workspaceId: WorkspaceId = caller.portal.workspaceId
    let cursor = first.value.cursor
    let closed = false
    let reading = false
    let again = false
    const send = (events: typeof first.value.events) => {
      for (const e of events)
        res.write(
          `id: ${e.sequence}\nevent: ticket\ndata: ${JSON.stringify({ kind: e.kind, ticketId: e.ticketId, sequence: e.sequence })}\n\n`,
        )
    }
    send(first.value.events)
    /** Read and send what follows the cursor; one read at a time, another after it if woken meanwhile. */
    const pump = async (): Promise<void> => {
      if (closed) return
      if (reading) {
        again = true
        return
      }
      reading = true
      try {
        do {
          again = false
          const exit = await runExit(ctx, agentEventsAfter(caller, cursor))
          if (closed) return
          if (Exit.isFailure(exit)) {
            end()
            return
          }
          send(exit.value.events)
          const more = exit.value.events.length > 0 && exit.value.cursor > cursor
          cursor = exit.value.cursor
          if (more) again = true
        } while (again && !closed)
      } finally {
        reading = false
      }
    }
    const unsubscribe = await runtime.runPromise(
      EventWakeups.use((w) =>
        w.subscribe((ws, sequence) => {
          if (ws === workspaceId && sequence > cursor) void pump()
        }),
      ),
    )
    const poll = setInterval(() => void pump(), agentEventTimings.pollMs)
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), agentEventTimings.heartbeatMs)
    const lifetime = setTimeout(() => end(), agentEventTimings.maxStreamMs)
    function end() {
      if (closed) return
      closed = true
      clearInterval(poll)
      clearInterval(heartbeat)
      clearTimeout(lifetime)
      void runtime.runPromise(unsubscribe).catch(() => {})
      res.end()
    }
    req.on("close", end)
    // Anything committed between the first read and the subscription.
    void pump()
  })
  return router
}
