// Ticket shapes the pages render: exactly what the API returns (RouterOutputs), never a second
// declaration, and no rule of core's re-done here (the status label comes in the output).
import type { RouterOutputs } from "@portal/api"
import type { StatusDisplay } from "@portal/core/domain"

export type { StatusDisplay }

/** A row of `tickets.list` (requester and owner named for the portal's language on the server). */
export type TicketRow = RouterOutputs["tickets"]["list"]["items"][number]

/**
 * What the ticket list shows of a row (TicketTable): the page sends no more of each ticket to the
 * browser (its hydration data) than this.
 */
export type ListRow = Pick<TicketRow, "id" | "subject" | "createdAt" | "lastActivityAt" | "statusLabel"> & {
  readonly requester: { readonly name: string } | null
  readonly owner: { readonly name: string } | null
}

/** core's rules/StatusDisplay label, as the API sends it: a state to translate, or a stage label. */
export type StatusLabel = TicketRow["statusLabel"]

/** A message of `tickets.get` (P-COM), attachments with their `/files/<id>` download address. */
export type MessageView = RouterOutputs["tickets"]["get"]["messages"][number]

export type AttachmentView = MessageView["attachments"][number]

/** A support form field as the form page renders it (core's FormField). */
export interface FieldView {
  readonly name: string
  readonly label: string
  readonly type: "text" | "textarea" | "select" | "email" | "number" | "checkbox"
  readonly required: boolean
  readonly options?: ReadonlyArray<string>
}
