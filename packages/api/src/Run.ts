/**
 * Run an Effect program with the request's runtime and turn its failure into the API error
 * the client sees (ErrorMapper.ts). Defects (bugs, thrown exceptions) become a bare 500.
 */
import { Cause, type Effect, Exit } from "effect"
import type { PortalContext, PortalServices } from "./context.ts"
import { type PortalApiError, toApiErrorUnknown } from "./ErrorMapper.ts"

export const runExit = <A, E>(ctx: Pick<PortalContext, "runtime">, effect: Effect.Effect<A, E, PortalServices>) =>
  ctx.runtime.runPromiseExit(effect)

/** The error of a failed exit, as an API error (typed failures by tag, defects as 500). */
export const apiErrorOfCause = <E>(cause: Cause.Cause<E>): PortalApiError => {
  const failure = Cause.findErrorOption(cause)
  if (failure._tag === "Some") return toApiErrorUnknown(failure.value)
  return toApiErrorUnknown(Cause.squash(cause))
}

export const run = async <A, E>(
  ctx: Pick<PortalContext, "runtime">,
  effect: Effect.Effect<A, E, PortalServices>,
): Promise<A> => {
  const exit = await ctx.runtime.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw apiErrorOfCause(exit.cause)
}
