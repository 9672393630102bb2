/**
 * EXTENSION (core has no download use-case): who may download an attachment (`/files/:id`).
 * - A contact: only an attachment of a message they can see, i.e. one listed in core's getTicket
 *   of a ticket they may see (visibility, earliest allowed thread, no internal comments).
 * - An agent of the workspace: any attachment of the workspace (agents see the whole helpdesk).
 * - Anyone else, a missing attachment, or one of another workspace: AttachmentNotFound, the same
 *   answer in every case (P-VIS-4).
 */
import {
  type AttachmentId,
  AttachmentNotFound,
  BlobStore,
  type ContactId,
  getTicket,
  type StoredAttachment,
  type TicketId,
  TicketStore,
  type WorkspaceId,
} from "@portal/core"
import { Effect, Option } from "effect"
import type { Subject } from "./context.ts"

export interface Download {
  readonly attachment: StoredAttachment
  readonly bytes: Uint8Array
}

/** A ticket id no workspace uses (imported ids are the team's, created ones "ticket-<uuid>"). */
const NO_TICKET = "~portal-no-such-ticket~"

export const authorizeDownload = (workspaceId: WorkspaceId, subject: Subject | null, attachmentId: string) =>
  Effect.gen(function* () {
    const missing = new AttachmentNotFound({ id: attachmentId })
    if (subject === null) return yield* missing
    const found = yield* (yield* TicketStore).attachment(workspaceId, attachmentId as AttachmentId)
    if (subject.type === "contact") {
      // A missing attachment does the same reads as an invisible one (one getTicket): same timing class.
      const ticketId = Option.isSome(found) ? found.value.ticketId : (NO_TICKET as TicketId)
      const view = yield* getTicket({ workspaceId, contactId: subject.id as ContactId }, ticketId).pipe(
        Effect.catchTag("TicketNotFound", () => Effect.fail(missing)),
      )
      if (Option.isNone(found)) return yield* missing
      const attachment = found.value
      const visible = view.messages.some((m) => m.attachments.some((a) => a.id === attachment.id))
      if (!visible) return yield* missing
    }
    if (Option.isNone(found)) return yield* missing
    const attachment = found.value
    const bytes = yield* (yield* BlobStore).get(workspaceId, attachment.blobKey)
    if (Option.isNone(bytes)) return yield* missing
    return { attachment, bytes: bytes.value } satisfies Download
  })
