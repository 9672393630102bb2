/**
 * Which events mail whom (P-NOT). Every path that writes an event (portal, support form,
 * integration API, agent workspace) is read by the same consumer through this one rule; an
 * import writes no event and so never mails.
 * - P-NOT-1 An agent's message that the customer's side shows (P-COM: kind "message" on the
 *   ticket's visible thread) mails the recipients: `agentMessage`. An internal comment, a note, or a
 *   message on a thread the portal hides mails nobody, and so does a customer's own message.
 * - P-NOT-2 A ticket created through the support form (its first message, by the customer, on a
 *   "form" thread the portal shows) sends the confirmation: `formConfirmation`. A change that leaves
 *   the ticket in a closed stage, made by an agent or integration (stageChanged, ticket.closed),
 *   sends `closed`; a customer closing their own ticket (event "close") does not.
 * - P-NOT-3 A contact who unsubscribed gets nothing; each kind can be switched off in the settings.
 * - P-NOT-4 Recipients: the requester, then the participants (P-EXT-1, an empty list until it exists),
 *   each once.
 */
import type { Channel } from "../domain/Entities.ts"
import type { ContactId } from "../domain/Ids.ts"
import type { NotificationSettings } from "../domain/PortalSettings.ts"
import type { NotificationKind } from "../ports/Outbox.ts"

/** The event kinds of an agent's or a customer's message (today's and events.md's names). */
const MESSAGE_EVENTS = new Set(["reply", "message.agent", "message.customer"])
const CREATED_EVENTS = new Set(["ticketCreated", "ticket.created"])
const CLOSING_EVENTS = new Set(["stageChanged", "ticket.stageChanged", "ticket.closed"])

export interface Recipient {
  readonly id: ContactId
  readonly unsubscribed: boolean
}

export interface NotificationInput {
  readonly event: { readonly kind: string; readonly messageId: string | null }
  /**
   * The event's message as the customer's side shows it (kind "message" on the visible thread,
   * P-COM), with its author's type and the thread's channel; null when the customer's side does
   * not show it (a comment, a note, another thread) or the event has no message.
   */
  readonly shownMessage: { readonly authorType: "contact" | "agent"; readonly channel: Channel } | null
  /** The ticket's stage is closed now. */
  readonly ticketClosed: boolean
  readonly requester: Recipient | null
  /** P-EXT-1 participants (none until that exists). */
  readonly participants: ReadonlyArray<Recipient>
  readonly settings: NotificationSettings | undefined
}

export interface PlannedNotification {
  readonly kind: NotificationKind
  readonly contactId: ContactId
}

/** Every email on when the settings say nothing. */
export const DEFAULT_NOTIFICATIONS: NotificationSettings = { agentMessage: true, formConfirmation: true, closed: true }

/** The kind of notification an event is, if any (before recipients and settings). */
export const notificationKindOf = (input: Omit<NotificationInput, "requester" | "participants" | "settings">) => {
  const { event, shownMessage } = input
  if (MESSAGE_EVENTS.has(event.kind)) return shownMessage?.authorType === "agent" ? ("agentMessage" as const) : null
  if (CREATED_EVENTS.has(event.kind))
    return shownMessage?.authorType === "contact" && shownMessage.channel === "form"
      ? ("formConfirmation" as const)
      : null
  if (CLOSING_EVENTS.has(event.kind)) return input.ticketClosed ? ("closed" as const) : null
  return null
}

/** The mails one event asks for: one per kind and subscribed recipient. */
export const notificationsFor = (input: NotificationInput): ReadonlyArray<PlannedNotification> => {
  const kind = notificationKindOf(input)
  if (kind === null) return []
  if (!(input.settings ?? DEFAULT_NOTIFICATIONS)[kind]) return []
  const seen = new Set<string>()
  const out: Array<PlannedNotification> = []
  for (const r of [...(input.requester === null ? [] : [input.requester]), ...input.participants]) {
    if (r.unsubscribed || seen.has(r.id)) continue
    seen.add(r.id)
    out.push({ kind, contactId: r.id })
  }
  return out
}
