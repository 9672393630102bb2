/**
 * @portal/storage-contract: the conformance suites every storage adapter runs. Each module
 * exports `suite(name, makeLayer, options)`; `all` registers every one of them.
 */
import * as AgentTicketsContract from "./AgentTicketsContract.ts"
import * as ApiTokenStoreContract from "./ApiTokenStoreContract.ts"
import * as BlobStoreContract from "./BlobStoreContract.ts"
import * as ContactStoreContract from "./ContactStoreContract.ts"
import type { MakeLayer, SuiteOptions } from "./Harness.ts"
import * as HousekeepingContract from "./HousekeepingContract.ts"
import * as IdempotencyContract from "./IdempotencyContract.ts"
import * as OutboxContract from "./OutboxContract.ts"
import * as ParticipantsContract from "./ParticipantsContract.ts"
import * as PendingRegistrationContract from "./PendingRegistrationContract.ts"
import * as ReplyContract from "./ReplyContract.ts"
import * as SatisfactionContract from "./SatisfactionContract.ts"
import * as SecurityStoreContract from "./SecurityStoreContract.ts"
import * as SessionStoreContract from "./SessionStoreContract.ts"
import * as SettingsStoreContract from "./SettingsStoreContract.ts"
import * as TicketLifecycleContract from "./TicketLifecycleContract.ts"
import * as TicketStoreContract from "./TicketStoreContract.ts"
import * as TicketSyncContract from "./TicketSyncContract.ts"
import * as WebhookContract from "./WebhookContract.ts"
import * as WorkspaceCatalogContract from "./WorkspaceCatalogContract.ts"
import * as WorkspaceStoreContract from "./WorkspaceStoreContract.ts"

export type { StorePorts } from "@portal/core/ports"
export type { ApiTokenBackdoor } from "./ApiTokenStoreContract.ts"
export { argon2idHash, workspaceDocument, workspaceDocumentWithLogins } from "./Arbitraries.ts"
export { demoDocument, forImport, normalize, testHash } from "./Documents.ts"
export type { Backdoor, MakeLayer, RowKind, SuiteOptions } from "./Harness.ts"
export { ROW_KINDS } from "./Harness.ts"
export type { IdempotencyBackdoor, IdempotencyRow } from "./IdempotencyContract.ts"
export {
  AgentTicketsContract,
  ApiTokenStoreContract,
  BlobStoreContract,
  ContactStoreContract,
  HousekeepingContract,
  IdempotencyContract,
  OutboxContract,
  ParticipantsContract,
  PendingRegistrationContract,
  ReplyContract,
  SatisfactionContract,
  SecurityStoreContract,
  SessionStoreContract,
  SettingsStoreContract,
  TicketLifecycleContract,
  TicketStoreContract,
  TicketSyncContract,
  WebhookContract,
  WorkspaceCatalogContract,
  WorkspaceStoreContract,
}

export const suites = [
  WorkspaceStoreContract,
  WorkspaceCatalogContract,
  TicketStoreContract,
  AgentTicketsContract,
  ReplyContract,
  IdempotencyContract,
  TicketLifecycleContract,
  TicketSyncContract,
  ContactStoreContract,
  SettingsStoreContract,
  SessionStoreContract,
  SecurityStoreContract,
  PendingRegistrationContract,
  ApiTokenStoreContract,
  BlobStoreContract,
  OutboxContract,
  WebhookContract,
  HousekeepingContract,
  ParticipantsContract,
  SatisfactionContract,
] as const

/** Registers every suite against one adapter. */
export const all = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}): void => {
  for (const s of suites) s.suite(name, makeLayer, options)
}
