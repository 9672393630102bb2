/**
 * Run an Effect program with the request's runtime and turn its failure into the API error
 * the client sees (ErrorMapper.ts). Defects (bugs, thrown exceptions) become a bare 500.
 */
import { Cause, type Effect, Exit } from "effect"
import type { PortalContext, PortalServices } from "./context.ts"
import { type CoreError, type PortalApiError, toApiErrorUnknown } from "./ErrorMapper.ts"

/**
 * Run a program with the request's runtime; the exit fails with the program's own error `E`.
 * The runtime's type also carries its layer's construction error (`unknown`): a layer that cannot
 * be built is no failure of this program, and apiErrorOfCause answers it as a bare 500 anyway.
 */
export const runExit = <A, E>(
  ctx: Pick<PortalContext, "runtime">,
  effect: Effect.Effect<A, E, PortalServices>,
): Promise<Exit.Exit<A, E>> => ctx.runtime.runPromiseExit(effect) as Promise<Exit.Exit<A, E>>

/**
 * The error of a failed exit, as an API error (typed failures by tag through `toApiError`,
 * defects as 500). Every route maps core errors here: `/trpc` (run), `/files` and `/sso`.
 */
export const apiErrorOfCause = <E extends CoreError>(cause: Cause.Cause<E>): PortalApiError => {
  const failure = Cause.findErrorOption(cause)
  if (failure._tag === "Some") return toApiErrorUnknown(failure.value)
  return toApiErrorUnknown(Cause.squash(cause))
}

export const run = async <A, E extends CoreError>(
  ctx: Pick<PortalContext, "runtime">,
  effect: Effect.Effect<A, E, PortalServices>,
): Promise<A> => {
  const exit = await runExit(ctx, effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw apiErrorOfCause(exit.cause)
}
