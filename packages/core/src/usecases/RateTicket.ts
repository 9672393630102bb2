/**
 * A customer rates a closed ticket (P-EXT-2).
 * - Only a ticket the viewer can see (TicketNotFound otherwise, exactly like a missing one, P-VIS-4).
 * - Only a closed one (ActionNotAllowed `rating_needs_closed_ticket`), only once (Conflict
 *   `already_rated`, also when two ratings race: the store keeps one per ticket).
 * - One TicketStore.rate command stores the rating and its "ticket.rated" event together.
 */
import { Effect } from "effect"
import type { Satisfaction, SatisfactionRating } from "../domain/Entities.ts"
import type { TicketId } from "../domain/Ids.ts"
import { ActionNotAllowed, Conflict, type TicketNotFound, ValidationFailed } from "../ports/Errors.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { ALREADY_RATED, TicketStore } from "../ports/TicketStore.ts"
import { rateDecision, rateInputIssues, satisfactionOf } from "../rules/Satisfaction.ts"
import type { CustomerRef } from "./Callers.ts"
import { loadVisibleTicket, type TicketReadError, type TicketReadServices } from "./Tickets.ts"

export interface RateInput {
  readonly ticketId: TicketId
  readonly rating: SatisfactionRating
  readonly comment?: string | undefined
}

export const rateTicket = (
  viewer: CustomerRef,
  input: RateInput,
): Effect.Effect<
  Satisfaction,
  TicketReadError | TicketNotFound | ValidationFailed | ActionNotAllowed | Conflict,
  TicketReadServices | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const issues = rateInputIssues(input)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const v = yield* loadVisibleTicket(viewer, input.ticketId)
    const tickets = yield* TicketStore
    // Read with the ticket; the store still refuses a second rating in its transaction (Conflict).
    const decision = rateDecision(v.summary.status.state, v.satisfaction)
    if (!decision.allowed)
      return decision.code === "already_rated"
        ? yield* new Conflict({ reason: ALREADY_RATED })
        : yield* new ActionNotAllowed({
            action: "rate",
            code: decision.code,
            reason: "Only a closed ticket can be rated.",
          })
    const satisfaction = satisfactionOf(input.rating, input.comment, yield* (yield* Clock).now())
    yield* tickets.rate({
      workspaceId: v.scope.workspaceId,
      ticketId: input.ticketId,
      satisfaction,
      by: v.scope.contactId,
      eventId: yield* (yield* IdGenerator).next("evt"),
    })
    return satisfaction
  })
