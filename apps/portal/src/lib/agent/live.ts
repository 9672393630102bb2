/**
 * Live updates of the agent workspace (P-AGT-4): the server's `GET /agent/events` stream
 * (server-sent events, one per change of a ticket of the workspace: kind, ticketId, sequence).
 * The browser's EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed
 * across a short drop; the pages only say when the stream is down.
 */

export const EVENTS_PATH = "/agent/events"

/** What a page does with an event: a new ticket, a customer's message, or any other change. */
export type LiveKind = "created" | "customerReplied" | "changed"

export interface LiveEvent {
  readonly kind: LiveKind
  readonly ticketId: string
  readonly sequence: number
}

/** The event stream's kinds (the events feed's and the webhook names of WORKSPACE_FORMAT) by what they mean here. */
export const liveKindOf = (kind: string): LiveKind =>
  kind === "ticketCreated" || kind === "ticket.created"
    ? "created"
    : kind === "reply" || kind === "message.customer" || kind === "customerReplied"
      ? "customerReplied"
      : "changed"

/** One event of the stream's data, or null when it is not one (a comment, a malformed line). */
export const parseLiveEvent = (data: string): LiveEvent | null => {
  try {
    const value = JSON.parse(data) as { kind?: unknown; ticketId?: unknown; sequence?: unknown }
    if (typeof value.kind !== "string" || typeof value.ticketId !== "string") return null
    return { kind: liveKindOf(value.kind), ticketId: value.ticketId, sequence: Number(value.sequence ?? 0) }
  } catch {
    return null
  }
}

/**
 * Subscribes to the stream until the returned function is called. `onEvent` gets every change;
 * `onStatus(false)` when the connection drops (EventSource retries), `true` when it is back.
 */
export const subscribe = (
  onEvent: (event: LiveEvent) => void,
  onStatus: (connected: boolean) => void,
): (() => void) => {
  if (typeof EventSource === "undefined") return () => undefined
  const source = new EventSource(EVENTS_PATH)
  const handle = (message: MessageEvent<string>) => {
    const event = parseLiveEvent(message.data)
    if (event) onEvent(event)
  }
  // Events may come unnamed ("message") or named by their kind; both are handled the same way.
  source.addEventListener("message", handle)
  for (const name of ["ticket", "change", "ticketCreated", "reply", "ticket.created", "message.customer"])
    source.addEventListener(name, handle as EventListener)
  source.addEventListener("open", () => onStatus(true))
  source.addEventListener("error", () => onStatus(source.readyState === EventSource.OPEN))
  return () => source.close()
}
