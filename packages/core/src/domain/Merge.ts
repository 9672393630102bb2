/**
 * How the helpdesk's copy of a ticket or note meets the one the portal has (the integration
 * API's upserts). Every storage adapter uses these, so they agree on what "changed" means:
 * - a ticket keeps its creation time, and its last activity only moves forward (a customer's
 *   reply newer than the helpdesk's copy is not undone by a sync);
 * - an update that changes nothing is not a change (no write, no event);
 * - a note is the same note when every field is equal (a retried add), else a different one.
 */
import type { Note, Ticket } from "./Entities.ts"
import { type IsoTime, timeMs } from "./Ids.ts"

/** The later of two times (the first one when they are the same instant). */
export const laterTime = (a: IsoTime, b: IsoTime): IsoTime => (timeMs(b) > timeMs(a) ? b : a)

/** The stored ticket after an update with the helpdesk's copy. */
export const mergeTicket = (stored: Ticket, given: Ticket): Ticket => ({
  // P-EXT-1: a copy without participants keeps the portal's (the requester shares, not the helpdesk).
  ...(stored.participantIds === undefined ? {} : { participantIds: stored.participantIds }),
  ...given,
  createdAt: stored.createdAt,
  lastActivityAt: laterTime(stored.lastActivityAt, given.lastActivityAt),
})

const sortedEntries = (record: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/** Equal field by field (property order and absent optional keys do not matter). */
export const sameTicket = (a: Ticket, b: Ticket): boolean =>
  a.id === b.id &&
  a.subject === b.subject &&
  a.content === b.content &&
  a.pipelineId === b.pipelineId &&
  a.stageId === b.stageId &&
  a.ownerId === b.ownerId &&
  a.requesterId === b.requesterId &&
  a.createdAt === b.createdAt &&
  a.lastActivityAt === b.lastActivityAt &&
  sortedEntries(a.properties) === sortedEntries(b.properties) &&
  a.contactIds.join("\u0000") === b.contactIds.join("\u0000") &&
  a.companyIds.join("\u0000") === b.companyIds.join("\u0000") &&
  (a.participantIds ?? []).join("\u0000") === (b.participantIds ?? []).join("\u0000")

export const sameNote = (a: Note, b: Note): boolean =>
  a.id === b.id &&
  a.ticketId === b.ticketId &&
  a.authorId === b.authorId &&
  a.createdAt === b.createdAt &&
  a.text === b.text
