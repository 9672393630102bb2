/** Every store port: what a storage adapter's layer provides (memory, PostgreSQL, PGlite). */
import type { ApiTokenStore } from "./ApiTokenStore.ts"
import type { BlobStore } from "./BlobStore.ts"
import type { CallerStore } from "./CallerStore.ts"
import type { ContactStore } from "./ContactStore.ts"
import type { EventWakeups } from "./EventWakeups.ts"
import type { OutboxStore } from "./Outbox.ts"
import type { SecurityStore } from "./SecurityStore.ts"
import type { SessionStore } from "./SessionStore.ts"
import type { SettingsStore } from "./SettingsStore.ts"
import type { TicketStore } from "./TicketStore.ts"
import type { WebhookStore } from "./WebhookStore.ts"
import type { WorkspaceStore } from "./WorkspaceStore.ts"

export type StorePorts =
  | WorkspaceStore
  | SettingsStore
  | ContactStore
  | TicketStore
  | BlobStore
  | SessionStore
  | CallerStore
  | SecurityStore
  | ApiTokenStore
  | EventWakeups
  | OutboxStore
  | WebhookStore
