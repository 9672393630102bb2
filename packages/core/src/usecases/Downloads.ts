/**
 * Who may download an attachment (`/files/:id`).
 * - A contact: only an attachment of a message they can read, i.e. of a ticket they may see
 *   (P-VIS), in its visible thread (P-COM-1, P-COM-2, P-COM-4), on a message that is not an
 *   internal comment (P-COM-3: the store's `messagesOf` lists customer-visible messages only).
 * - An agent of the workspace: any attachment of the workspace (agents see the whole helpdesk).
 * - Anyone else, a missing attachment, or one of another workspace: AttachmentNotFound, the same
 *   answer in every case (P-VIS-4). A contact asking for a missing attachment costs the same
 *   reads as one asking for an invisible one (one ticket lookup), so timing tells nothing either.
 */
import { Effect, Option } from "effect"
import type { AgentId, AttachmentId, ContactId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { AttachmentNotFound } from "../ports/Errors.ts"
import { type StoredAttachment, TicketStore } from "../ports/TicketStore.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { loadCatalog } from "./Lookups.ts"
import { loadVisibleTicket, type TicketReadServices } from "./Tickets.ts"

/** Who asks: the signed-in subject of the request, or null for nobody. */
export type Downloader =
  | { readonly type: "contact"; readonly id: ContactId }
  | { readonly type: "agent"; readonly id: AgentId }

export interface Download {
  readonly attachment: StoredAttachment
  readonly bytes: Uint8Array
}

/** A ticket id no workspace uses (imported ids are the team's, created ones "ticket-<uuid>"). */
const NO_TICKET = "~portal-no-such-ticket~" as TicketId

/** May the contact read the message this attachment belongs to? */
const contactMayRead = (workspaceId: WorkspaceId, contactId: ContactId, found: Option.Option<StoredAttachment>) =>
  Effect.gen(function* () {
    const ticketId = Option.isSome(found) ? found.value.ticketId : NO_TICKET
    const visible = yield* loadVisibleTicket({ workspaceId, contactId }, ticketId).pipe(
      Effect.map(Option.some),
      Effect.catchTags({
        TicketNotFound: () => Effect.succeed(Option.none()),
        ContactNotFound: () => Effect.succeed(Option.none()),
        WorkspaceNotFound: () => Effect.succeed(Option.none()),
      }),
    )
    if (Option.isNone(found) || Option.isNone(visible) || visible.value.thread === null) return false
    const attachment = found.value
    const messages = yield* (yield* TicketStore).messagesOf(workspaceId, visible.value.thread.id)
    return messages.some((m) => m.id === attachment.messageId && m.attachments.some((a) => a.id === attachment.id))
  })

const agentOfWorkspace = (workspaceId: WorkspaceId, agentId: AgentId) =>
  loadCatalog(workspaceId).pipe(
    Effect.map((catalog) => catalog.agents.some((a) => a.id === agentId)),
    Effect.catchTag("WorkspaceNotFound", () => Effect.succeed(false)),
  )

export const authorizeDownload = (
  workspaceId: WorkspaceId,
  downloader: Downloader | null,
  attachmentId: string,
): Effect.Effect<Download, AttachmentNotFound | StoreError, TicketReadServices | BlobStore> =>
  Effect.gen(function* () {
    const missing = new AttachmentNotFound({ id: attachmentId })
    if (downloader === null) return yield* missing
    const found = yield* (yield* TicketStore).attachment(workspaceId, attachmentId as AttachmentId)
    const allowed =
      downloader.type === "contact"
        ? yield* contactMayRead(workspaceId, downloader.id, found)
        : yield* agentOfWorkspace(workspaceId, downloader.id)
    if (!allowed || Option.isNone(found)) return yield* missing
    const bytes = yield* (yield* BlobStore).get(workspaceId, found.value.blobKey)
    if (Option.isNone(bytes)) return yield* missing
    return { attachment: found.value, bytes: bytes.value }
  })
