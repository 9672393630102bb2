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
  let source: EventSource | null = null
  let retry: ReturnType<typeof setTimeout> | undefined
  let delay = 2_000
  let stopped = false
  const handle = (message: MessageEvent<string>) => {
    const event = parseLiveEvent(message.data)
    if (event) onEvent(event)
  }
  const connect = () => {
    const current = new EventSource(EVENTS_PATH)
    source = current
    // Events may come unnamed ("message") or named by their kind; both are handled the same way.
    current.addEventListener("message", handle)
    for (const name of ["ticket", "change", "ticketCreated", "reply", "ticket.created", "message.customer"])
      current.addEventListener(name, handle as EventListener)
    current.addEventListener("open", () => {
      delay = 2_000
      onStatus(true)
    })
    current.addEventListener("error", () => {
      onStatus(current.readyState === EventSource.OPEN)
      // The browser retries a dropped stream itself; a refused one (an error status) is closed for
      // good, so try again later, waiting longer each time (Last-Event-ID is lost then: the page
      // refreshes once it is back).
      if (current.readyState === EventSource.CLOSED && !stopped) {
        retry = setTimeout(connect, delay)
        delay = Math.min(delay * 2, 60_000)
      }
    })
  }
  connect()
  return () => {
    stopped = true
    clearTimeout(retry)
    source?.close()
  }
}
