/**
 * P-SEC-8: the mail queue takes mail off the request path. `enqueue` returns before the mail is
 * sent (the SMTP work of one branch can no longer be timed); a failing mail is logged and does not
 * stop the ones after it; mails still queued when the runtime closes are sent first.
 */
import { Deferred, Effect, Layer, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { type Mail, MailError, Mailer, MailQueue } from "../../src/ports/index.ts"
import { layerMailQueue } from "../../src/usecases/index.ts"

const mail = (to: string): Mail => ({ to, subject: "s", text: "t" })

describe("P-SEC-8 MailQueue (background)", () => {
  it("P-SEC-8 enqueue returns at once while the mail server is still busy; mails then leave in order", async () => {
    const sent: Array<string> = []
    const gate = Effect.runSync(Deferred.make<void>())
    const mailer = Layer.succeed(Mailer, {
      send: (m) =>
        m.to === "fails@x.test"
          ? Effect.fail(new MailError({ method: "send", cause: "550 no such user" }))
          : Effect.andThen(
              Deferred.await(gate),
              Effect.sync(() => void sent.push(m.to)),
            ),
    })
    const runtime = ManagedRuntime.make(Layer.provide(layerMailQueue(), mailer))
    const enqueue = (to: string) => runtime.runPromise(MailQueue.use((q) => q.enqueue(mail(to), "test")))
    await enqueue("a@x.test")
    await enqueue("fails@x.test")
    await enqueue("b@x.test")
    // Nothing could be sent yet (the server is "busy"), and every enqueue has returned.
    expect(sent).toEqual([])
    Effect.runSync(Deferred.succeed(gate, undefined))
    for (let i = 0; i < 100 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 5))
    // The failing mail was logged and skipped; the worker went on.
    expect(sent).toEqual(["a@x.test", "b@x.test"])
    await runtime.dispose()
  })

  it("P-SEC-8 closing the runtime sends what is still queued first", async () => {
    const sent: Array<string> = []
    const mailer = Layer.succeed(Mailer, {
      send: (m) =>
        Effect.andThen(
          Effect.sleep("20 millis"),
          Effect.sync(() => void sent.push(m.to)),
        ),
    })
    const runtime = ManagedRuntime.make(Layer.provide(layerMailQueue(), mailer))
    for (const to of ["1@x.test", "2@x.test", "3@x.test"])
      await runtime.runPromise(MailQueue.use((q) => q.enqueue(mail(to), "test")))
    await runtime.dispose()
    expect(sent).toEqual(["1@x.test", "2@x.test", "3@x.test"])
  })
})
