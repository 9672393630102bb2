/**
 * What an integration reads of its workspace's tickets (P-HOOK-3: `GET /api/v1/tickets`,
 * `GET /api/v1/tickets/{ticketId}`, and `integration.tickets.list/get`). An API token is the
 * helpdesk itself, so it reads the agent's side of the ticket (the whole workspace, every thread,
 * comment and note), never a customer's visibility. The queries are the agent workspace's
 * (AgentTickets.ts `workspaceTicketPage`, `workspaceTicketDetail`): one index-backed list query,
 * one ticket read. A ticket of another workspace is TicketNotFound, exactly like a missing one.
 */
import { Effect } from "effect"
import type { AgentSort, AgentTicketDetail, AgentTicketPage, OwnerCondition } from "../domain/AgentModels.ts"
import type { StageState } from "../domain/Entities.ts"
import type { AgentId, CompanyId, ContactId, PipelineId, StageId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import type { ContactStore } from "../ports/ContactStore.ts"
import type { TicketNotFound, ValidationFailed, WorkspaceNotFound } from "../ports/Errors.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import type { TicketStore } from "../ports/TicketStore.ts"
import type { StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { AGENT_LIST_DEFAULT_LIMIT, workspaceTicketDetail, workspaceTicketPage } from "./AgentTickets.ts"
import { loadCatalog, loadSettings } from "./Lookups.ts"

/** The integration's list filters: the agent list's, without "me" (a token is no agent). */
export interface IntegrationListInput {
  readonly state?: StageState
  readonly pipelineId?: PipelineId
  readonly stageId?: StageId
  /** "unassigned": no owner; `ownerId` (a given agent) wins over it. */
  readonly owner?: "any" | "unassigned"
  readonly ownerId?: AgentId
  readonly companyId?: CompanyId
  readonly requesterId?: ContactId
  readonly search?: string
  readonly sort?: AgentSort["column"]
  readonly direction?: AgentSort["direction"]
  readonly cursor?: string
  readonly limit?: number
}

const ownerOf = (input: IntegrationListInput): OwnerCondition =>
  input.ownerId !== undefined
    ? { _tag: "Agent", agentId: input.ownerId }
    : input.owner === "unassigned"
      ? { _tag: "Unassigned" }
      : { _tag: "Any" }

/** One page of the workspace's tickets (defaults: every state, last activity newest first, 25). */
export const integrationListTickets = (
  workspaceId: WorkspaceId,
  input: IntegrationListInput,
): Effect.Effect<AgentTicketPage, ValidationFailed | StoreError, TicketStore> =>
  workspaceTicketPage(workspaceId, {
    state: input.state ?? null,
    pipelineId: input.pipelineId ?? null,
    stageId: input.stageId ?? null,
    owner: ownerOf(input),
    companyId: input.companyId ?? null,
    requesterId: input.requesterId ?? null,
    search: input.search ?? null,
    sort: { column: input.sort ?? "lastActivity", direction: input.direction ?? "desc" },
    cursor: input.cursor ?? null,
    limit: Math.min(100, Math.max(1, Math.trunc(input.limit ?? AGENT_LIST_DEFAULT_LIMIT))),
  })

/** The whole ticket with its threads, messages, internal comments and notes. */
export const integrationGetTicket = (
  workspaceId: WorkspaceId,
  ticketId: TicketId,
): Effect.Effect<
  AgentTicketDetail,
  TicketNotFound | WorkspaceNotFound | StoreError,
  TicketStore | WorkspaceStore | SettingsStore | ContactStore
> =>
  Effect.flatMap(loadSettings(workspaceId), (settings) =>
    workspaceTicketDetail(workspaceId, ticketId, { settings, catalog: loadCatalog(workspaceId) }),
  )
