/**
 * The two layers of the MailQueue port (P-SEC-8: mail off the request path), the one place that
 * decides how the registration and reset mails leave:
 * - `layerMailQueue`: a queue drained by one background fiber that lives as long as the layer
 *   (the server's runtime). `enqueue` only offers the mail, so a request answers before any SMTP
 *   work; the fiber sends the mails in order and logs each failure (without the mail's text:
 *   it holds a single-use link). Mails still queued when the runtime closes are sent for up to
 *   `drainMs` first. Not durable: a crash loses what is queued (a transactional outbox, P-NOT-3,
 *   will replace this).
 * - `layerMailQueueInline`: sends on the caller's fiber, failures logged the same way. For tests
 *   that read the outbox right after a call, and for one-shot CLI runtimes.
 */
import { Duration, Effect, Layer, Queue } from "effect"
import { type Mail, Mailer, MailQueue } from "../ports/System.ts"

const sendLogged = (
  mailer: { readonly send: (mail: Mail) => Effect.Effect<void, unknown> },
  mail: Mail,
  what: string,
) => mailer.send(mail).pipe(Effect.catchCause((cause) => Effect.logWarning(`${what} mail not sent`, cause)))

export const layerMailQueueInline: Layer.Layer<MailQueue, never, Mailer> = Layer.effect(
  MailQueue,
  Effect.gen(function* () {
    const mailer = yield* Mailer
    return MailQueue.of({ enqueue: (mail, what) => sendLogged(mailer, mail, what) })
  }),
)

export const layerMailQueue = (options: { readonly drainMs?: number } = {}): Layer.Layer<MailQueue, never, Mailer> =>
  Layer.effect(
    MailQueue,
    Effect.gen(function* () {
      const mailer = yield* Mailer
      const queue = yield* Queue.unbounded<{ readonly mail: Mail; readonly what: string }>()
      let pending = 0
      const worker = Effect.forever(
        Effect.flatMap(Queue.take(queue), ({ mail, what }) =>
          // A timer turn first: the request that queued the mail answers before any SMTP work starts.
          Effect.andThen(Effect.sleep(Duration.zero), sendLogged(mailer, mail, what)).pipe(
            Effect.ensuring(
              Effect.sync(() => {
                pending--
              }),
            ),
          ),
        ),
      )
      yield* Effect.forkScoped(worker)
      // Closing: give what is queued a bounded chance to leave before the worker is interrupted.
      yield* Effect.addFinalizer(() =>
        Effect.gen(function* () {
          const deadline = Date.now() + (options.drainMs ?? 5_000)
          while (pending > 0 && Date.now() < deadline) yield* Effect.sleep(Duration.millis(20))
        }),
      )
      return MailQueue.of({
        enqueue: (mail, what) =>
          Effect.suspend(() => {
            pending++
            return Queue.offer(queue, { mail, what })
          }).pipe(Effect.asVoid),
      })
    }),
  )
