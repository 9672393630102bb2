/**
 * `agent`: the agent workspace (P-AGT-1..5). Every procedure needs an agent's session on the
 * workspace the host resolved to (`agentProcedure`: customers are FORBIDDEN, nobody UNAUTHORIZED;
 * an agent of another workspace has no session here) and core's use-cases require `tickets.work`
 * (P-AGT-5: FORBIDDEN `missingPermission:tickets.work` otherwise). The router only turns the
 * request into core's caller and inputs; the rules are core's (usecases/AgentTickets.ts).
 * - A change against an old version (P-AGT-3) is CONFLICT with `reason: "ticket_version_conflict"`,
 *   `currentVersion` and `current` (the ticket's row as it is now).
 * - Files come as base64 (the customers' reply shape, core checks count and size) and are
 *   downloaded from `/files/<attachmentId>` (agents may read any file of their workspace).
 */
import { type AgentCaller, isAgent, type TicketId } from "@portal/core/domain"
import {
  agentGetTicket,
  agentListTickets,
  agentNoteTicket,
  agentReplyTicket,
  agentUpdateTicket,
} from "@portal/core/usecases"
import { callerOf } from "../Callers.ts"
import { PortalApiError } from "../ErrorMapper.ts"
import {
  AgentMessageInput,
  AgentTicketIdInput,
  AgentTicketListInput,
  AgentUpdateInput,
  filesOf,
  input,
  optionalInput,
} from "../Inputs.ts"
import { run } from "../Run.ts"
import { agentProcedure, router } from "../trpc.ts"
import { withFileUrls } from "./TicketsRouter.ts"

const agentCallerOf = (ctx: Parameters<typeof callerOf>[0]): AgentCaller => {
  const caller = callerOf(ctx)
  // agentProcedure let only an agent's session through: anything else is a bug, not a request.
  if (caller === null || !isAgent(caller)) throw new PortalApiError("FORBIDDEN", "Forbidden", { reason: "agentsOnly" })
  return caller
}

/** The agent's ticket with a download URL on every file (messages, comments and notes). */
const withUrls = <
  D extends {
    readonly threads: ReadonlyArray<{
      readonly messages: ReadonlyArray<{ readonly attachments: ReadonlyArray<{ readonly id: string }> }>
    }>
    readonly notes: ReadonlyArray<{ readonly attachments: ReadonlyArray<{ readonly id: string }> }>
  },
>(
  detail: D,
) => ({
  ...detail,
  threads: detail.threads.map((t) => withFileUrls(t)),
  notes: withFileUrls({ messages: detail.notes }).messages,
})

export const agentTicketsRouter = router({
  list: agentProcedure
    .input(optionalInput(AgentTicketListInput))
    .query(({ ctx, input: given }) => run(ctx, agentListTickets(agentCallerOf(ctx), given ?? {}))),

  get: agentProcedure
    .input(input(AgentTicketIdInput))
    .query(async ({ ctx, input }) =>
      withUrls(await run(ctx, agentGetTicket(agentCallerOf(ctx), input.ticketId as TicketId))),
    ),

  reply: agentProcedure.input(input(AgentMessageInput)).mutation(({ ctx, input }) =>
    run(
      ctx,
      agentReplyTicket(agentCallerOf(ctx), {
        ticketId: input.ticketId,
        version: input.version,
        text: input.text,
        attachments: filesOf(input.attachments),
        idempotencyKey: input.idempotencyKey,
      }),
    ),
  ),

  note: agentProcedure.input(input(AgentMessageInput)).mutation(({ ctx, input }) =>
    run(
      ctx,
      agentNoteTicket(agentCallerOf(ctx), {
        ticketId: input.ticketId,
        version: input.version,
        text: input.text,
        attachments: filesOf(input.attachments),
        idempotencyKey: input.idempotencyKey,
      }),
    ),
  ),

  update: agentProcedure.input(input(AgentUpdateInput)).mutation(({ ctx, input }) =>
    run(
      ctx,
      agentUpdateTicket(agentCallerOf(ctx), {
        ticketId: input.ticketId,
        version: input.version,
        ...(input.stageId === undefined ? {} : { stageId: input.stageId }),
        ...(input.ownerId === undefined ? {} : { ownerId: input.ownerId }),
      }),
    ),
  ),
})

export const agentRouter = router({ tickets: agentTicketsRouter })
