/**
 * A customer's reply from the portal (P-ACT-1, P-ACT-2, P-ACT-4, P-ACT-5).
 * - Input limits, checked before anything is read or stored: text or at least one file; text up to
 *   20,000 characters; up to 10 files of at most 10 MiB each and 25 MiB in all. Every problem is
 *   reported at once (ValidationFailed) with its path (`text`, `attachments`, `attachments[2]`).
 * - The ticket must be visible (TicketNotFound otherwise, P-VIS-4) and replies allowed by its state
 *   (P-ACT-2); the reply goes into the visible thread, or a new email thread in the default inbox
 *   when there is none (P-ACT-4). Refusals are ActionNotAllowed with a readable reason.
 * - Files go to the BlobStore under fresh internal keys first, then one TicketStore.reply command
 *   stores the message, its attachments and the portal event (P-ACT-5) in one transaction. A retry
 *   with the same idempotency key stores nothing new (its blobs are orphans a sweep may remove).
 */
import { Effect } from "effect"
import type { AttachmentId, MessageId, ThreadId, TicketId } from "../domain/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ActionNotAllowed, type TicketNotFound, ValidationFailed } from "../ports/Errors.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { type NewAttachment, type ReplyResult, TicketStore } from "../ports/TicketStore.ts"
import type { FieldIssue } from "../rules/Credentials.ts"
import { refusalText, replyDecision, replyTarget } from "../rules/TicketActions.ts"
import { loadVisibleTicket, type TicketReadError, type TicketReadServices } from "./Tickets.ts"
import type { Viewer } from "./Viewers.ts"

export const MIB = 1024 * 1024
export const REPLY_MAX_FILES = 10
export const REPLY_MAX_FILE_BYTES = 10 * MIB
export const REPLY_MAX_TOTAL_BYTES = 25 * MIB
export const REPLY_MAX_TEXT_LENGTH = 20_000
export const FILE_NAME_MAX_LENGTH = 255
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200

/** A file as the API receives it. */
export interface UploadedFile {
  readonly name: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

export interface ReplyInput {
  readonly ticketId: TicketId
  readonly text: string
  readonly attachments: ReadonlyArray<UploadedFile>
  readonly idempotencyKey: string
}

/**
 * The name shown for a file: its last path segment (browsers on some systems send a full path),
 * without control characters. The name is display-only; storage keys never derive from it.
 */
export const displayFileName = (name: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim()

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i

/** Every problem with a reply's input (empty: acceptable). */
export const replyInputIssues = (input: Omit<ReplyInput, "ticketId">): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  const textLength = [...input.text].length
  if (input.text.trim().length === 0 && input.attachments.length === 0)
    issues.push({ path: "text", message: "Write a message or attach a file." })
  if (textLength > REPLY_MAX_TEXT_LENGTH)
    issues.push({ path: "text", message: `Use at most ${REPLY_MAX_TEXT_LENGTH} characters.` })
  if (input.attachments.length > REPLY_MAX_FILES)
    issues.push({ path: "attachments", message: `Attach at most ${REPLY_MAX_FILES} files.` })
  let total = 0
  input.attachments.forEach((file, i) => {
    const path = `attachments[${i}]`
    total += file.bytes.byteLength
    const name = displayFileName(file.name)
    if (name.length === 0 || [...name].length > FILE_NAME_MAX_LENGTH)
      issues.push({ path: `${path}.name`, message: `Give the file a name of 1 to ${FILE_NAME_MAX_LENGTH} characters.` })
    if (!CONTENT_TYPE.test(file.contentType))
      issues.push({ path: `${path}.contentType`, message: "The file's type is not a valid media type." })
    if (file.bytes.byteLength > REPLY_MAX_FILE_BYTES)
      issues.push({ path, message: `"${name}" is larger than ${REPLY_MAX_FILE_BYTES / MIB} MiB.` })
  })
  if (total > REPLY_MAX_TOTAL_BYTES)
    issues.push({ path: "attachments", message: `Attach at most ${REPLY_MAX_TOTAL_BYTES / MIB} MiB in all.` })
  if (input.idempotencyKey.length === 0 || input.idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    issues.push({ path: "idempotencyKey", message: `Expected 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.` })
  return issues
}

/** P-ACT-1, P-ACT-2, P-ACT-4: reply to a visible ticket. */
export const reply = (
  viewer: Viewer,
  input: ReplyInput,
): Effect.Effect<
  ReplyResult,
  TicketReadError | TicketNotFound | ValidationFailed | ActionNotAllowed,
  TicketReadServices | BlobStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const issues = replyInputIssues(input)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const v = yield* loadVisibleTicket(viewer, input.ticketId)
    const decision = replyDecision(v.summary.status.state, v.settings.actions)
    if (!decision.allowed) return yield* new ActionNotAllowed({ action: "reply", reason: refusalText(decision.reason) })
    const target = replyTarget(
      v.thread?.id ?? null,
      v.settings.defaultInboxId,
      v.catalog.inboxes.map((i) => i.id),
    )
    if (target._tag === "Refused")
      return yield* new ActionNotAllowed({ action: "reply", reason: refusalText(target.reason) })

    const ids = yield* IdGenerator
    const blobs = yield* BlobStore
    const tickets = yield* TicketStore
    const now = yield* (yield* Clock).now()
    const attachments: Array<NewAttachment> = []
    for (const file of input.attachments) {
      const id = (yield* ids.next("att")) as AttachmentId
      const blobKey = `attachments/${id}`
      yield* blobs.put(viewer.workspaceId, blobKey, file.bytes)
      attachments.push({
        id,
        name: displayFileName(file.name),
        contentType: file.contentType,
        size: file.bytes.byteLength,
        blobKey,
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
      workspaceId: viewer.workspaceId,
      ticketId: input.ticketId,
      thread,
      message: {
        id: (yield* ids.next("msg")) as MessageId,
        createdAt: now,
        author: { type: "contact", id: viewer.contactId },
        text: input.text,
        attachments,
      },
      idempotencyKey: input.idempotencyKey,
      eventId: yield* ids.next("evt"),
    })
  })
