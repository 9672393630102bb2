/**
 * One background worker loop for the consumers of the event stream (the notifier, the webhook
 * worker): run a round, then sleep for the poll interval or until woken; a failed round is logged
 * and tried again after the interval; `stop` ends the loop after the current item.
 */
import type { Logger } from "./Logger.ts"

export interface PollingWorker {
  /** Run a round now (e.g. after an event was written in this process). */
  readonly wake: () => void
  /** Stop after the current item; resolves when the loop has ended. */
  readonly stop: () => Promise<void>
}

export const startPollingWorker = (options: {
  readonly pollMs: number
  readonly logger: Logger
  /** What a failed round is called in the log ("notification round"). */
  readonly name: string
  /** One round; `stopping()` tells a round's inner loop to end after its current item. */
  readonly round: (stopping: () => boolean) => Promise<void>
}): PollingWorker => {
  let stopping = false
  let wakeUp: (() => void) | null = null
  let timer: NodeJS.Timeout | undefined
  const sleep = () =>
    new Promise<void>((resolve) => {
      wakeUp = resolve
      timer = setTimeout(resolve, options.pollMs)
    }).finally(() => {
      clearTimeout(timer)
      wakeUp = null
    })
  const loop = async () => {
    while (!stopping) {
      try {
        await options.round(() => stopping)
      } catch (error) {
        options.logger.error({ err: error }, `${options.name} failed; retrying after the poll interval`)
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
