/** The production layers of core's small system ports: wall-clock time and random ids. */
import { randomUUID } from "node:crypto"
import { Clock, IdGenerator, type IsoTime } from "@portal/core"
import { Effect, Layer } from "effect"

export const layerClockLive: Layer.Layer<Clock> = Layer.succeed(Clock, {
  now: () => Effect.sync(() => new Date().toISOString() as IsoTime),
})

/** "<prefix>-<uuid v4>": unique across nodes without coordination, and unguessable. */
export const layerIdGeneratorLive: Layer.Layer<IdGenerator> = Layer.succeed(IdGenerator, {
  next: (prefix) => Effect.sync(() => `${prefix}-${randomUUID()}`),
})

export const layerSystemLive = Layer.mergeAll(layerClockLive, layerIdGeneratorLive)
