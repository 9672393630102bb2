/**
 * Which communications a ticket shows to the customer.
 * - P-COM-1 Only threads tied to the ticket on the channels chat, messenger, form and email, and
 *   only where the thread's inbox is connected: its `inboxId` is set and names an inbox that exists.
 * - P-COM-2 Email through an address not connected to an inbox (`inboxId` null) never appears.
 * - P-COM-3 Internal comments (messages of kind "comment") and notes never appear. Notes are not
 *   even an input here: nothing on the customer's side reads them.
 * - P-COM-4 Of the allowed threads, only the original one appears: the earliest by `createdAt`
 *   compared as instants (times in different zones compare correctly), ties broken by id.
 */
import type { Channel, Message } from "../domain/Entities.ts"
import { type InboxId, timeMs } from "../domain/Ids.ts"
import type { ThreadHead } from "../domain/ReadModels.ts"

/** The channels a customer can see (P-COM-1). */
export const CUSTOMER_CHANNELS: ReadonlyArray<Channel> = ["chat", "messenger", "form", "email"]

/** The inboxes that exist in the workspace, as a set for the connection check. */
export type KnownInboxes = ReadonlySet<string> | ReadonlyArray<{ readonly id: InboxId }>

const inboxSet = (inboxes: KnownInboxes): ReadonlySet<string> =>
  inboxes instanceof Set ? inboxes : new Set((inboxes as ReadonlyArray<{ readonly id: InboxId }>).map((i) => i.id))

/** May this thread ever be shown (P-COM-1, P-COM-2)? */
export const isThreadAllowed = (thread: Pick<ThreadHead, "channel" | "inboxId">, inboxes: KnownInboxes): boolean =>
  CUSTOMER_CHANNELS.includes(thread.channel) && thread.inboxId !== null && inboxSet(inboxes).has(thread.inboxId)

/** Earlier first; the same instant falls back to the id so the choice never depends on input order. */
export const compareThreads = (a: Pick<ThreadHead, "createdAt" | "id">, b: Pick<ThreadHead, "createdAt" | "id">) => {
  const byTime = timeMs(a.createdAt) - timeMs(b.createdAt)
  if (byTime !== 0) return byTime
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * The one thread the customer sees (P-COM-4), or null when none is allowed (the ticket still
 * opens with its properties, P-VIS-6).
 */
export const visibleThread = <T extends Pick<ThreadHead, "channel" | "inboxId" | "createdAt" | "id">>(
  threads: ReadonlyArray<T>,
  inboxes: KnownInboxes,
): T | null => {
  const known = inboxSet(inboxes)
  let best: T | null = null
  for (const thread of threads) {
    if (!isThreadAllowed(thread, known)) continue
    if (best === null || compareThreads(thread, best) < 0) best = thread
  }
  return best
}

/** The messages of a thread a customer may read: never internal comments (P-COM-3). */
export const customerMessages = <M extends Pick<Message, "kind">>(messages: ReadonlyArray<M>): ReadonlyArray<M> =>
  messages.filter((m) => m.kind === "message")
