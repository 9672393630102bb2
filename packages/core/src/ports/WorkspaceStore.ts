/**
 * Workspaces, their domains and helpdesk catalog (pipelines, inboxes, forms, lists, agents),
 * and whole-document import/export (WORKSPACE_FORMAT.md). Import replaces the workspace in one
 * transaction: a failed import changes nothing.
 */
import { Context, type Effect, type Option } from "effect"
import type { Agent, ContactList, Domain, Form, Inbox, Pipeline, Workspace } from "../domain/Entities.ts"
import type { WorkspaceId } from "../domain/Ids.ts"
import type { WorkspaceDocument } from "../domain/WorkspaceDocument.ts"
import type { StorageError, StorageUnavailable } from "./Errors.ts"

export type StoreError = StorageError | StorageUnavailable

/** The reference data the rules need; small, loaded whole. Agents carry no password. */
export interface Catalog {
  readonly workspace: Workspace
  readonly domains: ReadonlyArray<Domain>
  readonly agents: ReadonlyArray<Omit<Agent, "password">>
  readonly pipelines: ReadonlyArray<Pipeline>
  readonly inboxes: ReadonlyArray<Inbox>
  readonly forms: ReadonlyArray<Form>
  /** Lists without members (membership is asked per contact through ContactStore). */
  readonly lists: ReadonlyArray<Omit<ContactList, "contactIds">>
}

/** Password hashes made by the import use-case for the document's plain passwords. */
export interface ImportSecrets {
  readonly contactPasswordHashes: ReadonlyMap<string, string>
  readonly agentPasswordHashes: ReadonlyMap<string, string>
}

export interface WorkspaceStoreShape {
  readonly findByHost: (
    host: string,
  ) => Effect.Effect<Option.Option<{ readonly workspaceId: WorkspaceId; readonly domain: Domain }>, StoreError>
  readonly catalog: (workspaceId: WorkspaceId) => Effect.Effect<Option.Option<Catalog>, StoreError>
  readonly listWorkspaceIds: () => Effect.Effect<ReadonlyArray<WorkspaceId>, StoreError>
  /** Replace (or create) the workspace with the document's content, all-or-nothing. */
  readonly importDocument: (doc: WorkspaceDocument, secrets: ImportSecrets) => Effect.Effect<void, StoreError>
  /** The workspace as a document (passwords are never exported), or none. */
  readonly exportDocument: (workspaceId: WorkspaceId) => Effect.Effect<Option.Option<WorkspaceDocument>, StoreError>
}

export class WorkspaceStore extends Context.Service<WorkspaceStore, WorkspaceStoreShape>()(
  "@portal/core/WorkspaceStore",
) {}
