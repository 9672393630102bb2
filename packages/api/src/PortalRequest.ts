/**
 * The glue between the HTTP host and the SvelteKit pages. apps/server builds one PortalRequest
 * per request and sets it on the Node request (`req.portalRequest`); the portal app reads it in
 * hooks.server.ts through `event.platform.req.portalRequest`:
 * - `caller`: `appRouter.createCaller(context)`, the same procedures as /trpc with this request's
 *   host, session and cookie jar (a sign-in through the caller sets the session cookie);
 * - `portal`: the portal the host resolved to (null: unknown host → 404 page);
 * - `session`: who is signed in (null: nobody), and `sessionEnded` ("idle": show "signed out after
 *   inactivity"). No token and no secret setting is exposed here.
 */
import type { Language, WorkspaceId } from "@portal/core/domain"
import type { PortalContext, SessionEnded } from "./context.ts"
import { appRouter } from "./routers/AppRouter.ts"

export type PortalCaller = ReturnType<typeof appRouter.createCaller>

export interface PortalRequest {
  readonly caller: PortalCaller
  readonly portal: {
    readonly workspaceId: WorkspaceId
    readonly host: string
    readonly language: Language
    readonly enabled: boolean
    readonly slug: string
  } | null
  readonly session: {
    readonly subject: { readonly type: "contact" | "agent"; readonly id: string }
    readonly idleExpiresAt: string
    readonly absoluteExpiresAt: string
  } | null
  readonly sessionEnded: SessionEnded
}

export const portalRequestOf = (context: PortalContext): PortalRequest => {
  // Made when a page first asks for it: an API request never does (issue 9, every request builds a PortalRequest).
  let caller: PortalCaller | undefined
  return {
    get caller() {
      caller ??= appRouter.createCaller(context)
      return caller
    },
    portal:
      context.portal === null
        ? null
        : {
            workspaceId: context.portal.workspaceId,
            host: context.portal.host,
            language: context.portal.domain.language,
            enabled: context.portal.settings.enabled,
            slug: context.portal.settings.slug,
          },
    session:
      context.session === null
        ? null
        : {
            subject: { type: context.session.subject.type, id: context.session.subject.id },
            idleExpiresAt: context.session.idleExpiresAt,
            absoluteExpiresAt: context.session.absoluteExpiresAt,
          },
    sessionEnded: context.sessionEnded,
  }
}
