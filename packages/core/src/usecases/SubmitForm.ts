/**
 * A customer sends the portal's support form (P-FORM-1..3).
 * - The configured form must still be eligible (P-FORM-2): connected to an existing inbox, with a
 *   subject field. Otherwise ActionNotAllowed: the portal offers no form (no_support_form,
 *   form_missing, or the form_* code of what makes it ineligible).
 * - The values are checked field by field (ValidationFailed lists every problem) before anything
 *   is written.
 * - Exactly one ticket per submission (P-FORM-3): one TicketStore.createTicket command creates the
 *   ticket, its "form" thread in the form's inbox and the first message listing the answers; the
 *   idempotency key makes a double-click or a retry return the first ticket instead of a second.
 *   P-SEC-3: the key is the customer's own (`contact:<id>/form.submit`) with the fingerprint of the
 *   values: another customer's same key is another ticket; the same key with other values is
 *   Conflict `idempotency_key_reused`.
 * - P-EXT-3: files go with the submission under the same limits as a reply's (attachmentIssues) and
 *   land on the ticket's first message (stored in the BlobStore first, as a reply's); they are part
 *   of the idempotency fingerprint, so a re-submit of one form stores one ticket with its files once.
 * - The ticket is the customer's: requester and contact are the viewer, the company is their
 *   primary company, and it lands in the first open stage the portal's filters let them see.
 * - P-EXT-1: the optional CC addresses become the ticket's participants (checked like every email,
 *   at most MAX_PARTICIPANTS; an unknown address becomes a contact with no company and no login).
 */
import { Effect } from "effect"
import type { Ticket } from "../domain/Entities.ts"
import type { CompanyId, MessageId, ThreadId, TicketId } from "../domain/Ids.ts"
import type { ActionRefusalCode } from "../domain/Issues.ts"
import type { BlobStore } from "../ports/BlobStore.ts"
import type { ContactStore } from "../ports/ContactStore.ts"
import {
  ActionNotAllowed,
  type Conflict,
  type ContactNotFound,
  type MissingReference,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { TicketStore } from "../ports/TicketStore.ts"
import type { StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { idempotencyClaim } from "../rules/Idempotency.ts"
import { checkParticipantEmails } from "../rules/Participants.ts"
import {
  checkSubmission,
  type FormValues,
  formIneligibility,
  INELIGIBILITY_CODES,
  ineligibilityText,
  placementForNewTicket,
  submissionText,
  ticketFieldsOf,
} from "../rules/SupportForm.ts"
import { type CustomerRef, customerCatalog, customerContextOf } from "./Callers.ts"
import { contactsForEmails } from "./Participants.ts"
import { attachmentIssues, idempotencyKeyIssues, storeFiles, type UploadedFile } from "./Reply.ts"

export interface FormSubmission {
  /** Field name → value; checkboxes as booleans (or "true"/"on"), numbers as numbers or text. */
  readonly values: FormValues
  readonly idempotencyKey: string
  /** P-EXT-1: colleagues to share the ticket with (emails); absent or empty: none. */
  readonly cc?: ReadonlyArray<string>
  /** P-EXT-3: files for the first message, with a reply's limits. */
  readonly attachments?: ReadonlyArray<UploadedFile>
}

export const submitForm = (
  viewer: CustomerRef,
  submission: FormSubmission,
): Effect.Effect<
  { readonly ticketId: TicketId; readonly duplicate: boolean },
  WorkspaceNotFound | ContactNotFound | ValidationFailed | ActionNotAllowed | MissingReference | StoreError | Conflict,
  SettingsStore | WorkspaceStore | ContactStore | TicketStore | BlobStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const refuse = (code: ActionRefusalCode, reason: string) =>
      new ActionNotAllowed({ action: "submitForm", code, reason })
    const customer = yield* customerContextOf(viewer)
    const { settings, workspaceId } = customer
    const catalog = yield* customerCatalog(customer)
    const configured = settings.supportForm
    if (configured === null) return yield* refuse("no_support_form", "This portal has no support form.")
    const form = catalog.forms.find((f) => f.id === configured.formId)
    if (form === undefined) return yield* refuse("form_missing", "This portal's support form no longer exists.")
    const inboxIds = catalog.inboxes.map((i) => i.id)
    const reason = formIneligibility(form, inboxIds)[0]
    if (reason !== undefined) return yield* refuse(INELIGIBILITY_CODES[reason], ineligibilityText(reason))
    // Covered by "notConnected" above; the check narrows `inboxId` for the thread below.
    if (form.inboxId === null) return yield* refuse("form_not_connected", ineligibilityText("notConnected"))

    const checked = checkSubmission(form, submission.values)
    const files = submission.attachments ?? []
    const keyIssues = [
      ...attachmentIssues(
        files.map((f) => ({ name: f.name, contentType: f.contentType, byteLength: f.bytes.byteLength })),
      ),
      ...idempotencyKeyIssues(submission.idempotencyKey),
    ]
    const cc = checkParticipantEmails(submission.cc ?? [], "cc")
    if (!checked.ok || keyIssues.length > 0 || !cc.ok)
      return yield* new ValidationFailed({
        issues: [...(checked.ok ? [] : checked.issues), ...keyIssues, ...(cc.ok ? [] : cc.issues)],
      })

    const { contact } = customer
    const fields = ticketFieldsOf(form, checked.values)
    const placement = placementForNewTicket(catalog.pipelines, settings.ticketFilters, fields.properties)
    if (placement === null)
      return yield* refuse("no_open_stage", "No pipeline of this portal can receive new requests.")

    const participantIds =
      cc.emails.length === 0
        ? []
        : (yield* contactsForEmails(workspaceId, cc.emails)).filter((id) => id !== customer.contact.id)
    const ids = yield* IdGenerator
    const tickets = yield* TicketStore
    const now = yield* (yield* Clock).now()
    const companyIds: ReadonlyArray<CompanyId> =
      contact.primaryCompanyId === undefined ? [] : [contact.primaryCompanyId]
    const ticket: Ticket = {
      id: (yield* ids.next("ticket")) as TicketId,
      subject: fields.subject,
      content: fields.content,
      pipelineId: placement.pipelineId,
      stageId: placement.stageId,
      requesterId: contact.id,
      createdAt: now,
      lastActivityAt: now,
      properties: fields.properties,
      contactIds: [contact.id],
      companyIds,
      ...(participantIds.length === 0 ? {} : { participantIds }),
    }
    // Fresh internal keys; a duplicate submission leaves these blobs orphaned for the sweep (as a reply).
    const attachments = yield* storeFiles(workspaceId, files)
    return yield* tickets.createTicket({
      workspaceId,
      ticket,
      thread: { id: (yield* ids.next("thread")) as ThreadId, inboxId: form.inboxId, channel: "form" },
      message: {
        id: (yield* ids.next("msg")) as MessageId,
        createdAt: now,
        author: { type: "contact", id: contact.id },
        text: submissionText(form, checked.values),
        attachments,
      },
      idempotency: idempotencyClaim(
        { type: "contact", id: contact.id },
        "form.submit",
        submission.idempotencyKey,
        // The CC (P-EXT-1) and the files (P-EXT-3) are part of the request: the same key with other
        // addresses or files is another request. Without either the fingerprint is the values' alone.
        cc.emails.length === 0 && files.length === 0
          ? submission.values
          : {
              values: submission.values,
              ...(cc.emails.length === 0 ? {} : { cc: cc.emails }),
              ...(files.length === 0
                ? {}
                : { attachments: files.map((f) => ({ name: f.name, contentType: f.contentType, bytes: f.bytes })) }),
            },
      ),
      eventId: yield* ids.next("evt"),
    })
  })
