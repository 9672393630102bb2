/**
 * Workspaces, their domains and helpdesk catalog (pipelines, inboxes, forms, lists, agents,
 * companies), and whole-document import/export (WORKSPACE_FORMAT.md). Import replaces the
 * workspace in one transaction: a failed import changes nothing. The single writes below are one
 * transaction each too; a write to a workspace that does not exist is a StorageError.
 */
import { Context, type Effect, type Option } from "effect"
import type {
  AgentProfile,
  Branding,
  Company,
  ContactList,
  Domain,
  Form,
  Inbox,
  Pipeline,
  Workspace,
} from "../domain/Entities.ts"
import type { AgentId, AttachmentId, WorkspaceId } from "../domain/Ids.ts"
import type { WorkspaceDocument } from "../domain/WorkspaceDocument.ts"
import type { Conflict, MissingReference, StorageError, StorageUnavailable } from "./Errors.ts"

export type StoreError = StorageError | StorageUnavailable

/** The reference data the rules need; small, loaded whole. Agents carry no password. */
export interface Catalog {
  readonly workspace: Workspace
  readonly domains: ReadonlyArray<Domain>
  readonly agents: ReadonlyArray<AgentProfile>
  readonly pipelines: ReadonlyArray<Pipeline>
  readonly inboxes: ReadonlyArray<Inbox>
  readonly forms: ReadonlyArray<Form>
  /** Lists without members (membership is asked per contact through ContactStore). */
  readonly lists: ReadonlyArray<Omit<ContactList, "contactIds">>
}

/**
 * What the import use-case decides for the store, beyond the document: the hashes of the
 * document's plain passwords, and the id of every attachment (the document carries none).
 */
export interface ImportSecrets {
  readonly contactPasswordHashes: ReadonlyMap<string, string>
  readonly agentPasswordHashes: ReadonlyMap<string, string>
  /**
   * The id of each attachment, by message id, then by the attachment's index in the message's
   * `attachments`. Random and unguessable (IdGenerator, the same shape as a reply's attachment
   * ids), never derived from the message id: a customer cannot name a file they were not shown
   * (P-VIS-4, docs/visibility-timing.md). The store keeps exactly these ids; an attachment
   * without one fails the import. A re-import replaces the workspace, so its files get new ids.
   */
  readonly attachmentIds: ReadonlyMap<string, ReadonlyArray<AttachmentId>>
}

/** The id the secrets give the message's attachment at `index`; undefined if they give none. */
export const importedAttachmentId = (
  secrets: ImportSecrets,
  messageId: string,
  index: number,
): AttachmentId | undefined => secrets.attachmentIds.get(messageId)?.[index]

export interface WorkspaceStoreShape {
  readonly findByHost: (
    host: string,
  ) => Effect.Effect<Option.Option<{ readonly workspaceId: WorkspaceId; readonly domain: Domain }>, StoreError>
  readonly catalog: (workspaceId: WorkspaceId) => Effect.Effect<Option.Option<Catalog>, StoreError>
  readonly listWorkspaceIds: () => Effect.Effect<ReadonlyArray<WorkspaceId>, StoreError>
  /**
   * Replace (or create) the workspace with the document's content, all-or-nothing: its contacts'
   * consents too (`contacts[].consents`); logins come as hashes in `secrets`, never in the
   * document. A host another workspace serves is a Conflict naming the host; nothing is written.
   */
  readonly importDocument: (
    doc: WorkspaceDocument,
    secrets: ImportSecrets,
  ) => Effect.Effect<void, StoreError | Conflict>
  /**
   * The workspace as a document, or none: every login's `passwordHash` (never a plain
   * password), every contact's `consents` (oldest first) and every attachment's `id` (P-DATA-1).
   */
  readonly exportDocument: (workspaceId: WorkspaceId) => Effect.Effect<Option.Option<WorkspaceDocument>, StoreError>
  /** The agent's password hash; none if the agent has no password or does not exist. */
  readonly agentPasswordHash: (
    workspaceId: WorkspaceId,
    agentId: AgentId,
  ) => Effect.Effect<Option.Option<string>, StoreError>
  /**
   * Add an agent, or replace the one with the same id (name, email, permissions). `passwordHash`
   * null leaves the password as it is (none for a new agent).
   */
  readonly upsertAgent: (
    workspaceId: WorkspaceId,
    agent: AgentProfile,
    passwordHash: string | null,
  ) => Effect.Effect<void, StoreError>
  /**
   * Replace the workspace's domains (P-DOM-1, P-DOM-4). A host another workspace serves is a
   * Conflict (hosts compare case-insensitively); nothing is written then.
   */
  readonly setDomains: (
    workspaceId: WorkspaceId,
    domains: ReadonlyArray<Domain>,
  ) => Effect.Effect<void, StoreError | Conflict>
  /** Replace the workspace's branding whole (P-BRAND-3); the use-case has checked it (rules/Branding). */
  readonly setBranding: (workspaceId: WorkspaceId, branding: Branding) => Effect.Effect<void, StoreError>
  /** Add a company, or rename the one with the same id. */
  readonly upsertCompany: (
    workspaceId: WorkspaceId,
    company: Company,
  ) => Effect.Effect<{ readonly created: boolean }, StoreError>
  /**
   * Add a list (access group), or replace the name and members of the one with the same id.
   * Every member must be a contact of the workspace (MissingReference otherwise).
   */
  readonly upsertList: (
    workspaceId: WorkspaceId,
    list: ContactList,
  ) => Effect.Effect<{ readonly created: boolean }, StoreError | MissingReference>
}

export class WorkspaceStore extends Context.Service<WorkspaceStore, WorkspaceStoreShape>()(
  "@portal/core/WorkspaceStore",
) {}
