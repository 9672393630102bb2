/**
 * A customer's reply from the portal (P-ACT-1, P-ACT-2, P-ACT-4, P-ACT-5).
 * - Input limits, checked before anything is read or stored: text or at least one file; text up to
 *   20,000 characters; up to 10 files of at most 10 MiB each and 25 MiB in all. Every problem is
 *   reported at once (ValidationFailed) with its path (`text`, `attachments`, `attachments[2]`).
 * - The ticket must be visible (TicketNotFound otherwise, P-VIS-4) and replies allowed by its state
 *   (P-ACT-2); the reply goes into the visible thread, or a new email thread in the default inbox
 *   when there is none (P-ACT-4). Refusals are ActionNotAllowed with a code (closed_ticket_reply_disabled,
 *   no_default_inbox) and an English reason.
 * - Files go to the BlobStore under fresh internal keys first, then one TicketStore.reply command
 *   stores the message, its attachments and the portal event (P-ACT-5) in one transaction. A retry
 *   with the same idempotency key stores nothing new (its blobs are orphans a sweep may remove).
 * - P-SEC-3: the key is the caller's own for replies (`contact:<id>/reply`, `agent:<id>/reply`),
 *   with the fingerprint of ticket, text and files: the same key with another reply (another
 *   ticket or text) is Conflict `idempotency_key_reused`, never someone else's result.
 * - P-EXT-5: a customer reply to a closed ticket (allowed by P-ACT-2) moves it to the open stage
 *   `reopenStageByPipeline` names for its pipeline, in the reply's transaction (a "stageChanged"
 *   event); none named: it stays closed.
 * - `agentReply`: an agent's answer pushed by the helpdesk (integration API), with the same input
 *   limits and the same choice of thread, so the customer sees it; agents may answer closed tickets.
 */
import { Effect, Option } from "effect"
import * as Base64 from "effect/encoding/Base64"
import type { Author, DocumentAttachment } from "../domain/Entities.ts"
import type {
  AgentId,
  AttachmentId,
  InboxId,
  MessageId,
  StageId,
  ThreadId,
  TicketId,
  WorkspaceId,
} from "../domain/Ids.ts"
import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import type { ThreadHead } from "../domain/ReadModels.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import {
  ActionNotAllowed,
  type Conflict,
  referenceIssue,
  TicketNotFound,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { type NewAttachment, type ReplyResult, TicketStore } from "../ports/TicketStore.ts"
import type { StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { type IdempotencyCaller, idempotencyClaim } from "../rules/Idempotency.ts"
import { type ReplyTarget, refusalText, reopenStageFor, replyDecision, replyTarget } from "../rules/TicketActions.ts"
import type { CustomerRef } from "./Callers.ts"
import { loadCatalog, loadSettings } from "./Lookups.ts"
import { loadVisibleThread, loadVisibleTicket, type TicketReadError, type TicketReadServices } from "./Tickets.ts"

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

/** A client's idempotency key: 1 to 200 characters (replies, form submissions). */
export const idempotencyKeyIssues = (key: string, path = "idempotencyKey"): ReadonlyArray<FieldIssue> =>
  key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH
    ? [
        fieldIssue(path, "invalid_idempotency_key", `Expected 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`, {
          max: IDEMPOTENCY_KEY_MAX_LENGTH,
        }),
      ]
    : []

/** A file as the limits see it: its name, media type and size in bytes. */
export interface FileFacts {
  readonly name: string
  readonly contentType: string
  readonly byteLength: number
}

/**
 * The limits on a message's files (P-ACT-1, P-EXT-3, and imported messages, P-SEC-7): at most
 * REPLY_MAX_FILES files of REPLY_MAX_FILE_BYTES each and REPLY_MAX_TOTAL_BYTES in all, each with
 * a name and a valid media type. Paths are `<path>` and `<path>[i]`.
 */
export const attachmentIssues = (files: ReadonlyArray<FileFacts>, path = "attachments"): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  if (files.length > REPLY_MAX_FILES)
    issues.push(
      fieldIssue(path, "too_many_files", `Attach at most ${REPLY_MAX_FILES} files.`, { max: REPLY_MAX_FILES }),
    )
  let total = 0
  files.forEach((file, i) => {
    const at = `${path}[${i}]`
    total += file.byteLength
    const name = displayFileName(file.name)
    if (name.length === 0 || codePoints(name) > FILE_NAME_MAX_LENGTH)
      issues.push(
        fieldIssue(
          `${at}.name`,
          "invalid_file_name",
          `Give the file a name of 1 to ${FILE_NAME_MAX_LENGTH} characters.`,
          {
            max: FILE_NAME_MAX_LENGTH,
          },
        ),
      )
    if (!CONTENT_TYPE.test(file.contentType))
      issues.push(fieldIssue(`${at}.contentType`, "invalid_content_type", "The file's type is not a valid media type."))
    if (file.byteLength > REPLY_MAX_FILE_BYTES)
      issues.push(
        fieldIssue(at, "file_too_large", `"${name}" is larger than ${REPLY_MAX_FILE_BYTES / MIB} MiB.`, {
          name,
          maxMiB: REPLY_MAX_FILE_BYTES / MIB,
        }),
      )
  })
  if (total > REPLY_MAX_TOTAL_BYTES)
    issues.push(
      fieldIssue(path, "attachments_too_large", `Attach at most ${REPLY_MAX_TOTAL_BYTES / MIB} MiB in all.`, {
        maxMiB: REPLY_MAX_TOTAL_BYTES / MIB,
      }),
    )
  return issues
}

/** Every problem with a reply's input (empty: acceptable). */
export const replyInputIssues = (input: Omit<ReplyInput, "ticketId">): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  if (input.text.trim().length === 0 && input.attachments.length === 0)
    issues.push(fieldIssue("text", "message_empty", "Write a message or attach a file."))
  if (codePoints(input.text) > REPLY_MAX_TEXT_LENGTH) issues.push(tooLong("text", REPLY_MAX_TEXT_LENGTH))
  issues.push(
    ...attachmentIssues(
      input.attachments.map((f) => ({ name: f.name, contentType: f.contentType, byteLength: f.bytes.byteLength })),
    ),
  )
  issues.push(...idempotencyKeyIssues(input.idempotencyKey))
  return issues
}

/** P-ACT-4: the visible thread, else a new email thread in the default inbox, else a refusal. */
const chooseTarget = (
  thread: ThreadHead | null,
  defaultInboxId: InboxId | null,
  inboxes: ReadonlyArray<{ readonly id: InboxId }>,
) => {
  const target = replyTarget(
    thread?.id ?? null,
    defaultInboxId,
    inboxes.map((i) => i.id),
  )
  return target._tag === "Refused"
    ? Effect.fail(new ActionNotAllowed({ action: "reply", code: target.code, reason: refusalText(target.code) }))
    : Effect.succeed(target)
}

/** P-ACT-1, P-ACT-2, P-ACT-4: reply to a visible ticket. */
export const reply = (
  viewer: CustomerRef,
  input: ReplyInput,
): Effect.Effect<
  ReplyResult,
  TicketReadError | TicketNotFound | ValidationFailed | ActionNotAllowed | Conflict,
  TicketReadServices | BlobStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const issues = replyInputIssues(input)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const v = yield* loadVisibleTicket(viewer, input.ticketId)
    const decision = replyDecision(v.summary.status.state, v.settings.actions)
    if (!decision.allowed)
      return yield* new ActionNotAllowed({ action: "reply", code: decision.code, reason: refusalText(decision.code) })
    const target = yield* chooseTarget(v.thread, v.settings.defaultInboxId, v.catalog.inboxes)
    // P-EXT-5: a reply to a closed ticket moves it to the pipeline's reopen stage, if one is set.
    const reopen = reopenStageFor(v.summary.status.state, v.pipeline, v.settings.actions)
    return yield* postMessage(v.scope.workspaceId, input, target, { type: "contact", id: v.scope.contactId }, reopen)
  })

/** A file of a document or an integration call (base64) as an uploaded file. */
export const fileFromDocument = (file: DocumentAttachment): UploadedFile => {
  const bytes = Base64.decode(file.dataBase64)
  return {
    name: file.name,
    contentType: file.contentType,
    bytes: bytes._tag === "Success" ? bytes.success : new Uint8Array(),
  }
}

/** Put each file in the BlobStore under a fresh internal key (never derived from its name). */
export const storeFiles = (
  workspaceId: WorkspaceId,
  files: ReadonlyArray<UploadedFile>,
): Effect.Effect<ReadonlyArray<NewAttachment>, StoreError, BlobStore | IdGenerator> =>
  Effect.forEach(files, (file) =>
    Effect.gen(function* () {
      const id = (yield* (yield* IdGenerator).next("att")) as AttachmentId
      const blobKey = `attachments/${id}`
      yield* (yield* BlobStore).put(workspaceId, blobKey, file.bytes)
      return {
        id,
        name: displayFileName(file.name),
        contentType: file.contentType,
        size: file.bytes.byteLength,
        blobKey,
      }
    }),
  )

/**
 * What makes two messages the same request (P-SEC-3): ticket, text and files (their bytes' hash),
 * under the operation's key space ("reply" for customers' and agents' replies, "note" for notes).
 */
export const messageClaim = (
  caller: IdempotencyCaller,
  operation: "reply" | "note",
  input: Pick<ReplyInput, "ticketId" | "text" | "attachments" | "idempotencyKey">,
) =>
  idempotencyClaim(caller, operation, input.idempotencyKey, {
    ticketId: input.ticketId,
    text: input.text,
    attachments: input.attachments.map((f) => ({ name: f.name, contentType: f.contentType, bytes: f.bytes })),
  })

const replyClaim = (caller: IdempotencyCaller, input: ReplyInput) => messageClaim(caller, "reply", input)

/** Store the files, then the message in the chosen thread with its event, in one command. */
const postMessage = (
  workspaceId: WorkspaceId,
  input: ReplyInput,
  target: Exclude<ReplyTarget, { readonly _tag: "Refused" }>,
  author: Author,
  reopenStageId: StageId | null = null,
): Effect.Effect<ReplyResult, StoreError | Conflict, TicketStore | BlobStore | Clock | IdGenerator> =>
  Effect.gen(function* () {
    const ids = yield* IdGenerator
    const attachments = yield* storeFiles(workspaceId, input.attachments)
    const thread =
      target._tag === "Existing"
        ? target
        : {
            _tag: "New" as const,
            threadId: (yield* ids.next("thread")) as ThreadId,
            inboxId: target.inboxId,
            channel: target.channel,
          }
    return yield* (yield* TicketStore).reply({
      workspaceId,
      ticketId: input.ticketId,
      thread,
      message: {
        id: (yield* ids.next("msg")) as MessageId,
        createdAt: yield* (yield* Clock).now(),
        author,
        text: input.text,
        attachments,
      },
      idempotency: replyClaim(author, input),
      eventId: yield* ids.next("evt"),
      ...(reopenStageId === null ? {} : { reopen: { stageId: reopenStageId, eventId: yield* ids.next("evt") } }),
    })
  })

/** Who answers through the integration API: an agent of the workspace. */
export interface AgentReplier {
  readonly workspaceId: WorkspaceId
  readonly agentId: AgentId
}

/** An agent's reply into the ticket's visible thread, or a new one in the default inbox (P-ACT-4). */
export const agentReply = (
  agent: AgentReplier,
  input: ReplyInput,
): Effect.Effect<
  ReplyResult,
  WorkspaceNotFound | TicketNotFound | ValidationFailed | ActionNotAllowed | StoreError | Conflict,
  TicketStore | WorkspaceStore | SettingsStore | BlobStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const issues = replyInputIssues(input)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const { workspaceId } = agent
    if (Option.isNone(yield* (yield* TicketStore).getById(workspaceId, input.ticketId)))
      return yield* new TicketNotFound({ ticketId: input.ticketId })
    const catalog = yield* loadCatalog(workspaceId)
    if (!catalog.agents.some((a) => a.id === agent.agentId))
      return yield* new ValidationFailed({ issues: [referenceIssue("agentId", { kind: "agent", id: agent.agentId })] })
    const settings = yield* loadSettings(workspaceId)
    const thread = yield* loadVisibleThread(workspaceId, input.ticketId, catalog.inboxes)
    const target = yield* chooseTarget(thread, settings.defaultInboxId, catalog.inboxes)
    // Its own key space (scope `agent:<id>/reply`): a helpdesk key never matches a customer's.
    return yield* postMessage(workspaceId, input, target, { type: "agent", id: agent.agentId })
  })
