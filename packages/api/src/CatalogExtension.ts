/**
 * EXTENSION (not in @portal/core): the few catalog reads and writes the API needs that core's
 * ports do not offer yet. The server provides it for each storage adapter (apps/server
 * src/storage/*Extension.ts); move it into core's WorkspaceStore when the storage owners add it.
 * - agents' password hashes: the import stores them (ImportSecrets.agentPasswordHashes) but no
 *   port reads them back, and agents sign in to preview and administer the portal (P-AUTH-7, P-SET-1);
 * - adding an agent (`portal create-agent`) without re-importing the workspace (a re-import would
 *   drop consents, events and idempotency keys);
 * - the portal's domains and their language (P-DOM-1, P-DOM-4), set by admins.
 */
import type { Agent, AgentId, Conflict, Domain, StoreError, WorkspaceId } from "@portal/core"
import { Context, type Effect, type Option } from "effect"

export interface CatalogExtensionShape {
  /** The agent's password hash; none if the agent has no password (or does not exist). */
  readonly agentPasswordHash: (
    workspaceId: WorkspaceId,
    agentId: AgentId,
  ) => Effect.Effect<Option.Option<string>, StoreError>
  /** Add an agent, or replace the one with the same id; `passwordHash` null keeps no password. */
  readonly upsertAgent: (
    workspaceId: WorkspaceId,
    agent: Omit<Agent, "password">,
    passwordHash: string | null,
  ) => Effect.Effect<void, StoreError>
  /** Replace the workspace's domains; a host another workspace serves is a Conflict, nothing written. */
  readonly setDomains: (
    workspaceId: WorkspaceId,
    domains: ReadonlyArray<Domain>,
  ) => Effect.Effect<void, StoreError | Conflict>
}

export class CatalogExtension extends Context.Service<CatalogExtension, CatalogExtensionShape>()(
  "@portal/api/CatalogExtension",
) {}
