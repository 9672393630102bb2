// Ticket shapes the pages render, as the API returns them (core's ReadModels and use-cases).
import type { StatusDisplay } from "@portal/core"

export type { StatusDisplay }

/** core's rules/StatusDisplay: a state to translate, or a stage label shown as is. */
export type StatusLabel =
  | { readonly kind: "state"; readonly state: "open" | "closed" }
  | { readonly kind: "stage"; readonly label: string; readonly state: "open" | "closed" }

export const statusLabelOf = (
  status: { readonly state: "open" | "closed"; readonly stageLabel: string },
  display: StatusDisplay,
): StatusLabel =>
  display === "stages"
    ? { kind: "stage", label: status.stageLabel, state: status.state }
    : { kind: "state", state: status.state }

export interface TicketRow {
  readonly id: string
  readonly subject: string
  readonly requester: { readonly name: string } | null
  readonly owner: { readonly name: string } | null
  readonly createdAt: string
  readonly lastActivityAt: string
  readonly statusLabel: StatusLabel
}

export interface AttachmentView {
  readonly id: string
  readonly name: string
  readonly contentType: string
  readonly size: number
  /** The download address, `/files/<attachmentId>`. */
  readonly url?: string
}

export interface MessageView {
  readonly id: string
  readonly createdAt: string
  /** A contact author's id (the viewer's own messages); an agent author comes without one (P-SEC-6). */
  readonly author: { readonly type: "contact"; readonly id: string } | { readonly type: "agent"; readonly id?: string }
  readonly authorName: string
  readonly text: string
  readonly attachments: ReadonlyArray<AttachmentView>
}

/** A support form field as the form page renders it (core's FormField). */
export interface FieldView {
  readonly name: string
  readonly label: string
  readonly type: "text" | "textarea" | "select" | "email" | "number" | "checkbox"
  readonly required: boolean
  readonly options?: ReadonlyArray<string>
}
