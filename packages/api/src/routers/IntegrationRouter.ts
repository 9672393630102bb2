/**
 * `integration`: the helpdesk pushes its data into the portal and reads what customers did.
 * Authenticated by a Bearer API token of the workspace (ApiTokens.ts); hosts are irrelevant.
 * Everything goes through core's ports, and is checked against the catalog first, so a bad
 * reference is a 400 naming it, never a storage failure:
 * - `tickets.upsert`: create a ticket with its first thread and message (idempotent by key; an
 *   existing ticket id answers `created: false` and is left unchanged: no port updates tickets yet);
 * - `messages.create`: an agent's reply into the ticket's visible thread (P-COM-4), or a new email
 *   thread in the default inbox (P-ACT-4), so the customer sees it;
 * - `tickets.setStage`: move a ticket to a closed stage (TicketStore.close; open stages need a port);
 * - `events`: the feed of portal events (P-ACT-5), paged by sequence.
 */
import {
  type AttachmentId,
  BlobStore,
  Clock,
  type ContactId,
  ContactStore,
  emailIssues,
  IdGenerator,
  type MessageId,
  type NewAttachment,
  normalizeEmail,
  replyTarget,
  SettingsStore,
  type ThreadId,
  TicketNotFound,
  TicketStore,
  ValidationFailed,
  visibleThread,
  type WorkspaceId,
  WorkspaceNotFound,
  WorkspaceStore,
} from "@portal/core"
import { Effect, Option } from "effect"
import {
  EventsInput,
  IntegrationContactInput,
  IntegrationMessageInput,
  IntegrationStageInput,
  IntegrationTicketInput,
  input,
  optionalInput,
} from "../Inputs.ts"
import { run } from "../Run.ts"
import { integrationProcedure, router } from "../trpc.ts"

const invalid = (path: string, message: string) => new ValidationFailed({ issues: [{ path, message }] })

const catalogOf = (workspaceId: WorkspaceId) =>
  WorkspaceStore.use((s) => s.catalog(workspaceId)).pipe(
    Effect.flatMap(
      Option.match({ onNone: () => Effect.fail(new WorkspaceNotFound({ key: workspaceId })), onSome: Effect.succeed }),
    ),
  )

export const integrationRouter = router({
  events: integrationProcedure.input(optionalInput(EventsInput)).query(async ({ ctx, input: given }) => {
    const input = given ?? {}
    const after = input.after ?? 0
    const events = await run(
      ctx,
      TicketStore.use((s) => s.events(ctx.workspaceId, after, input.limit ?? 100)),
    )
    return { events, next: events.length === 0 ? after : (events[events.length - 1]?.sequence ?? after) }
  }),

  tickets: router({
    upsert: integrationProcedure.input(input(IntegrationTicketInput)).mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const tickets = yield* TicketStore
          const existing = yield* tickets.getById(ctx.workspaceId, input.ticket.id)
          if (Option.isSome(existing)) return { ticketId: input.ticket.id, created: false }
          const catalog = yield* catalogOf(ctx.workspaceId)
          const t = input.ticket
          const pipeline = catalog.pipelines.find((p) => p.id === t.pipelineId)
          if (pipeline === undefined) return yield* invalid("ticket.pipelineId", `No pipeline "${t.pipelineId}".`)
          if (!pipeline.stages.some((s) => s.id === t.stageId))
            return yield* invalid("ticket.stageId", `No stage "${t.stageId}" in pipeline "${t.pipelineId}".`)
          if (t.ownerId !== undefined && !catalog.agents.some((a) => a.id === t.ownerId))
            return yield* invalid("ticket.ownerId", `No agent "${t.ownerId}".`)
          if (!catalog.inboxes.some((i) => i.id === input.thread.inboxId))
            return yield* invalid("thread.inboxId", `No inbox "${input.thread.inboxId}".`)
          const contacts = yield* ContactStore
          for (const id of [...t.contactIds, ...(t.requesterId === undefined ? [] : [t.requesterId])])
            if (Option.isNone(yield* contacts.findById(ctx.workspaceId, id)))
              return yield* invalid("ticket.contactIds", `No contact "${id}".`)
          const author = input.message.author
          if (
            author.type === "agent"
              ? !catalog.agents.some((a) => a.id === author.id)
              : Option.isNone(yield* contacts.findById(ctx.workspaceId, author.id as ContactId))
          )
            return yield* invalid("message.author", `No ${author.type} "${author.id}".`)
          const result = yield* tickets
            .createTicket({
              workspaceId: ctx.workspaceId,
              ticket: t,
              thread: { id: input.thread.id as ThreadId, inboxId: input.thread.inboxId, channel: input.thread.channel },
              message: {
                id: input.message.id as MessageId,
                createdAt: t.createdAt,
                author,
                text: input.message.text,
                attachments: [],
              },
              idempotencyKey: `integration:${input.idempotencyKey}`,
              eventId: yield* (yield* IdGenerator).next("evt"),
            })
            .pipe(
              // Everything else was checked above; companies are in no readable port yet.
              Effect.catchTag("StorageError", () =>
                Effect.fail(
                  invalid(
                    "ticket.companyIds",
                    "The store refused the ticket: check companyIds and the thread and message ids.",
                  ),
                ),
              ),
            )
          return { ticketId: result.ticketId, created: !result.duplicate }
        }),
      ),
    ),

    setStage: integrationProcedure.input(input(IntegrationStageInput)).mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const tickets = yield* TicketStore
          const found = yield* tickets.getById(ctx.workspaceId, input.ticketId)
          if (Option.isNone(found)) return yield* new TicketNotFound({ ticketId: input.ticketId })
          const ticket = found.value
          const catalog = yield* catalogOf(ctx.workspaceId)
          const stage = catalog.pipelines
            .find((p) => p.id === ticket.pipelineId)
            ?.stages.find((s) => s.id === input.stageId)
          if (stage === undefined)
            return yield* invalid("stageId", `No stage "${input.stageId}" in pipeline "${ticket.pipelineId}".`)
          if (stage.state !== "closed") return yield* invalid("stageId", "Only moves to a closed stage are supported.")
          const by = ticket.requesterId ?? ticket.contactIds[0]
          if (by === undefined) return yield* invalid("ticketId", "The ticket has no contact.")
          yield* tickets.close({
            workspaceId: ctx.workspaceId,
            ticketId: ticket.id,
            stageId: stage.id,
            at: yield* (yield* Clock).now(),
            by,
            eventId: yield* (yield* IdGenerator).next("evt"),
          })
          return { ticketId: ticket.id, stageId: stage.id }
        }),
      ),
    ),
  }),

  contacts: router({
    /**
     * Create a contact, or update the one with this email (names, primary company). A company the
     * store does not know is refused as a 400: companies are not in any readable port yet.
     */
    upsert: integrationProcedure.input(input(IntegrationContactInput)).mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const issues = emailIssues(input.email)
          if (issues.length > 0) return yield* new ValidationFailed({ issues })
          const stored = yield* (yield* ContactStore)
            .upsert(ctx.workspaceId, { ...input, email: normalizeEmail(input.email), passwordHash: null })
            .pipe(
              Effect.catchTag("StorageError", () =>
                Effect.fail(
                  invalid("primaryCompanyId", "The store refused the contact: check primaryCompanyId and id."),
                ),
              ),
            )
          return { contactId: stored.id, email: stored.email }
        }),
      ),
    ),
  }),

  messages: router({
    create: integrationProcedure.input(input(IntegrationMessageInput)).mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const tickets = yield* TicketStore
          if (Option.isNone(yield* tickets.getById(ctx.workspaceId, input.ticketId)))
            return yield* new TicketNotFound({ ticketId: input.ticketId })
          const catalog = yield* catalogOf(ctx.workspaceId)
          if (!catalog.agents.some((a) => a.id === input.agentId))
            return yield* invalid("agentId", `No agent "${input.agentId}".`)
          const settings = yield* (yield* SettingsStore).get(ctx.workspaceId)
          const threads = yield* tickets.threadsOf(ctx.workspaceId, input.ticketId)
          const visible = visibleThread(threads, catalog.inboxes)
          const defaultInbox = Option.isSome(settings) ? settings.value.settings.defaultInboxId : null
          const target = replyTarget(
            visible?.id ?? null,
            defaultInbox,
            catalog.inboxes.map((i) => i.id),
          )
          if (target._tag === "Refused")
            return yield* invalid("ticketId", "The ticket has no visible thread and the portal no default inbox.")
          const ids = yield* IdGenerator
          const blobs = yield* BlobStore
          const attachments: Array<NewAttachment> = []
          for (const file of input.attachments ?? []) {
            const id = (yield* ids.next("att")) as AttachmentId
            const bytes = new Uint8Array(Buffer.from(file.dataBase64, "base64"))
            yield* blobs.put(ctx.workspaceId, `attachments/${id}`, bytes)
            attachments.push({
              id,
              name: file.name,
              contentType: file.contentType,
              size: bytes.byteLength,
              blobKey: `attachments/${id}`,
            })
          }
          const thread =
            target._tag === "Existing"
              ? target
              : {
                  _tag: "New" as const,
                  threadId: (yield* ids.next("thread")) as ThreadId,
                  inboxId: target.inboxId,
                  channel: target.channel,
                }
          return yield* tickets.reply({
            workspaceId: ctx.workspaceId,
            ticketId: input.ticketId,
            thread,
            message: {
              id: (yield* ids.next("msg")) as MessageId,
              createdAt: yield* (yield* Clock).now(),
              author: { type: "agent", id: input.agentId },
              text: input.text,
              attachments,
            },
            idempotencyKey: `integration:${input.idempotencyKey}`,
            eventId: yield* ids.next("evt"),
          })
        }),
      ),
    ),
  }),
})
