/**
 * EventWakeups on PostgreSQL (events.md, P-AGT-4): every event insert runs
 * `pg_notify('portal_events', '<workspaceId>:<sequence>')` in its transaction (TicketSql.ts
 * `appendEvent`), delivered on commit to every listening connection: on a server, each process
 * LISTENs on one dedicated connection and fans the wake-up out to its own listeners; PGlite
 * delivers its own notifications in-process. The connection opens with the first subscriber.
 */
import type { WorkspaceId } from "@portal/core/domain"
import { EventWakeups, makeLocalWakeups } from "@portal/core/ports"
import { Effect, Layer } from "effect"
import { Database } from "../Database.ts"

export const EVENTS_CHANNEL = "portal_events"

/** "<workspaceId>:<sequence>" → its parts (a workspace id may itself contain ':'). */
export const parseWakeup = (payload: string): { workspaceId: WorkspaceId; sequence: number } | null => {
  const at = payload.lastIndexOf(":")
  if (at <= 0) return null
  const sequence = Number(payload.slice(at + 1))
  return Number.isSafeInteger(sequence) ? { workspaceId: payload.slice(0, at) as WorkspaceId, sequence } : null
}

export const layerEventWakeups = Layer.effect(
  EventWakeups,
  Effect.gen(function* () {
    const db = yield* Database
    const local = makeLocalWakeups()
    let listening: Promise<(() => Promise<void>) | null> | null = null
    const start = () => {
      const listen = db.driver.listen
      listening ??=
        listen === undefined
          ? Promise.resolve(null)
          : listen(EVENTS_CHANNEL, (payload) => {
              const wakeup = parseWakeup(payload)
              if (wakeup !== null) local.publish(wakeup.workspaceId, wakeup.sequence)
            }).catch(() => null)
      return listening
    }
    yield* Effect.addFinalizer(() =>
      Effect.promise(async () => {
        const stop = listening === null ? null : await listening
        await stop?.().catch(() => {})
      }),
    )
    return EventWakeups.of({
      subscribe: (listener) =>
        Effect.promise(async () => {
          local.listeners.add(listener)
          await start()
          return Effect.sync(() => {
            local.listeners.delete(listener)
          })
        }),
    })
  }),
)
