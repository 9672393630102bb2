/**
 * @portal/storage-memory: the reference storage adapter, for tests and demos. Every store port
 * over one in-memory state; each write is all-or-nothing. `layerMemory` starts empty on every build.
 */
import {
  ApiTokenStore,
  BlobStore,
  ContactStore,
  EventWakeups,
  OutboxStore,
  SecurityStore,
  SessionStore,
  SettingsStore,
  type StorePorts,
  TicketStore,
  WebhookStore,
  WorkspaceStore,
} from "@portal/core/ports"
import { Effect, Layer } from "effect"
import { apiTokenStore } from "./ApiTokenMemory.ts"
import { contactStore } from "./ContactMemory.ts"
import { outboxStore } from "./OutboxMemory.ts"
import { blobStore, securityStore, sessionStore } from "./SecurityMemory.ts"
import { type MemoryDb, makeMemoryDb } from "./State.ts"
import { ticketStore } from "./TicketMemory.ts"
import { webhookStore } from "./WebhookMemory.ts"
import { settingsStore, workspaceStore } from "./WorkspaceMemory.ts"

/** All store ports over the given state (share it with `memoryBackdoor` to inspect it). */
export const layerMemoryWith = (db: MemoryDb): Layer.Layer<StorePorts> =>
  Layer.mergeAll(
    Layer.succeed(WorkspaceStore, workspaceStore(db)),
    Layer.succeed(SettingsStore, settingsStore(db)),
    Layer.succeed(ContactStore, contactStore(db)),
    Layer.succeed(TicketStore, ticketStore(db)),
    Layer.succeed(BlobStore, blobStore(db)),
    Layer.succeed(SessionStore, sessionStore(db)),
    Layer.succeed(SecurityStore, securityStore(db)),
    Layer.succeed(ApiTokenStore, apiTokenStore(db)),
    Layer.succeed(EventWakeups, {
      subscribe: (listener) =>
        Effect.sync(() => {
          db.wakeups.listeners.add(listener)
          return Effect.sync(() => {
            db.wakeups.listeners.delete(listener)
          })
        }),
    }),
    Layer.succeed(OutboxStore, outboxStore(db)),
    Layer.succeed(WebhookStore, webhookStore(db)),
  )

/** All store ports over a fresh, empty state. */
export const layerMemory: Layer.Layer<StorePorts> = Layer.suspend(() => layerMemoryWith(makeMemoryDb()))

export { type ApiTokenRow, apiTokenRows } from "./ApiTokenMemory.ts"
export { memoryBackdoor } from "./Backdoor.ts"
export { type MemoryDb, type MemoryState, makeMemoryDb } from "./State.ts"
export * from "./System.ts"
