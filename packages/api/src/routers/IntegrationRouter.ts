/**
 * `integration`: the helpdesk pushes its data into the portal and reads what customers did.
 * Authenticated by a Bearer API token of the workspace (ApiTokens.ts); hosts are irrelevant.
 * The rules are core's (usecases/Integration.ts, Reply.ts `agentReply`); each write is one store
 * command, and a reference the workspace does not have is a 400 naming the field:
 * - `tickets.upsert`: create a ticket (with its first thread and message, idempotent by key) or
 *   update every field of an existing one; `tickets.setStage`: any stage of its pipeline;
 * - `messages.create`: an agent's reply into the ticket's visible thread (P-COM-4), or a new email
 *   thread in the default inbox (P-ACT-4), so the customer sees it;
 * - `threads.upsert`, `notes.add`, `companies.upsert`, `lists.upsert`, `contacts.upsert`: the
 *   conversations and CRM data, in the workspace document's shapes;
 * - `events`: the feed of portal events (P-ACT-5), paged by sequence;
 * - `tickets.list`, `tickets.get`: the workspace's tickets as the agent workspace reads them
 *   (usecases/IntegrationTickets.ts), for integrations that pull instead of receiving webhooks.
 * The same procedures answer as plain JSON routes under `/api/v1` (JsonApi.ts, P-HOOK-3).
 */
import { type AgentId, fieldIssue, type ValidationCode, type WorkspaceId } from "@portal/core/domain"
import { ValidationFailed } from "@portal/core/ports"
import {
  addNote,
  agentReply,
  fileFromDocument,
  integrationEvents,
  integrationGetTicket,
  integrationListTickets,
  moveTicketToStage,
  syncCompany,
  syncList,
  syncThread,
  syncTicket,
  upsertIntegrationContact,
} from "@portal/core/usecases"
import { Effect, type Schema } from "effect"
import type { PortalServices } from "../context.ts"
import type { CoreError } from "../ErrorMapper.ts"
import {
  AgentTicketIdInput,
  EventsInput,
  IntegrationCompanyInput,
  IntegrationContactInput,
  IntegrationListInput,
  IntegrationMessageInput,
  IntegrationNoteInput,
  IntegrationStageInput,
  IntegrationThreadInput,
  IntegrationTicketInput,
  IntegrationTicketListInput,
  input,
  optionalInput,
} from "../Inputs.ts"
import { run } from "../Run.ts"
import { integrationProcedure, router } from "../trpc.ts"

const invalid = (path: string, code: ValidationCode, message: string) =>
  new ValidationFailed({ issues: [fieldIssue(path, code, message)] })

/** A mutation that runs a core use-case on the token's workspace with the decoded input. */
const workspaceWrite = <S extends Schema.Top & { readonly DecodingServices: never }, A, E extends CoreError>(
  schema: S,
  useCase: (workspaceId: WorkspaceId, input: S["Type"]) => Effect.Effect<A, E, PortalServices>,
) => integrationProcedure.input(input(schema)).mutation(({ ctx, input }) => run(ctx, useCase(ctx.workspaceId, input)))

export const integrationRouter = router({
  events: integrationProcedure.input(optionalInput(EventsInput)).query(async ({ ctx, input: given }) => {
    const input = given ?? {}
    const after = input.after ?? 0
    const events = await run(ctx, integrationEvents(ctx.workspaceId, after, input.limit ?? 100))
    return { events, next: events.length === 0 ? after : (events[events.length - 1]?.sequence ?? after) }
  }),

  tickets: router({
    upsert: integrationProcedure.input(input(IntegrationTicketInput)).mutation(({ ctx, input }) => {
      const { ticket, thread, message, idempotencyKey } = input
      if ((thread === undefined) !== (message === undefined))
        return run(
          ctx,
          Effect.fail(invalid("thread", "required", "Give the first thread and its message together, or neither.")),
        )
      const first = thread === undefined || message === undefined ? {} : { first: { thread, message } }
      return run(
        ctx,
        syncTicket(ctx.workspaceId, { ticket, ...first, idempotencyKey: `integration:${idempotencyKey}` }),
      )
    }),
    setStage: workspaceWrite(IntegrationStageInput, moveTicketToStage),
    list: integrationProcedure
      .input(optionalInput(IntegrationTicketListInput))
      .query(({ ctx, input }) => run(ctx, integrationListTickets(ctx.workspaceId, input ?? {}))),
    get: integrationProcedure
      .input(input(AgentTicketIdInput))
      .query(({ ctx, input }) => run(ctx, integrationGetTicket(ctx.workspaceId, input.ticketId))),
  }),

  contacts: router({
    /** Create a contact, or update the one with this email (names, primary company); never the password. */
    upsert: integrationProcedure
      .input(input(IntegrationContactInput))
      .mutation(({ ctx, input }) => run(ctx, upsertIntegrationContact(ctx.workspaceId, input))),
  }),

  companies: router({ upsert: workspaceWrite(IntegrationCompanyInput, syncCompany) }),
  lists: router({ upsert: workspaceWrite(IntegrationListInput, syncList) }),
  notes: router({ add: workspaceWrite(IntegrationNoteInput, addNote) }),
  threads: router({ upsert: workspaceWrite(IntegrationThreadInput, syncThread) }),

  messages: router({
    create: integrationProcedure.input(input(IntegrationMessageInput)).mutation(({ ctx, input }) =>
      run(
        ctx,
        agentReply(
          { workspaceId: ctx.workspaceId, agentId: input.agentId as AgentId },
          {
            ticketId: input.ticketId,
            text: input.text,
            attachments: (input.attachments ?? []).map(fileFromDocument),
            idempotencyKey: input.idempotencyKey,
          },
        ),
      ),
    ),
  }),
})
