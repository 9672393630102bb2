/**
 * Webhooks (P-HOOK-1, P-HOOK-2): the endpoints admins register, the delivery rows the "webhooks"
 * consumer writes from the one event stream, and the sender that posts them.
 * - `commit` is OutboxStore.commit's twin: when the consumer's cursor (event_cursors, consumer
 *   "webhooks") is still `from`, insert the deliveries (unique by (workspace, endpoint, event):
 *   a repeated insert is a no-op) and move the cursor to `to`, in ONE transaction.
 * - `claim` takes due deliveries of enabled endpoints (PostgreSQL: `FOR UPDATE SKIP LOCKED`) and
 *   leases them; a claim whose process died is claimed again when the lease ends.
 * - An endpoint starts at the stream's head when it is created (`startSequence`): no history.
 * Adapters: storage-memory (WebhookMemory.ts), storage-postgres (stores/WebhookStore.ts, migration 13).
 */
import { Context, Data, Effect } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import { type WebhookEventType, webhookUrlIssues } from "../rules/Webhooks.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export interface WebhookEndpoint {
  readonly id: string
  readonly workspaceId: WorkspaceId
  readonly url: string
  readonly events: ReadonlyArray<WebhookEventType>
  /** `whsec_<base64>` (Standard Webhooks). */
  readonly secret: string
  readonly enabled: boolean
  /** When its deliveries started failing without a success since; null: not failing. */
  readonly failingSinceMs: number | null
  /** When it was disabled for failing (P-HOOK-1); null: not disabled for that. */
  readonly disabledAtMs: number | null
  /** Events up to this sequence are not its (it starts at the head of the stream). */
  readonly startSequence: number
  readonly createdMs: number
}

export type WebhookDeliveryStatus = "pending" | "sending" | "delivered" | "failed"

export interface NewWebhookDelivery {
  /** The stable `webhook-id`: the same on every attempt and on "send again". */
  readonly id: string
  readonly endpointId: string
  readonly eventId: string
  readonly type: WebhookEventType
  /** The JSON body (rules/Webhooks.ts webhookPayload). */
  readonly payload: unknown
}

export interface WebhookDelivery extends NewWebhookDelivery {
  readonly workspaceId: WorkspaceId
  /** Insertion order, for paging the log (newest first). */
  readonly seq: number
  readonly status: WebhookDeliveryStatus
  readonly attempts: number
  readonly lastStatus: number | null
  readonly lastError: string | null
  /** The next attempt's time (pending), or null (delivered, failed). */
  readonly nextAttemptMs: number | null
  readonly createdMs: number
  readonly deliveredMs: number | null
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedWebhookDelivery extends WebhookDelivery {
  readonly url: string
  readonly secret: string
  readonly failingSinceMs: number | null
}

export interface WebhookEndpointPatch {
  readonly url?: string
  readonly events?: ReadonlyArray<WebhookEventType>
  /** true also clears the failing time and the disabled mark. */
  readonly enabled?: boolean
  readonly secret?: string
}

export interface WebhookFailure {
  readonly status: number | null
  readonly error: string
  /** null: give up (status "failed"). */
  readonly retryAtMs: number | null
  readonly nowMs: number
  /** Disable the endpoint now (core's shouldDisableEndpoint said so). */
  readonly disable: boolean
}

export interface WebhookStoreShape {
  readonly list: (workspaceId: WorkspaceId) => Effect.Effect<ReadonlyArray<WebhookEndpoint>, StoreError>
  /** Adds the endpoint with `startSequence` = the workspace's last event sequence now. */
  readonly create: (
    endpoint: Omit<WebhookEndpoint, "startSequence" | "failingSinceMs" | "disabledAtMs" | "enabled">,
  ) => Effect.Effect<WebhookEndpoint, StoreError>
  readonly update: (
    workspaceId: WorkspaceId,
    id: string,
    patch: WebhookEndpointPatch,
  ) => Effect.Effect<WebhookEndpoint | null, StoreError>
  /** Deletes the endpoint and its deliveries; false when the workspace has no such endpoint. */
  readonly remove: (workspaceId: WorkspaceId, id: string) => Effect.Effect<boolean, StoreError>
  readonly commit: (
    consumer: string,
    workspaceId: WorkspaceId,
    from: number,
    to: number,
    deliveries: ReadonlyArray<NewWebhookDelivery>,
    nowMs: number,
  ) => Effect.Effect<{ readonly advanced: boolean; readonly inserted: number }, StoreError>
  /** Due deliveries (pending and due, or sending with an expired lease) of enabled endpoints. */
  readonly claim: (
    nowMs: number,
    leaseMs: number,
    limit: number,
  ) => Effect.Effect<ReadonlyArray<ClaimedWebhookDelivery>, StoreError>
  /** Delivered; the endpoint's failing time is cleared. */
  readonly markDelivered: (id: string, status: number, nowMs: number) => Effect.Effect<void, StoreError>
  /** Failed; the endpoint's failing time is set if it was not (and it is disabled when asked). */
  readonly markFailed: (id: string, failure: WebhookFailure) => Effect.Effect<void, StoreError>
  /** The endpoint's deliveries, newest first, before `beforeSeq` when given. */
  readonly deliveries: (
    workspaceId: WorkspaceId,
    endpointId: string,
    page: { readonly beforeSeq?: number | undefined; readonly limit: number },
  ) => Effect.Effect<ReadonlyArray<WebhookDelivery>, StoreError>
  /** Queue a delivery again now, same id, attempts from 0; null when the workspace has no such one. */
  readonly resend: (
    workspaceId: WorkspaceId,
    id: string,
    nowMs: number,
  ) => Effect.Effect<WebhookDelivery | null, StoreError>
}

export class WebhookStore extends Context.Service<WebhookStore, WebhookStoreShape>()("@portal/core/WebhookStore") {}

/** The sender refused the target (P-HOOK-2): the URL's form, or where its name resolves. */
export class WebhookTargetRefused extends Data.TaggedError("WebhookTargetRefused")<{
  readonly code: "webhook_url_not_https" | "webhook_url_private" | "webhook_url_unresolvable" | "invalid_url"
  readonly message: string
}> {}

/** The POST did not get an answer (timeout, connection refused, TLS …). */
export class WebhookSendFailed extends Data.TaggedError("WebhookSendFailed")<{ readonly message: string }> {}

export interface WebhookRequest {
  readonly url: string
  readonly secret: string
  /** `webhook-id`. */
  readonly id: string
  /** `webhook-timestamp`, seconds. */
  readonly timestampSeconds: number
  readonly body: string
}

export interface WebhookSenderShape {
  /** The registration check: the URL's form and every address its host resolves to. */
  readonly check: (url: string) => Effect.Effect<void, WebhookTargetRefused>
  /** Sign and POST (checking the target again, connecting to the checked address); the answer's status. */
  readonly send: (
    request: WebhookRequest,
  ) => Effect.Effect<{ readonly status: number }, WebhookTargetRefused | WebhookSendFailed>
}

/**
 * The host's sender (apps/server: DNS check, pinned address, Standard Webhooks signature). The
 * default checks the URL's form only and sends nothing: a host that delivers provides its own.
 */
export const WebhookSender: Context.Reference<WebhookSenderShape> = Context.Reference<WebhookSenderShape>(
  "@portal/core/WebhookSender",
  {
    defaultValue: () => ({
      check: (url) => {
        const issue = webhookUrlIssues(url, { allowHttp: false })[0]
        return issue === undefined
          ? Effect.void
          : Effect.fail(
              new WebhookTargetRefused({
                code: issue.code === "webhook_url_not_https" ? "webhook_url_not_https" : "invalid_url",
                message: issue.message,
              }),
            )
      },
      send: () => Effect.fail(new WebhookSendFailed({ message: "this host sends no webhooks" })),
    }),
  },
)
