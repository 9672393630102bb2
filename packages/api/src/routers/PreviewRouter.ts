/**
 * `admin.preview` (P-BRAND-1): the list, detail and form pages with sample data or with the real
 * data a chosen contact would see, in the shapes the customer procedures return, read-only.
 */
import { fieldIssue } from "@portal/core/domain"
import { messageWithShownNames, summaryWithShownNames } from "@portal/core/rules"
import { getTicket, listTickets, supportFormView, type TicketListing, type TicketView } from "@portal/core/usecases"
import { customerCallerAs } from "../Callers.ts"
import { NOT_FOUND_MESSAGE, PortalApiError } from "../ErrorMapper.ts"
import { input, PreviewInput } from "../Inputs.ts"
import { SAMPLE_TICKET_IDS, sampleDetail, sampleListing } from "../Preview.ts"
import { run } from "../Run.ts"
import { adminProcedure } from "../trpc.ts"
import { toListQuery, withFileUrls } from "./TicketsRouter.ts"

/** Names as they are shown: no bidi control (hole 12a); every other field as the page redraws it. */
const shownList = (list: TicketListing): TicketListing => ({ ...list, items: list.items.map(summaryWithShownNames) })
const shownDetail = (view: TicketView): TicketView => ({
  ...view,
  ticket: summaryWithShownNames(view.ticket),
  messages: view.messages.map(messageWithShownNames),
})

export const previewRouter = adminProcedure.input(input(PreviewInput)).query(async ({ ctx, input }) => {
  const { portal } = ctx
  const language = portal.domain.language
  // P-LIST-3 through core's rule on the server: the settings screen previews a draft's display.
  const display = input.statusDisplay ?? portal.settings.statusDisplay
  if (input.page === "form") return { page: "form" as const, form: await run(ctx, supportFormView(portal)) }
  if (input.page === "list") {
    const list =
      input.source === "sample"
        ? sampleListing(language, display)
        : await run(ctx, listTickets(customerCallerAs(portal, input.source.contactId), toListQuery({})))
    return { page: "list" as const, list: shownList(list) }
  }
  if (input.source === "sample") {
    const detail = sampleDetail(input.ticketId ?? SAMPLE_TICKET_IDS[0] ?? "", language, display)
    if (detail === null) throw new PortalApiError("NOT_FOUND", NOT_FOUND_MESSAGE)
    return { page: "detail" as const, detail: withFileUrls(shownDetail(detail)) }
  }
  if (input.ticketId === undefined)
    throw new PortalApiError("BAD_REQUEST", "The input is not valid", {
      issues: [fieldIssue("ticketId", "required", "Choose a ticket to preview.")],
    })
  const view = await run(ctx, getTicket(customerCallerAs(portal, input.source.contactId), input.ticketId))
  return { page: "detail" as const, detail: withFileUrls(shownDetail({ ...view, canReply: false, canClose: false })) }
})
