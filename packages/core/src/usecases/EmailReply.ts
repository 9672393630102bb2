/**
 * P-NOT-5 A customer answers a notification by email. The inbound SMTP listener (apps/server)
 * calls these two steps; the message itself is stored by the same `reply` use-case as a portal reply,
 * so its event, idempotency, input limits, visibility and closed-ticket rules (P-ACT-1..5) apply.
 * - `emailReplyRecipient` (at RCPT TO): the address must be a reply address signed by this server
 *   (rules/ReplyAddress.ts), its contact must still see its ticket (P-VIS-4: a ticket they may not see
 *   is the same `unknown_recipient` as a forged token), the envelope sender must be that contact's
 *   email (`sender_mismatch`), and the ticket must take replies now (ActionNotAllowed, P-ACT-2).
 * - `receiveEmailReply` (at the end of DATA): the same checks again (things change between the two),
 *   the From header must name exactly that contact's email too; the body without its quoted history
 *   and signature (rules/QuotedReply.ts) and the files become the contact's reply. The idempotency key
 *   comes from the Message-ID (or the raw message's hash) and the ticket, so a re-delivered mail
 *   stores one message and the same mail sent to two tickets' addresses stores one on each.
 * Refusals change nothing: every check runs before the reply use-case writes.
 */
import { Data, Effect } from "effect"
import type { TicketId } from "../domain/Ids.ts"
import type { BlobStore } from "../ports/BlobStore.ts"
import { ActionNotAllowed, type Conflict, type TicketNotFound, type ValidationFailed } from "../ports/Errors.ts"
import type { Clock, IdGenerator } from "../ports/System.ts"
import type { ReplyResult } from "../ports/TicketStore.ts"
import { normalizeEmail } from "../rules/Credentials.ts"
import { replyTextOf } from "../rules/QuotedReply.ts"
import { parseReplyAddress } from "../rules/ReplyAddress.ts"
import { sha256Hex } from "../rules/Sha256.ts"
import { refusalText } from "../rules/TicketActions.ts"
import { reply, type UploadedFile } from "./Reply.ts"
import { loadVisibleTicket, replyRefusalOf, type TicketReadError, type TicketReadServices } from "./Tickets.ts"
import type { Viewer } from "./Viewers.ts"

export type EmailRefusalCode = "unknown_recipient" | "sender_mismatch"

/** The mail is not for us or not from the contact the address was made for. Nothing was stored. */
export class EmailReplyRefused extends Data.TaggedError("EmailReplyRefused")<{
  readonly code: EmailRefusalCode
  readonly reason: string
}> {}

const REASONS: Record<EmailRefusalCode, string> = {
  unknown_recipient: "No such reply address.",
  sender_mismatch: "This reply address takes mail only from the address the notification was sent to.",
}

const refused = (code: EmailRefusalCode) => Effect.fail(new EmailReplyRefused({ code, reason: REASONS[code] }))

/** Who an accepted reply address stands for. */
export interface EmailReplyRecipient {
  readonly viewer: Viewer
  readonly ticketId: TicketId
  readonly contactEmail: string
}

const sameAddress = (a: string, b: string): boolean => a.length > 0 && normalizeEmail(a) === normalizeEmail(b)

/** P-NOT-5 The RCPT TO check: whom `recipient` stands for, if `sender` may write to it now. */
export const emailReplyRecipient = (
  secret: string,
  recipient: string,
  sender: string,
): Effect.Effect<
  EmailReplyRecipient,
  | EmailReplyRefused
  | ActionNotAllowed
  | Exclude<TicketReadError, { readonly _tag: "WorkspaceNotFound" | "ContactNotFound" }>,
  TicketReadServices
> =>
  Effect.gen(function* () {
    const target = parseReplyAddress(secret, recipient)
    if (target === null) return yield* refused("unknown_recipient")
    const viewer: Viewer = { workspaceId: target.workspaceId, contactId: target.contactId }
    const visible = yield* loadVisibleTicket(viewer, target.ticketId).pipe(
      Effect.catchTags({
        TicketNotFound: () => refused("unknown_recipient"),
        ContactNotFound: () => refused("unknown_recipient"),
        WorkspaceNotFound: () => refused("unknown_recipient"),
      }),
    )
    if (!sameAddress(visible.contact.email, sender)) return yield* refused("sender_mismatch")
    const refusal = replyRefusalOf(visible)
    if (refusal !== null)
      return yield* new ActionNotAllowed({ action: "reply", code: refusal, reason: refusalText(refusal) })
    return { viewer, ticketId: target.ticketId, contactEmail: visible.contact.email }
  })

/** An inbound mail as the listener parsed it. */
export interface InboundEmail {
  /** The RCPT TO address this copy is for. */
  readonly recipient: string
  /** The envelope sender (MAIL FROM). */
  readonly envelopeSender: string
  /** The addresses of the From header. */
  readonly from: ReadonlyArray<string>
  /** The text body (the HTML part as text when there is no text part). */
  readonly body: string
  readonly attachments: ReadonlyArray<UploadedFile>
  /** The Message-ID header, or a hash of the raw message when there is none. */
  readonly messageKey: string
}

/** P-NOT-5 Store an inbound reply as the contact's message on the ticket's visible thread. */
export const receiveEmailReply = (
  secret: string,
  mail: InboundEmail,
): Effect.Effect<
  ReplyResult,
  EmailReplyRefused | ActionNotAllowed | TicketReadError | TicketNotFound | ValidationFailed | Conflict,
  TicketReadServices | BlobStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const to = yield* emailReplyRecipient(secret, mail.recipient, mail.envelopeSender)
    const [from, ...others] = mail.from
    if (from === undefined || others.length > 0 || !sameAddress(to.contactEmail, from))
      return yield* refused("sender_mismatch")
    return yield* reply(to.viewer, {
      ticketId: to.ticketId,
      text: replyTextOf(mail.body),
      attachments: mail.attachments,
      idempotencyKey: `email:${sha256Hex(`${mail.messageKey}\u0000${to.ticketId}`)}`,
    })
  })
