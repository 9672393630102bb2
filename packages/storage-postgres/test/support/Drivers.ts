/**
 * Runs a block of tests once per driver: embedded PGlite (always) and the PostgreSQL server
 * (skipped with a printed reason when none is reachable; failing instead when CI is set).
 */
import type { StoreError, StorePorts } from "@portal/core/ports"
import { Cause, Effect, Exit, Option } from "effect"
import { afterAll, describe } from "vitest"
import type { Driver } from "../../src/Driver.ts"
import { layerWithDriver } from "../../src/Layers.ts"
import { probeServer, type SharedDriver, sharedPglite, sharedServer } from "./Databases.ts"

export const server = await probeServer()

export const eachDriver = (title: string, body: (shared: SharedDriver, kind: "pglite" | "server") => void) => {
  describe(`${title} (PGlite)`, () => {
    const shared = sharedPglite()
    afterAll(() => shared.release())
    body(shared, "pglite")
  })
  describe.skipIf(!server.ok)(`${title} (PostgreSQL server)`, () => {
    const shared = sharedServer()
    afterAll(() => shared.release())
    body(shared, "server")
  })
}

/** Runs an effect against every store port over the driver; rejects with its typed error. */
export const runOn = async <A, E>(driver: Driver, effect: Effect.Effect<A, E, StorePorts>): Promise<A> => {
  const exit = await Effect.runPromiseExit(Effect.provide(effect, layerWithDriver(driver)))
  if (Exit.isSuccess(exit)) return exit.value
  const error = Cause.findErrorOption(exit.cause)
  throw Option.isSome(error) ? error.value : Cause.squash(exit.cause)
}

/** The typed error an effect fails with (fails the test when it succeeds). */
export const failureOn = async <A, E>(
  driver: Driver,
  effect: Effect.Effect<A, E, StorePorts>,
): Promise<E | StoreError> => {
  const exit = await Effect.runPromiseExit(Effect.provide(effect, layerWithDriver(driver)))
  if (Exit.isSuccess(exit)) throw new Error("expected a failure, got a success")
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}
