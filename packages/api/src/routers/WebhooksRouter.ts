/**
 * `admin.webhooks` (P-HOOK-1, P-HOOK-2): the workspace's webhook endpoints and their delivery log
 * (P-SET-1: an agent session with `portal.settings`, FORBIDDEN otherwise; core checks it again).
 * - `list`: every endpoint, with its secret (the admin configures the receiver with it), whether
 *   it is enabled, since when it fails and when it was disabled for failing;
 * - `create` `{ url, events }`: BAD_REQUEST with coded issues at `url` (`webhook_url_not_https`,
 *   `webhook_url_private`, `webhook_url_unresolvable`, `invalid_url`, `too_many_webhooks`) or
 *   `events` (`required`, `invalid_input`);
 * - `update` `{ id, url?, events?, enabled? }` (enabled: true re-enables a disabled endpoint);
 * - `delete` `{ id }`, `rotateSecret` `{ id }`: an id the workspace does not have is BAD_REQUEST
 *   `unknown_webhook` at `id`;
 * - `deliveries` `{ endpointId, before?, limit? }`: the log, newest first, with `nextBefore` to page;
 * - `resend` `{ id }`: the delivery queued again now, with the same `webhook-id`.
 * The rules are core's (usecases/Webhooks.ts).
 */
import { Line } from "@portal/core/domain"
import type { WebhookDelivery, WebhookEndpoint } from "@portal/core/ports"
import { WEBHOOK_EVENTS, type WebhookEventType } from "@portal/core/rules"
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhook,
  webhookDeliveries,
} from "@portal/core/usecases"
import { Effect, Schema } from "effect"
import { agentViewerOf } from "../Callers.ts"
import { input } from "../Inputs.ts"
import { run } from "../Run.ts"
import { adminProcedure, router } from "../trpc.ts"

const Id = Line(200).check(Schema.isMinLength(1))
const Events = Schema.Array(Schema.Literals(WEBHOOK_EVENTS)).check(Schema.isMaxLength(WEBHOOK_EVENTS.length * 2))

export const WebhookCreateInput = Schema.Struct({ url: Line(4000), events: Events })
export const WebhookUpdateInput = Schema.Struct({
  id: Id,
  url: Schema.optionalKey(Line(4000)),
  events: Schema.optionalKey(Events),
  enabled: Schema.optionalKey(Schema.Boolean),
})
export const WebhookIdInput = Schema.Struct({ id: Id })
export const WebhookDeliveriesInput = Schema.Struct({
  endpointId: Id,
  before: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))),
})

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export interface WebhookEndpointView {
  readonly id: string
  readonly url: string
  readonly events: ReadonlyArray<WebhookEventType>
  readonly secret: string
  readonly enabled: boolean
  readonly failingSince: string | null
  readonly disabledAt: string | null
  readonly createdAt: string
}

export const endpointView = (e: WebhookEndpoint): WebhookEndpointView => ({
  id: e.id,
  url: e.url,
  events: e.events,
  secret: e.secret,
  enabled: e.enabled,
  failingSince: iso(e.failingSinceMs),
  disabledAt: iso(e.disabledAtMs),
  createdAt: new Date(e.createdMs).toISOString(),
})

export interface WebhookDeliveryView {
  readonly id: string
  readonly seq: number
  readonly type: WebhookEventType
  readonly eventId: string
  readonly status: WebhookDelivery["status"]
  readonly attempts: number
  readonly lastStatus: number | null
  readonly lastError: string | null
  readonly nextAttemptAt: string | null
  readonly createdAt: string
  readonly deliveredAt: string | null
  readonly payload: unknown
}

const deliveryView = (d: WebhookDelivery): WebhookDeliveryView => ({
  id: d.id,
  seq: d.seq,
  type: d.type,
  eventId: d.eventId,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  nextAttemptAt: iso(d.nextAttemptMs),
  createdAt: new Date(d.createdMs).toISOString(),
  deliveredAt: iso(d.deliveredMs),
  payload: d.payload,
})

export const webhooksRouter = router({
  list: adminProcedure.query(({ ctx }) =>
    run(
      ctx,
      Effect.map(listWebhooks(agentViewerOf(ctx.portal, ctx.agent)), (l) => l.map(endpointView)),
    ),
  ),
  create: adminProcedure
    .input(input(WebhookCreateInput))
    .mutation(({ ctx, input }) =>
      run(ctx, Effect.map(createWebhook(agentViewerOf(ctx.portal, ctx.agent), input), endpointView)),
    ),
  update: adminProcedure
    .input(input(WebhookUpdateInput))
    .mutation(({ ctx, input }) =>
      run(ctx, Effect.map(updateWebhook(agentViewerOf(ctx.portal, ctx.agent), input), endpointView)),
    ),
  delete: adminProcedure
    .input(input(WebhookIdInput))
    .mutation(({ ctx, input }) =>
      run(ctx, Effect.as(deleteWebhook(agentViewerOf(ctx.portal, ctx.agent), input.id), { deleted: input.id })),
    ),
  rotateSecret: adminProcedure
    .input(input(WebhookIdInput))
    .mutation(({ ctx, input }) =>
      run(ctx, Effect.map(rotateWebhookSecret(agentViewerOf(ctx.portal, ctx.agent), input.id), endpointView)),
    ),
  deliveries: adminProcedure.input(input(WebhookDeliveriesInput)).query(({ ctx, input }) =>
    run(
      ctx,
      Effect.map(
        webhookDeliveries(agentViewerOf(ctx.portal, ctx.agent), {
          endpointId: input.endpointId,
          beforeSeq: input.before,
          limit: input.limit ?? 20,
        }),
        (items) => {
          const limit = input.limit ?? 20
          const last = items.at(-1)
          return {
            items: items.map(deliveryView),
            nextBefore: items.length === limit && last !== undefined ? last.seq : null,
          }
        },
      ),
    ),
  ),
  resend: adminProcedure
    .input(input(WebhookIdInput))
    .mutation(({ ctx, input }) =>
      run(ctx, Effect.map(resendWebhookDelivery(agentViewerOf(ctx.portal, ctx.agent), input.id), deliveryView)),
    ),
})
