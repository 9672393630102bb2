/**
 * Participants (CC) of a ticket (P-EXT-1, P-NOT-4).
 * - The requester adds colleagues by email, on the support form and later on the ticket page;
 *   only the requester (and agents) add or remove them: a participant cannot add others.
 * - Emails are checked as everywhere (rules/Credentials.ts): trimmed, lower-cased, each a valid
 *   address; duplicates count once; the requester's own address adds nothing.
 * - At most MAX_PARTICIPANTS per ticket, at most MAX_PARTICIPANTS addresses per request.
 * - What a participant sees and gets is rules/Visibility.ts (view "shared") and
 *   rules/Notifications.ts (the requester's emails).
 */
import { type FieldIssue, fieldIssue } from "../domain/Issues.ts"
import { emailIssues, normalizeEmail } from "./Credentials.ts"

export const MAX_PARTICIPANTS = 20

/** The issue when a ticket would have more participants than allowed. */
export const tooManyParticipants = (path: string): FieldIssue =>
  fieldIssue(path, "too_many_participants", `A ticket can be shared with at most ${MAX_PARTICIPANTS} people.`, {
    max: MAX_PARTICIPANTS,
  })

/**
 * Checks a list of participant emails: the normalized, de-duplicated addresses, or every problem
 * (path `<path>.<index>` for an address, `<path>` for the count). An empty list is fine.
 */
export const checkParticipantEmails = (
  emails: ReadonlyArray<string>,
  path = "emails",
):
  | { readonly ok: true; readonly emails: ReadonlyArray<string> }
  | { readonly ok: false; readonly issues: ReadonlyArray<FieldIssue> } => {
  if (emails.length > MAX_PARTICIPANTS) return { ok: false, issues: [tooManyParticipants(path)] }
  const issues = emails.flatMap((e, i) => emailIssues(e, `${path}.${i}`))
  if (issues.length > 0) return { ok: false, issues }
  return { ok: true, emails: [...new Set(emails.map(normalizeEmail))] }
}

/**
 * Splits a CC field's text ("a@x.test, b@y.test; c@z.test" or one per line) into addresses;
 * blank parts are dropped.
 */
export const splitEmailList = (text: string): ReadonlyArray<string> =>
  text
    .split(/[\s,;]+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

/**
 * The participants after a change (every adapter applies it the same way): removed ids go, added
 * ids not there yet join at the end in the given order. `overLimit`: the result would have more
 * than `max` (then nothing changes).
 */
export const applyParticipantChange = <Id extends string>(
  current: ReadonlyArray<Id>,
  change: { readonly add: ReadonlyArray<Id>; readonly remove: ReadonlyArray<Id>; readonly max: number },
): { readonly participantIds: ReadonlyArray<Id>; readonly changed: boolean; readonly overLimit: boolean } => {
  const next = current.filter((id) => !change.remove.includes(id))
  for (const id of change.add) if (!next.includes(id)) next.push(id)
  if (next.length > change.max) return { participantIds: current, changed: false, overLimit: true }
  const changed = next.length !== current.length || next.some((id, i) => id !== current[i])
  return { participantIds: changed ? next : current, changed, overLimit: false }
}
