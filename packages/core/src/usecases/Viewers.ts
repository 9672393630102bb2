/**
 * Who calls a use-case. The API layer builds these from the request (host → workspace, session →
 * contact or agent) and passes them in; use-cases never read a request themselves.
 * - `Viewer`: a signed-in customer (a contact) of one workspace's portal.
 * - `AgentViewer`: a signed-in agent of the workspace, with their permissions (P-SET-1).
 * - `PortalContext`: the portal a request arrived on, for what is done before anyone signs in
 *   (registration, sign-in, password reset) and for links in emails.
 */
import { Effect } from "effect"
import type { Language, Permission } from "../domain/Entities.ts"
import type { AgentId, ContactId, WorkspaceId } from "../domain/Ids.ts"
import { Forbidden } from "../ports/Errors.ts"

export interface Viewer {
  readonly workspaceId: WorkspaceId
  readonly contactId: ContactId
}

export interface AgentViewer {
  readonly workspaceId: WorkspaceId
  readonly agentId: AgentId
  readonly permissions: ReadonlyArray<Permission>
}

export interface PortalContext {
  readonly workspaceId: WorkspaceId
  /** Origin the customer reached the portal on, e.g. "https://support.acme.test" (no trailing slash). */
  readonly baseUrl: string
  /** The domain's language (P-DOM-4): emails are written in it. */
  readonly language: Language
}

/** System pages the emails link to (P-AUTH-4); the portal app serves them at these paths. */
export const INVITATION_PATH = "/account/invitation"
export const PASSWORD_RESET_PATH = "/account/reset-password"

/** A link with a token, on the portal's own origin. */
export const tokenLink = (portal: Pick<PortalContext, "baseUrl">, path: string, token: string): string =>
  `${portal.baseUrl.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`

/** P-SET-1: fail with Forbidden unless the agent holds the permission. */
export const requirePermission = (agent: AgentViewer, permission: Permission): Effect.Effect<void, Forbidden> =>
  agent.permissions.includes(permission)
    ? Effect.void
    : Effect.fail(new Forbidden({ reason: `This needs the "${permission}" permission.` }))
