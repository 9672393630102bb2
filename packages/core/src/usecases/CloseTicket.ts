/**
 * A customer closes a ticket from the portal (P-ACT-3).
 * - Only where "allow customers to close tickets" is on, only an open ticket the viewer can see
 *   (TicketNotFound otherwise, P-VIS-4), and only when the closed stage for the ticket's pipeline
 *   can be resolved (the chosen one, or the pipeline's only closed stage). Refusals are
 *   ActionNotAllowed with a code (close_disabled, already_closed, no_closed_stage,
 *   ambiguous_closed_stage) and an English reason; nothing is written.
 * - One TicketStore.close command moves the ticket and records the portal event (P-ACT-5).
 */
import { Effect } from "effect"
import type { StageId, TicketId } from "../domain/Ids.ts"
import { ActionNotAllowed, type TicketNotFound } from "../ports/Errors.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { TicketStore } from "../ports/TicketStore.ts"
import { closeDecision, refusalText } from "../rules/TicketActions.ts"
import type { CustomerRef } from "./Callers.ts"
import { loadVisibleTicket, type TicketReadError, type TicketReadServices } from "./Tickets.ts"

export const closeTicket = (
  viewer: CustomerRef,
  ticketId: TicketId,
): Effect.Effect<
  { readonly stageId: StageId },
  TicketReadError | TicketNotFound | ActionNotAllowed,
  TicketReadServices | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const v = yield* loadVisibleTicket(viewer, ticketId)
    const decision = closeDecision(v.summary.status.state, v.pipeline, v.settings.actions)
    if (!decision.allowed)
      return yield* new ActionNotAllowed({ action: "close", code: decision.code, reason: refusalText(decision.code) })
    const tickets = yield* TicketStore
    const ids = yield* IdGenerator
    const at = yield* (yield* Clock).now()
    yield* tickets.close({
      workspaceId: v.scope.workspaceId,
      ticketId,
      stageId: decision.stageId,
      at,
      by: v.scope.contactId,
      eventId: yield* ids.next("evt"),
    })
    return { stageId: decision.stageId }
  })
