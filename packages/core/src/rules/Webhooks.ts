/**
 * Webhooks (P-HOOK-1, P-HOOK-2): which events an endpoint gets, what a delivery carries, when it
 * is tried again, and when an endpoint is switched off.
 * - P-HOOK-1 Events: every change on the one event stream maps to at most one webhook event type:
 *   ticketCreated → `ticket.created`; a message (reply, message.agent, message.customer) by a
 *   contact → `message.customer`, by an agent → `message.agent` (an internal comment → nothing);
 *   stageChanged → `ticket.stageChanged`; close / ticket.closed → `ticket.closed`;
 *   ticket.rated → `ticket.rated`. Other kinds (notes, owner changes, updates) send nothing.
 * - The payload is Standard Webhooks' `{ type, timestamp, data }`: the ticket id and subject, the
 *   message text for messages, the stage for stage changes; never an internal note or comment.
 * - Retries: a failed attempt is tried again after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 10 h
 *   (about 37.5 h in all, past the 24 h the spec asks), then the delivery is given up ("failed").
 * - An endpoint whose deliveries have failed without a success for 3 days is disabled; a success
 *   clears the failing time. The admin re-enables it.
 * - P-HOOK-2 URLs: `https://` only, no user info, at most 2000 characters (the host's sender
 *   then refuses private and loopback addresses, usecases/Webhooks.ts and WebhookSender).
 */
import { type FieldIssue, fieldIssue } from "../domain/Issues.ts"

export const WEBHOOK_EVENTS = [
  "ticket.created",
  "message.customer",
  "message.agent",
  "ticket.stageChanged",
  "ticket.closed",
  "ticket.rated",
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

export const isWebhookEvent = (s: string): s is WebhookEventType =>
  (WEBHOOK_EVENTS as ReadonlyArray<string>).includes(s)

/** What the mapping needs to know of the event's message, if it has one. */
export interface WebhookMessageFacts {
  readonly authorType: "contact" | "agent"
  readonly kind: "message" | "comment"
}

const MESSAGE_KINDS = new Set(["reply", "message.agent", "message.customer"])

/** The webhook event type of an internal event kind, or null (P-HOOK-1). */
export const webhookEventOf = (kind: string, message: WebhookMessageFacts | null): WebhookEventType | null => {
  if (MESSAGE_KINDS.has(kind)) {
    if (message === null || message.kind !== "message") return null
    return message.authorType === "contact" ? "message.customer" : "message.agent"
  }
  switch (kind) {
    case "ticketCreated":
    case "ticket.created":
      return "ticket.created"
    case "stageChanged":
    case "ticket.stageChanged":
      return "ticket.stageChanged"
    case "close":
    case "ticket.closed":
      return "ticket.closed"
    case "ticket.rated":
      return "ticket.rated"
    default:
      return null
  }
}

export interface WebhookPayloadInput {
  readonly type: WebhookEventType
  readonly at: string
  readonly ticket: { readonly id: string; readonly subject: string }
  readonly message?: { readonly id: string; readonly text: string; readonly authorType: "contact" | "agent" }
  readonly stage?: { readonly id: string; readonly name: string; readonly state: string }
  readonly rating?: { readonly rating: string; readonly comment?: string | undefined }
}

/** The JSON body of a delivery (Standard Webhooks: type, timestamp, data). */
export const webhookPayload = (input: WebhookPayloadInput) => ({
  type: input.type,
  timestamp: input.at,
  data: {
    ticketId: input.ticket.id,
    subject: input.ticket.subject,
    ...(input.message === undefined ? {} : { message: input.message }),
    ...(input.stage === undefined ? {} : { stage: input.stage }),
    ...(input.rating === undefined ? {} : { rating: input.rating }),
  },
})

const S = 1000
const MIN = 60 * S
const H = 60 * MIN
/** The waits after the 1st, 2nd … failed attempt; past the last one the delivery is given up. */
export const WEBHOOK_RETRY_SCHEDULE_MS: ReadonlyArray<number> = [
  5 * S,
  5 * MIN,
  30 * MIN,
  2 * H,
  5 * H,
  10 * H,
  10 * H,
  10 * H,
]
/** Attempts in all: the first and one per wait. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_MS.length + 1

/** The wait before the next attempt after `attempts` failed ones, or null: give up. */
export const webhookRetryDelayMs = (attempts: number): number | null =>
  attempts < 1 || attempts > WEBHOOK_RETRY_SCHEDULE_MS.length ? null : (WEBHOOK_RETRY_SCHEDULE_MS[attempts - 1] ?? null)

/** An endpoint failing without a success this long is disabled. */
export const WEBHOOK_DISABLE_AFTER_MS = 3 * 24 * H

/** Whether an endpoint failing since `failingSinceMs` (null: not failing) is disabled at `nowMs`. */
export const shouldDisableEndpoint = (failingSinceMs: number | null, nowMs: number): boolean =>
  failingSinceMs !== null && nowMs - failingSinceMs >= WEBHOOK_DISABLE_AFTER_MS

export const WEBHOOK_URL_MAX = 2000

/** The issues of an endpoint URL's form (P-HOOK-2); the address check is the sender's. */
export const webhookUrlIssues = (url: string, options: { readonly allowHttp: boolean }, path = "url") => {
  const issues: Array<FieldIssue> = []
  if (url.trim() === "") return [fieldIssue(path, "required", "Enter the endpoint's URL.")]
  if (url.length > WEBHOOK_URL_MAX)
    return [fieldIssue(path, "too_long", "The URL is too long.", { max: WEBHOOK_URL_MAX })]
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return [fieldIssue(path, "invalid_url", "Enter a full URL, like https://hooks.example.com/portal.")]
  }
  const httpAllowed = options.allowHttp && parsed.protocol === "http:"
  if (parsed.protocol !== "https:" && !httpAllowed)
    issues.push(fieldIssue(path, "webhook_url_not_https", "Webhook endpoints must use https://."))
  else if (parsed.username !== "" || parsed.password !== "")
    issues.push(fieldIssue(path, "invalid_url", "Leave the user name and password out of the URL."))
  return issues
}

/** The issues of the chosen events: at least one, each known, none twice. */
export const webhookEventsIssues = (events: ReadonlyArray<string>, path = "events") => {
  if (events.length === 0) return [fieldIssue(path, "required", "Choose at least one event.")]
  const bad = events.filter((e) => !isWebhookEvent(e))
  if (bad.length > 0)
    return [fieldIssue(path, "invalid_input", `Unknown event ${JSON.stringify(bad[0])}.`, { value: bad[0] ?? "" })]
  if (new Set(events).size !== events.length) return [fieldIssue(path, "invalid_input", "An event is chosen twice.")]
  return []
}

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/

export const isWebhookSecret = (s: string): boolean => WEBHOOK_SECRET_PATTERN.test(s)

/** A new secret from 32 random bytes (base64, as the spec writes it). */
export const newWebhookSecret = (): string => {
  const bytes = new Uint8Array(32)
  globalThis.crypto.getRandomValues(bytes)
  let binary = ""
  for (const b of bytes) binary += String.fromCharCode(b)
  return `whsec_${btoa(binary)}`
}
