/**
 * `tickets`: the customer's tickets (P-LIST, P-VIS, P-COM, P-ACT), every call scoped by the
 * session's contact and the host's workspace; the rules are core's use-cases.
 * - P-VIS-4: a missing ticket and one the customer may not see give the same NOT_FOUND.
 * - P-AUTH-7: an agent of the workspace may preview the list and a ticket read-only, as sample
 *   data or (with `asContactId`) as a given contact sees it; `preview: true` says so.
 * - Attachments come as base64 (core checks count and size); files are downloaded from
 *   `/files/<attachmentId>`, which applies the same visibility.
 * - P-SEC-6: every answer is shaped by core's rules/CustomerView.ts (what a customer may see): no
 *   stage id, no stage label unless the portal shows stages, no agent id; the preview too.
 */
import type { StatusDisplay, TicketId, TicketListQuery } from "@portal/core/domain"
import { customerTicketDetail, customerTicketListing } from "@portal/core/rules"
import {
  addParticipants,
  closeTicket,
  getTicket,
  listTickets,
  rateTicket,
  removeParticipant,
  reply,
  type TicketView,
} from "@portal/core/usecases"
import { customerCallerAs, customerCallerOf } from "../Callers.ts"
import { NOT_FOUND_MESSAGE, PortalApiError } from "../ErrorMapper.ts"
import {
  CloseInput,
  filesOf,
  input,
  optionalInput,
  ParticipantRemoveInput,
  ParticipantsAddInput,
  RateInput,
  ReplyInput,
  TicketIdInput,
  TicketListInput,
} from "../Inputs.ts"
import { sampleDetail, sampleListing } from "../Preview.ts"
import { run } from "../Run.ts"
import { customerProcedure, router, viewerProcedure } from "../trpc.ts"

export const FILES_PATH = "/files"

type ViewWithFiles = {
  readonly messages: ReadonlyArray<{ readonly attachments: ReadonlyArray<{ readonly id: string }> }>
}
type MessageOf<V extends ViewWithFiles> = V["messages"][number]

/** A view whose attachments carry their download address (a plain type: the pages read it as RouterOutputs). */
export type WithFileUrls<V extends ViewWithFiles> = Omit<V, "messages"> & {
  readonly messages: ReadonlyArray<
    Omit<MessageOf<V>, "attachments"> & {
      readonly attachments: ReadonlyArray<MessageOf<V>["attachments"][number] & { readonly url: string }>
    }
  >
}

/**
 * The ticket view with a download URL on each attachment. Object.assign, not `{ ...m, attachments }`:
 * on Node 20 a spread followed by another property costs 1–2 µs per object (docs/http-bench.md).
 */
export const withFileUrls = <V extends ViewWithFiles>(view: V): WithFileUrls<V> =>
  // TypeScript cannot follow a copy of a generic into Omit: the shape is the one declared above.
  Object.assign({}, view, {
    messages: view.messages.map((m) =>
      Object.assign({}, m, {
        attachments: m.attachments.map((a) =>
          Object.assign({}, a, { url: `${FILES_PATH}/${encodeURIComponent(a.id)}` }),
        ),
      }),
    ),
  }) as unknown as WithFileUrls<V>

/** A ticket's detail as the customer sees it (P-SEC-6), with download URLs. */
const customerDetail = (view: TicketView, display: StatusDisplay) => withFileUrls(customerTicketDetail(view, display))

const agentsOnly = () =>
  new PortalApiError("FORBIDDEN", "Only agents preview the portal as another contact", { reason: "agentsOnly" })

export const toListQuery = (i: typeof TicketListInput.Type): TicketListQuery => ({
  view: i.view ?? "all",
  status: i.status ?? null,
  search: i.q ?? null,
  sort: i.sort ?? "lastActivity",
  ...(i.direction === undefined ? {} : { direction: i.direction }),
  cursor: i.cursor ?? null,
  limit: i.limit ?? 25,
})

export const ticketsRouter = router({
  list: viewerProcedure.input(optionalInput(TicketListInput)).query(async ({ ctx, input: given }) => {
    const input = given ?? {}
    const query = toListQuery(input)
    const { viewer, portal } = ctx
    if (viewer.type === "contact") {
      if (input.asContactId !== undefined && input.asContactId !== viewer.id) throw agentsOnly()
      // Added to the fresh answer, not spread into a copy (Node 20's slow `{ ...x, key }`, see withFileUrls).
      return Object.assign(customerTicketListing(await run(ctx, listTickets(customerCallerOf(ctx), query))), {
        preview: false,
      })
    }
    if (input.asContactId !== undefined)
      return {
        ...customerTicketListing(await run(ctx, listTickets(customerCallerAs(portal, input.asContactId), query))),
        preview: true,
      }
    return {
      ...customerTicketListing(sampleListing(portal.domain.language, portal.settings.statusDisplay)),
      preview: true,
    }
  }),

  get: viewerProcedure.input(input(TicketIdInput)).query(async ({ ctx, input }) => {
    const { viewer, portal } = ctx
    const display = portal.settings.statusDisplay
    if (viewer.type === "contact") {
      if (input.asContactId !== undefined && input.asContactId !== viewer.id) throw agentsOnly()
      const view = await run(ctx, getTicket(customerCallerOf(ctx), input.ticketId))
      return Object.assign(customerDetail(view, display), { preview: false })
    }
    if (input.asContactId !== undefined) {
      const view = await run(ctx, getTicket(customerCallerAs(portal, input.asContactId), input.ticketId))
      return {
        ...customerDetail({ ...view, canReply: false, canClose: false, canRate: false }, display),
        preview: true,
      }
    }
    const sample = sampleDetail(input.ticketId, portal.domain.language, display)
    if (sample === null) throw new PortalApiError("NOT_FOUND", NOT_FOUND_MESSAGE)
    return { ...customerDetail(sample, display), preview: true }
  }),

  reply: customerProcedure.input(input(ReplyInput)).mutation(async ({ ctx, input }) => {
    const attachments = filesOf(input.attachments)
    const result = await run(
      ctx,
      reply(customerCallerOf(ctx), {
        ticketId: input.ticketId,
        text: input.text,
        attachments,
        idempotencyKey: input.idempotencyKey,
      }),
    )
    return { messageId: result.messageId, threadId: result.threadId, duplicate: result.duplicate }
  }),

  /** P-EXT-1: the requester shares the ticket with colleagues by email. */
  addParticipants: customerProcedure.input(input(ParticipantsAddInput)).mutation(async ({ ctx, input }) => {
    const result = await run(ctx, addParticipants(customerCallerOf(ctx), input.ticketId, input.emails))
    return { changed: result.changed }
  }),

  /** P-EXT-1: the requester stops sharing the ticket with a participant. */
  removeParticipant: customerProcedure.input(input(ParticipantRemoveInput)).mutation(async ({ ctx, input }) => {
    const result = await run(ctx, removeParticipant(customerCallerOf(ctx), input.ticketId, input.contactId))
    return { changed: result.changed }
  }),

  close: customerProcedure.input(input(CloseInput)).mutation(async ({ ctx, input }) => {
    await run(ctx, closeTicket(customerCallerOf(ctx), input.ticketId as TicketId))
    // P-SEC-6: not the closed stage's id; the page reloads the ticket for its status.
    return { closed: true as const }
  }),

  /** P-EXT-2: rate a closed ticket once (CONFLICT `already_rated` the second time). */
  rate: customerProcedure.input(input(RateInput)).mutation(async ({ ctx, input }) => {
    const satisfaction = await run(
      ctx,
      rateTicket(customerCallerOf(ctx), {
        ticketId: input.ticketId as TicketId,
        rating: input.rating as "good" | "bad",
        comment: input.comment,
      }),
    )
    return { satisfaction }
  }),
})
