/**
 * A customer shares a ticket with colleagues (P-EXT-1): add participants by email, remove them.
 * - The ticket must be one the viewer sees (TicketNotFound otherwise, P-VIS-4), and the viewer
 *   must be its requester (ActionNotAllowed `not_requester`): a participant, or a colleague who
 *   sees it through the company scope, cannot share it further.
 * - Emails are checked before anything is written (ValidationFailed). An address with no contact
 *   in the workspace becomes a contact with no company, no login and no consent: being a
 *   participant of this ticket is all it gives them.
 * - The store applies the change under the ticket's lock with the limit (rules/Participants.ts).
 */
import { Effect, Option } from "effect"
import type { ContactId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { ActionNotAllowed, type MissingReference, type TicketNotFound, ValidationFailed } from "../ports/Errors.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import { type ChangeParticipantsResult, TicketStore } from "../ports/TicketStore.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { checkParticipantEmails, MAX_PARTICIPANTS, tooManyParticipants } from "../rules/Participants.ts"
import type { CustomerRef } from "./Callers.ts"
import { loadVisibleTicket, type TicketReadError, type TicketReadServices } from "./Tickets.ts"

/** The contacts of these (checked, normalized) emails; an unknown address becomes a new contact. */
export const contactsForEmails = (
  workspaceId: WorkspaceId,
  emails: ReadonlyArray<string>,
): Effect.Effect<ReadonlyArray<ContactId>, StoreError, ContactStore | IdGenerator> =>
  Effect.gen(function* () {
    const contacts = yield* ContactStore
    const ids = yield* IdGenerator
    const out: Array<ContactId> = []
    for (const email of emails) {
      const found = yield* contacts.findByEmail(workspaceId, email)
      if (Option.isSome(found)) out.push(found.value.id)
      else {
        // No company, no password, no consent: a participant only (P-EXT-1).
        const created = yield* contacts.upsert(workspaceId, {
          id: (yield* ids.next("contact")) as ContactId,
          email,
          passwordHash: null,
        })
        out.push(created.id)
      }
    }
    return out
  })

const refuseNotRequester = () =>
  new ActionNotAllowed({
    action: "participants",
    code: "not_requester",
    reason: "Only the ticket's requester can add or remove participants.",
  })

export type ParticipantsError =
  | TicketReadError
  | TicketNotFound
  | ActionNotAllowed
  | ValidationFailed
  | MissingReference

const change = (
  viewer: CustomerRef,
  ticketId: TicketId,
  build: (
    workspaceId: WorkspaceId,
  ) => Effect.Effect<
    { readonly add: ReadonlyArray<ContactId>; readonly remove: ReadonlyArray<ContactId> },
    StoreError,
    ContactStore | IdGenerator
  >,
): Effect.Effect<ChangeParticipantsResult, ParticipantsError, TicketReadServices | Clock | IdGenerator> =>
  Effect.gen(function* () {
    const v = yield* loadVisibleTicket(viewer, ticketId)
    if (v.ticket.requesterId !== v.contact.id) return yield* refuseNotRequester()
    const workspaceId = v.scope.workspaceId
    const { add, remove } = yield* build(workspaceId)
    const ids = yield* IdGenerator
    const result = yield* (yield* TicketStore).changeParticipants({
      workspaceId,
      ticketId,
      // The requester is on the ticket already: adding themselves adds nothing.
      add: add.filter((id) => id !== v.contact.id),
      remove,
      max: MAX_PARTICIPANTS,
      at: yield* (yield* Clock).now(),
      eventId: yield* ids.next("evt"),
    })
    if (result.overLimit) return yield* new ValidationFailed({ issues: [tooManyParticipants("emails")] })
    return result
  })

/** P-EXT-1: the requester adds participants by email. */
export const addParticipants = (viewer: CustomerRef, ticketId: TicketId, emails: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    // Checked before the ticket is read: a hostile input changes nothing and tells nothing.
    const checked = checkParticipantEmails(emails)
    if (!checked.ok) return yield* new ValidationFailed({ issues: checked.issues })
    return yield* change(viewer, ticketId, (ws) =>
      contactsForEmails(ws, checked.emails).pipe(Effect.map((add) => ({ add, remove: [] }))),
    )
  })

/** P-EXT-1: the requester removes a participant. */
export const removeParticipant = (viewer: CustomerRef, ticketId: TicketId, contactId: ContactId) =>
  change(viewer, ticketId, () => Effect.succeed({ add: [], remove: [contactId] }))
