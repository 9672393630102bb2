/**
 * Wake-ups for the one event stream's live consumers (events.md, P-AGT-4): after an event row is
 * committed, listeners hear (workspaceId, sequence). On PostgreSQL this is LISTEN on the channel
 * `portal_events` that every event insert notifies in its transaction, so a commit on any server
 * process reaches every process; on PGlite and in memory, the process's own writes.
 * A wake-up is a hint, never the data: consumers read `TicketStore.events` after their own cursor,
 * so a lost or repeated wake-up loses or repeats nothing.
 */
import { Context, type Effect } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"

export type EventListener = (workspaceId: WorkspaceId, sequence: number) => void

export interface EventWakeupsShape {
  /** Start hearing wake-ups; the returned effect stops it. */
  readonly subscribe: (listener: EventListener) => Effect.Effect<Effect.Effect<void>>
}

export class EventWakeups extends Context.Service<EventWakeups, EventWakeupsShape>()("@portal/core/EventWakeups") {}

/** In-process wake-ups: a set of listeners (memory, PGlite, and the fan-out of PostgreSQL's). */
export const makeLocalWakeups = () => {
  const listeners = new Set<EventListener>()
  return {
    publish: (workspaceId: WorkspaceId, sequence: number) => {
      for (const listener of [...listeners]) {
        try {
          listener(workspaceId, sequence)
        } catch {
          // A listener's failure is its own; the others still hear.
        }
      }
    },
    listeners,
  }
}
