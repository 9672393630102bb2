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
} from "@portal/core"
import type { Logger } from "./Logger.ts"
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

export interface Notifier {
  /** Run a round now (e.g. after an event was written in this process). */
  readonly wake: () => void
  /** Stop after the current item; resolves when the loop has ended. */
  readonly stop: () => Promise<void>
}

export const startNotifier = (config: NotifierConfig): Notifier => {
  const options: NotifierOptions = {
    secret: config.secret,
    linkOrigin: config.linkOrigin,
    ...(config.replyAddress ? { replyAddress: config.replyAddress } : {}),
  }
  let stopping = false
  let wakeUp: (() => void) | null = null
  let timer: NodeJS.Timeout | undefined
  const sleep = () =>
    new Promise<void>((resolve) => {
      wakeUp = resolve
      timer = setTimeout(resolve, config.pollMs ?? 2000)
    }).finally(() => {
      clearTimeout(timer)
      wakeUp = null
    })
  const round = async () => {
    await config.runtime.runPromise(consumeEvents(options))
    while (!stopping) {
      const r = await config.runtime.runPromise(deliverOutbox(config))
      if (r.claimed === 0) break
      if (r.sent > 0) config.logger.info({ sent: r.sent, failed: r.failed }, "notification mails sent")
    }
  }
  const loop = async () => {
    while (!stopping) {
      try {
        await round()
      } catch (error) {
        config.logger.error({ err: error }, "notification round failed; retrying after the poll interval")
      }
      if (!stopping) await sleep()
    }
  }
  const done = loop()
  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopping = true
      wakeUp?.()
      await done
    },
  }
}
