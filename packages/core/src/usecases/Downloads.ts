/**
 * Who may download an attachment (`/files/:id`).
 * - A contact: only an attachment of a message they can read, i.e. of a ticket they may see
 *   (P-VIS), in its visible thread (P-COM-1, P-COM-2, P-COM-4), on a message that is not an
 *   internal comment (P-COM-3: the store's `messagesOf` lists customer-visible messages only).
 * - An agent of the workspace: any attachment of the workspace (agents see the whole helpdesk).
 * - Anyone else, a missing attachment, or one of another workspace: AttachmentNotFound, the same
 *   answer in every case (P-VIS-4), after the same reads (see `contactMayRead`).
 */
import { Effect, Option } from "effect"
import type { AgentId, AttachmentId, ContactId, ThreadId, TicketId, WorkspaceId } from "../domain/Ids.ts"
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

/** A thread id no workspace uses, read when there is no visible thread to read. */
const NO_THREAD = "~portal-no-such-thread~" as ThreadId

/**
 * May the contact read the message this attachment belongs to? Every refusal costs the same
 * reads (P-VIS-4): a missing attachment, one of a ticket they may not see, and one of a visible
 * ticket outside its visible thread or on an internal comment all read the ticket (with its
 * threads, one read) and one thread's messages, so timing does not tell them apart (docs/visibility-timing.md).
 */
const contactMayRead = (workspaceId: WorkspaceId, contactId: ContactId, found: Option.Option<StoredAttachment>) =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const ticketId = Option.isSome(found) ? found.value.ticketId : NO_TICKET
    const visible = yield* loadVisibleTicket({ workspaceId, contactId }, ticketId).pipe(
      Effect.map(Option.some),
      Effect.catchTags({
        TicketNotFound: () => Effect.succeed(Option.none()),
        ContactNotFound: () => Effect.succeed(Option.none()),
        WorkspaceNotFound: () => Effect.succeed(Option.none()),
      }),
    )
    // loadVisibleTicket read the ticket with its threads in one read, visible or not: every path
    // has read the same so far.
    const thread = Option.isSome(visible) ? visible.value.thread : null
    const messages = yield* tickets.messagesOf(workspaceId, thread?.id ?? NO_THREAD)
    if (Option.isNone(found) || thread === null) return false
    const attachment = found.value
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
