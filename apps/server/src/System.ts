/** The production layers of core's small system ports: wall-clock time, random ids, SHA-256. */
import { createHash, randomUUID } from "node:crypto"
import type { IsoTime } from "@portal/core/domain"
import { Clock, IdGenerator, Sha256Hasher } from "@portal/core/ports"
import { Effect, Layer } from "effect"

export const layerClockLive: Layer.Layer<Clock> = Layer.succeed(Clock, {
  now: () => Effect.sync(() => new Date().toISOString() as IsoTime),
})

/** "<prefix>-<uuid v4>": unique across nodes without coordination, and unguessable. */
export const layerIdGeneratorLive: Layer.Layer<IdGenerator> = Layer.succeed(IdGenerator, {
  next: (prefix) => Effect.sync(() => `${prefix}-${randomUUID()}`),
})

/** SHA-256 of session and link tokens by node:crypto (OpenSSL) instead of core's JavaScript. */
export const layerSha256Node = Layer.succeed(Sha256Hasher, {
  hex: (text: string) => createHash("sha256").update(text, "utf8").digest("hex"),
})

export const layerSystemLive = Layer.mergeAll(layerClockLive, layerIdGeneratorLive, layerSha256Node)
