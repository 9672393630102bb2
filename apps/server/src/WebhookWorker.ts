/**
 * The webhook worker of one server process (P-HOOK-1), the notifier's twin (Notifier.ts): a loop
 * that runs core's `consumeWebhookEvents` (events → delivery rows, one transaction per workspace
 * batch) and then `deliverWebhooks` (claim → signed POST → mark) until nothing is due, then
 * sleeps `pollMs` or until `wake()`. Any number of processes may run it on one database: the
 * cursor compare-and-set and `FOR UPDATE SKIP LOCKED` give each delivery to one of them.
 * `stop()` resolves after the current item: the POST in flight is answered (or times out) and marked.
 */
import { consumeWebhookEvents, deliverWebhooks, type WebhookDeliveryOptions } from "@portal/core/usecases"
import type { Logger } from "./Logger.ts"
import { type PollingWorker, startPollingWorker } from "./PollingWorker.ts"
import type { ServerRuntime } from "./Runtime.ts"

export interface WebhookWorkerConfig extends WebhookDeliveryOptions {
  readonly runtime: ServerRuntime
  readonly logger: Logger
  /** Sleep between rounds when idle (default 2000 ms; PORTAL_WEBHOOK_POLL_MS). */
  readonly pollMs?: number
}

export type WebhookWorker = PollingWorker

export const startWebhookWorker = (config: WebhookWorkerConfig): WebhookWorker =>
  startPollingWorker({
    pollMs: config.pollMs ?? 2000,
    logger: config.logger,
    name: "webhook round",
    round: async (stopping) => {
      await config.runtime.runPromise(consumeWebhookEvents())
      while (!stopping()) {
        const r = await config.runtime.runPromise(deliverWebhooks(config))
        if (r.claimed === 0) break
        config.logger.info({ delivered: r.delivered, failed: r.failed }, "webhooks sent")
      }
    },
  })
