/**
 * Webhooks (P-HOOK-1, P-HOOK-2): the admin's endpoints (P-SET-1: `portal.settings`), the
 * "webhooks" consumer of the one event stream, and the delivery worker, two steps a host runs in
 * a loop (apps/server/src/Webhooks.ts), as the notifier does (Notifications.ts):
 * - `consumeWebhookEvents`: for every workspace whose events run past the "webhooks" cursor, map
 *   each event to its webhook type (rules/Webhooks.ts), build the payload, and commit one delivery
 *   per subscribed endpoint with the advanced cursor in one transaction (WebhookStore.commit).
 * - `deliverWebhooks`: claim due deliveries, sign and POST them (WebhookSender), mark each
 *   delivered (2xx) or failed with the next attempt of the schedule; an endpoint failing for 3
 *   days is disabled.
 * An endpoint's URL is checked when it is saved (form, then every address its host resolves to:
 * WebhookSender.check), and again by the sender at every delivery.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { timeMs, type WorkspaceId } from "../domain/Ids.ts"
import { fieldIssue } from "../domain/Issues.ts"
import { type Forbidden, ValidationFailed } from "../ports/Errors.ts"
import { OutboxStore } from "../ports/Outbox.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { type PortalEvent, TicketStore } from "../ports/TicketStore.ts"
import {
  type NewWebhookDelivery,
  type WebhookDelivery,
  type WebhookEndpoint,
  WebhookSender,
  WebhookStore,
} from "../ports/WebhookStore.ts"
import { type Catalog, type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { sha256Hex } from "../rules/Sha256.ts"
import {
  newWebhookSecret,
  shouldDisableEndpoint,
  type WebhookEventType,
  webhookEventOf,
  webhookEventsIssues,
  webhookPayload,
  webhookRetryDelayMs,
  webhookUrlIssues,
} from "../rules/Webhooks.ts"
import { type AgentViewer, requirePermission } from "./Viewers.ts"

export const WEBHOOK_CONSUMER = "webhooks"
export const MAX_WEBHOOKS = 20

type AdminError = Forbidden | ValidationFailed | StoreError

const invalid = (path: string, code: Parameters<typeof fieldIssue>[1], message: string) =>
  new ValidationFailed({ issues: [fieldIssue(path, code, message)] })

const unknownEndpoint = (id: string) => invalid("id", "unknown_webhook", `No webhook endpoint "${id}".`)

/** The URL's form, then where it resolves (P-HOOK-2). */
const checkUrl = (url: string) =>
  Effect.gen(function* () {
    // The form allows http:// here; the sender refuses it unless the host allows private targets.
    const issues = webhookUrlIssues(url, { allowHttp: true })
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    yield* (yield* WebhookSender)
      .check(url)
      .pipe(Effect.mapError((e) => new ValidationFailed({ issues: [fieldIssue("url", e.code, e.message)] })))
  })

const checkEvents = (events: ReadonlyArray<string>) => {
  const issues = webhookEventsIssues(events)
  return issues.length > 0 ? Effect.fail(new ValidationFailed({ issues })) : Effect.void
}

export const listWebhooks = (
  agent: AgentViewer,
): Effect.Effect<ReadonlyArray<WebhookEndpoint>, AdminError, WebhookStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    return yield* (yield* WebhookStore).list(agent.workspaceId)
  })

export const createWebhook = (
  agent: AgentViewer,
  input: { readonly url: string; readonly events: ReadonlyArray<string> },
): Effect.Effect<WebhookEndpoint, AdminError, WebhookStore | Clock | IdGenerator> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const url = input.url.trim()
    yield* checkEvents(input.events)
    yield* checkUrl(url)
    const store = yield* WebhookStore
    if ((yield* store.list(agent.workspaceId)).length >= MAX_WEBHOOKS)
      return yield* new ValidationFailed({
        issues: [
          fieldIssue("url", "too_many_webhooks", `A workspace may have at most ${MAX_WEBHOOKS} endpoints.`, {
            max: MAX_WEBHOOKS,
          }),
        ],
      })
    return yield* store.create({
      id: yield* (yield* IdGenerator).next("wh"),
      workspaceId: agent.workspaceId,
      url,
      events: input.events as ReadonlyArray<WebhookEventType>,
      secret: newWebhookSecret(),
      createdMs: timeMs(yield* (yield* Clock).now()),
    })
  })

export const updateWebhook = (
  agent: AgentViewer,
  input: {
    readonly id: string
    readonly url?: string | undefined
    readonly events?: ReadonlyArray<string> | undefined
    readonly enabled?: boolean | undefined
  },
): Effect.Effect<WebhookEndpoint, AdminError, WebhookStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const url = input.url?.trim()
    if (input.events !== undefined) yield* checkEvents(input.events)
    if (url !== undefined) yield* checkUrl(url)
    const updated = yield* (yield* WebhookStore).update(agent.workspaceId, input.id, {
      ...(url === undefined ? {} : { url }),
      ...(input.events === undefined ? {} : { events: input.events as ReadonlyArray<WebhookEventType> }),
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
    })
    return updated ?? (yield* unknownEndpoint(input.id))
  })

export const rotateWebhookSecret = (
  agent: AgentViewer,
  id: string,
): Effect.Effect<WebhookEndpoint, AdminError, WebhookStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const updated = yield* (yield* WebhookStore).update(agent.workspaceId, id, { secret: newWebhookSecret() })
    return updated ?? (yield* unknownEndpoint(id))
  })

export const deleteWebhook = (agent: AgentViewer, id: string): Effect.Effect<void, AdminError, WebhookStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    if (!(yield* (yield* WebhookStore).remove(agent.workspaceId, id))) return yield* unknownEndpoint(id)
  })

export const webhookDeliveries = (
  agent: AgentViewer,
  input: { readonly endpointId: string; readonly beforeSeq?: number | undefined; readonly limit: number },
): Effect.Effect<ReadonlyArray<WebhookDelivery>, AdminError, WebhookStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const store = yield* WebhookStore
    if (!(yield* store.list(agent.workspaceId)).some((e) => e.id === input.endpointId))
      return yield* invalid("endpointId", "unknown_webhook", `No webhook endpoint "${input.endpointId}".`)
    return yield* store.deliveries(agent.workspaceId, input.endpointId, {
      beforeSeq: input.beforeSeq,
      limit: Math.max(1, Math.min(100, input.limit)),
    })
  })

/** "Send again": the same delivery (same webhook-id) queued now. */
export const resendWebhookDelivery = (
  agent: AgentViewer,
  id: string,
): Effect.Effect<WebhookDelivery, AdminError, WebhookStore | Clock> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const now = timeMs(yield* (yield* Clock).now())
    const queued = yield* (yield* WebhookStore).resend(agent.workspaceId, id, now)
    return queued ?? (yield* invalid("id", "unknown_webhook_delivery", `No webhook delivery "${id}".`))
  })

/** The stable `webhook-id` of an event's delivery to an endpoint. */
export const webhookDeliveryId = (workspaceId: string, endpointId: string, eventId: string): string =>
  `msg_${sha256Hex(JSON.stringify([workspaceId, endpointId, eventId])).slice(0, 32)}`

/** The webhook event of one stream event, with its payload; null when it sends nothing. */
const webhookEventFor = (workspaceId: WorkspaceId, catalog: Catalog, event: PortalEvent) =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const ticket = yield* tickets.getById(workspaceId, event.ticketId)
    if (Option.isNone(ticket)) return null
    const t = ticket.value
    let message: { id: string; text: string; authorType: "contact" | "agent"; kind: "message" | "comment" } | null =
      null
    if (event.messageId !== null)
      for (const th of yield* tickets.threadsOf(workspaceId, t.id)) {
        const m = (yield* tickets.messagesOf(workspaceId, th.id)).find((x) => x.id === event.messageId)
        if (m !== undefined) {
          // messagesOf gives messages only, never comments (P-COM-3): a comment's event maps to nothing.
          message = { id: m.id, text: m.text, authorType: m.author.type, kind: "message" }
          break
        }
      }
    const type = webhookEventOf(event.kind, message)
    if (type === null) return null
    const stage = catalog.pipelines.find((p) => p.id === t.pipelineId)?.stages.find((s) => s.id === t.stageId)
    // P-EXT-2: the rating is the ticket's, given once and never changed (the event carries no payload).
    const rating = type === "ticket.rated" ? Option.getOrNull(yield* tickets.satisfactionOf(workspaceId, t.id)) : null
    return {
      type,
      payload: webhookPayload({
        type,
        at: event.at,
        ticket: { id: t.id, subject: t.subject },
        ...(message !== null && (type === "message.customer" || type === "message.agent")
          ? { message: { id: message.id, text: message.text, authorType: message.authorType } }
          : {}),
        ...(stage !== undefined && type !== "message.customer" && type !== "message.agent"
          ? { stage: { id: stage.id, name: stage.label, state: stage.state } }
          : {}),
        ...(rating === null
          ? {}
          : {
              rating: { rating: rating.rating, ...(rating.comment === undefined ? {} : { comment: rating.comment }) },
            }),
      }),
    }
  })

/**
 * One round of the consumer over every workspace with new events; returns the deliveries written.
 * A workspace with no enabled endpoint moves its cursor to the head without reading its events.
 */
export const consumeWebhookEvents = (options: { readonly batch?: number } = {}) =>
  Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const store = yield* WebhookStore
    const tickets = yield* TicketStore
    let inserted = 0
    for (const b of yield* outbox.backlog(WEBHOOK_CONSUMER)) {
      const now = timeMs(yield* (yield* Clock).now())
      const endpoints = (yield* store.list(b.workspaceId)).filter((e) => e.enabled && e.startSequence < b.head)
      if (endpoints.length === 0) {
        yield* store.commit(WEBHOOK_CONSUMER, b.workspaceId, b.cursor, b.head, [], now)
        continue
      }
      const events = yield* tickets.events(b.workspaceId, b.cursor, options.batch ?? 100)
      const last = events.at(-1)
      if (last === undefined) continue
      const catalog = yield* WorkspaceStore.use((s) => s.catalog(b.workspaceId))
      const deliveries: Array<NewWebhookDelivery> = []
      if (Option.isSome(catalog))
        for (const e of events) {
          const subscribed = endpoints.filter((ep) => e.sequence > ep.startSequence)
          if (subscribed.length === 0) continue
          const mapped = yield* webhookEventFor(b.workspaceId, catalog.value, e)
          if (mapped === null) continue
          for (const ep of subscribed)
            if (ep.events.includes(mapped.type))
              deliveries.push({
                id: webhookDeliveryId(b.workspaceId, ep.id, e.id),
                endpointId: ep.id,
                eventId: e.id,
                type: mapped.type,
                payload: mapped.payload,
              })
        }
      const r = yield* store.commit(WEBHOOK_CONSUMER, b.workspaceId, b.cursor, last.sequence, deliveries, now)
      inserted += r.inserted
    }
    return inserted
  })

export interface WebhookDeliveryOptions {
  /** Deliveries claimed per round (default 20). */
  readonly limit?: number
  /** How long a claim holds before another process may take it (default 2 minutes; a POST times out in 10 s). */
  readonly leaseMs?: number
}

/** One round of the worker: claim due deliveries, sign and POST, mark. */
export const deliverWebhooks = (options: WebhookDeliveryOptions = {}) =>
  Effect.gen(function* () {
    const store = yield* WebhookStore
    const sender = yield* WebhookSender
    const clock = yield* Clock
    const nowMs = () => Effect.map(clock.now(), timeMs)
    const claimed = yield* store.claim(yield* nowMs(), options.leaseMs ?? 2 * 60_000, options.limit ?? 20)
    let delivered = 0
    let failed = 0
    for (const d of claimed) {
      const sentAt = yield* nowMs()
      const exit = yield* Effect.exit(
        sender.send({
          url: d.url,
          secret: d.secret,
          id: d.id,
          timestampSeconds: Math.floor(sentAt / 1000),
          body: JSON.stringify(d.payload),
        }),
      )
      const now = yield* nowMs()
      if (Exit.isSuccess(exit) && exit.value.status >= 200 && exit.value.status < 300) {
        yield* store.markDelivered(d.id, exit.value.status, now)
        delivered++
        continue
      }
      failed++
      const status = Exit.isSuccess(exit) ? exit.value.status : null
      const error = Exit.isSuccess(exit)
        ? `HTTP ${exit.value.status}`
        : Option.match(Cause.findErrorOption(exit.cause), {
            onNone: () => "the request failed",
            onSome: (e) => e.message,
          })
      const delay = webhookRetryDelayMs(d.attempts)
      yield* store.markFailed(d.id, {
        status,
        error: error.slice(0, 500),
        retryAtMs: delay === null ? null : now + delay,
        nowMs: now,
        disable: shouldDisableEndpoint(d.failingSinceMs ?? now, now),
      })
      yield* Effect.logWarning(delay === null ? "webhook delivery given up" : "webhook not delivered; will retry", {
        id: d.id,
        attempts: d.attempts,
        error,
      })
    }
    return { claimed: claimed.length, delivered, failed }
  })
