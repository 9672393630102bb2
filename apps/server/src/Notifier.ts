/**
 * The notification worker of one server process (P-NOT-3): a loop that runs core's
 * `consumeEvents` (events → outbox rows, one transaction per workspace batch) and then
 * `deliverOutbox` (claim → SMTP → mark) until nothing is due, then sleeps `pollMs` or until
 * `wake()`. Any number of processes may run it on one database: the cursor compare-and-set and
 * `FOR UPDATE SKIP LOCKED` give each mail to one of them. Without SMTP_URL the Mailer is the
 * log mailer (Mail.ts), so mail is written to the log instead.
 * `stop()` resolves after the current item: the mail being sent is sent and marked first.
 */
import {
  consumeEvents,
  type DeliveryOptions,
  deliverOutbox,
  type NotifierOptions,
  type ReplyAddressInput,
} from "@portal/core/usecases"
import type { Logger } from "./Logger.ts"
import { type PollingWorker, startPollingWorker } from "./PollingWorker.ts"
import type { ServerRuntime } from "./Runtime.ts"

export interface NotifierConfig extends DeliveryOptions {
  readonly runtime: ServerRuntime
  readonly logger: Logger
  readonly secret: string
  readonly linkOrigin: (host: string) => string
  /** P-NOT-5 seam: the Reply-To address (rules/ReplyAddress.ts of the inbound branch). */
  readonly replyAddress?: (input: ReplyAddressInput) => string | null
  /** Sleep between rounds when idle (default 2000 ms; PORTAL_NOTIFY_POLL_MS). */
  readonly pollMs?: number
}

export type Notifier = PollingWorker

export const startNotifier = (config: NotifierConfig): Notifier => {
  const options: NotifierOptions = {
    secret: config.secret,
    linkOrigin: config.linkOrigin,
    ...(config.replyAddress ? { replyAddress: config.replyAddress } : {}),
  }
  return startPollingWorker({
    pollMs: config.pollMs ?? 2000,
    logger: config.logger,
    name: "notification round",
    round: async (stopping) => {
      await config.runtime.runPromise(consumeEvents(options))
      while (!stopping()) {
        const r = await config.runtime.runPromise(deliverOutbox(config))
        if (r.claimed === 0) break
        if (r.sent > 0) config.logger.info({ sent: r.sent, failed: r.failed }, "notification mails sent")
      }
    },
  })
}
