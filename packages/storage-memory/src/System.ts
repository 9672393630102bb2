/**
 * Test helpers for the small system ports: a settable Clock, a counting IdGenerator and a fast
 * PasswordHasher. For tests and demos only: the hasher is NOT a password hash.
 */
import { type IsoTime, timeMs } from "@portal/core/domain"
import { Clock, IdGenerator, PasswordHasher } from "@portal/core/ports"
import { Context, Effect, Layer } from "effect"
import * as Base64Url from "effect/encoding/Base64Url"

/** Moves the test clock: `set` to a time, `advance` by milliseconds. */
export class TestClock extends Context.Service<
  TestClock,
  {
    readonly set: (time: IsoTime) => Effect.Effect<void>
    readonly advance: (ms: number) => Effect.Effect<void>
  }
>()("@portal/storage-memory/TestClock") {}

export const DEFAULT_TEST_TIME = "2026-10-01T09:00:00.000Z" as IsoTime

/** A Clock that stands still until moved through TestClock. Each build starts at `start`. */
export const layerClockTest = (start: IsoTime = DEFAULT_TEST_TIME): Layer.Layer<Clock | TestClock> =>
  Layer.suspend(() => {
    const cell = { ms: timeMs(start) }
    return Layer.mergeAll(
      Layer.succeed(Clock, { now: () => Effect.sync(() => new Date(cell.ms).toISOString() as IsoTime) }),
      Layer.succeed(TestClock, {
        set: (time) =>
          Effect.sync(() => {
            cell.ms = timeMs(time)
          }),
        advance: (ms) =>
          Effect.sync(() => {
            cell.ms += ms
          }),
      }),
    )
  })

/** Ids "<prefix>-1", "<prefix>-2", … (one counter per build, shared by all prefixes). */
export const layerIdGeneratorTest: Layer.Layer<IdGenerator> = Layer.suspend(() => {
  let n = 0
  return Layer.succeed(IdGenerator, { next: (prefix) => Effect.sync(() => `${prefix}-${++n}`) })
})

/** Reversible and instant: tests only, never for real passwords. */
export const layerPasswordHasherTest: Layer.Layer<PasswordHasher> = Layer.succeed(PasswordHasher, {
  hash: (password) => Effect.succeed(`test-only$${Base64Url.encode(password)}`),
  verify: (hash, password) => Effect.succeed(hash === `test-only$${Base64Url.encode(password)}`),
})

export const layerSystemTest = (
  options: { readonly now?: IsoTime } = {},
): Layer.Layer<Clock | TestClock | IdGenerator | PasswordHasher> =>
  Layer.mergeAll(layerClockTest(options.now), layerIdGeneratorTest, layerPasswordHasherTest)
