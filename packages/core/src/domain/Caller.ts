/**
 * Who is calling, on which portal: resolved once per request (host, session token or API token)
 * by a core use-case and handed to every use-case the request runs (DESIGN.md, "The next shape").
 * Use-cases take the part they need (`CustomerCaller`, `AgentCaller`) instead of bare ids, and never
 * load the session, the contact or the settings again.
 *
 * - `CallerPortal`: the workspace the request's host resolved to (P-DOM-1), its domain (language,
 *   P-DOM-4) and its settings at a version (cached per workspace by that version).
 * - `CallerSubject`: nobody signed in, a customer (a contact, with the scope P-VIS computes), or an agent
 *   with the permissions read from the catalog on this request (P-SET-1, P-AGT-5).
 */
import type { ContactProfile, Domain, Permission } from "./Entities.ts"
import type { AgentId, CompanyId, ContactId, WorkspaceId } from "./Ids.ts"
import type { PortalSettings } from "./PortalSettings.ts"
import type { ViewerScope } from "./ReadModels.ts"

export interface CallerPortal {
  readonly workspaceId: WorkspaceId
  /** The request's host, port stripped and lower-cased. */
  readonly host: string
  readonly domain: Domain
  readonly settings: PortalSettings
  readonly settingsVersion: number
  /** The catalog's version read with the settings: the key of the cached catalog (ports/CatalogCache.ts). */
  readonly catalogVersion: number
}

export interface AnonymousSubject {
  readonly _tag: "Anonymous"
}

export interface CustomerSubject {
  readonly _tag: "Customer"
  readonly contactId: ContactId
  /** The contact's company, if any (whether the company scope applies is P-VIS's rule). */
  readonly companyId: CompanyId | null
  /**
   * The contact as read when the caller was resolved (usecases/Callers.ts `resolveCaller`), and the
   * scope P-VIS computed from it and the settings. Present on a resolved caller, so no use-case
   * reads the contact again; absent on a caller built from bare ids, where the use-case reads them.
   */
  readonly contact?: ContactProfile
  readonly scope?: ViewerScope
  /**
   * Whether the contact takes part in any ticket (P-EXT-1), when the caller's read told it: false
   * spares the list its "Shared with me" probe. Absent: unknown (the list probes).
   */
  readonly participant?: boolean
}

export interface AgentSubject {
  readonly _tag: "Agent"
  readonly agentId: AgentId
  readonly permissions: ReadonlyArray<Permission>
}

export type CallerSubject = AnonymousSubject | CustomerSubject | AgentSubject

export interface Caller<S extends CallerSubject = CallerSubject> {
  readonly portal: CallerPortal
  readonly subject: S
}

export type AnonymousCaller = Caller<AnonymousSubject>
export type CustomerCaller = Caller<CustomerSubject>
export type AgentCaller = Caller<AgentSubject>

/**
 * An integration calling with an API token (P-HOOK-3, the integration procedures and JSON routes):
 * the token names the workspace, so it needs no portal host; `tokenId` is the stored token's id, or
 * null for a token the host configured (PORTAL_API_TOKENS). Resolved once per request by
 * usecases/Callers.ts `resolveIntegrationCaller`.
 */
export interface IntegrationCaller {
  readonly _tag: "Integration"
  readonly workspaceId: WorkspaceId
  readonly tokenId: string | null
}

export const anonymousSubject: AnonymousSubject = { _tag: "Anonymous" }

export const isCustomer = (caller: Caller): caller is CustomerCaller => caller.subject._tag === "Customer"
export const isAgent = (caller: Caller): caller is AgentCaller => caller.subject._tag === "Agent"
