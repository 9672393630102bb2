/**
 * What the three SSO routes share: the end of a sign-in (contact by email, audience rule,
 * session, redirect to a local path) and the one way a refusal ends: a redirect to the access
 * denied page with a reason code and no session (P-AUTH-4, P-AUTH-5).
 */
import {
  type ApiConfig,
  corePortal,
  type PortalContext,
  type PortalRuntime,
  type ResolvedPortal,
  signInSession,
} from "@portal/api"
import { claimOnce, type IsoTime, nameParts, sameOriginPath, signInWithSso, type WorkspaceId } from "@portal/core"
import type { SsoIdentity } from "@portal/identity"
import { Cause, Effect, Exit } from "effect"
import type { Request, Response } from "express"
import type { Logger } from "../Logger.ts"

/** The system pages the SSO routes send the browser to (served by the portal app). */
export const ACCESS_DENIED_PATH = "/account/access-denied"

export interface SsoDeps {
  readonly runtime: PortalRuntime
  readonly config: ApiConfig
  /** HMAC key of the SSO state (PORTAL_SECRET). */
  readonly secret: string
  /** Plain-http OIDC issuers (local tests only). */
  readonly oidcAllowInsecure: boolean
  readonly logger: Logger
}

export type SsoPortal = PortalContext & { readonly portal: ResolvedPortal }

export const noStore = (res: Response) => {
  res.setHeader("Cache-Control", "no-store")
  // The JWT travels in the URL: never hand it to another site in a Referer.
  res.setHeader("Referrer-Policy", "no-referrer")
}

export const deny = (res: Response, reason: string) => {
  noStore(res)
  res.redirect(303, `${ACCESS_DENIED_PATH}?reason=${encodeURIComponent(reason)}`)
}

/**
 * Where to go after sign-in (P-SEC-1): the path of the portal's origin the request names (`redirect`,
 * RelayState, the OIDC state) as the browser reads it, else the ticket list (P-DOM-2 slug).
 */
export const afterSignIn = (ctx: SsoPortal, requested: unknown) =>
  sameOriginPath(requested, ctx.origin, `/${ctx.portal.settings.slug}`)

/** core's claimOnce for a verifier, in a namespace per protocol. */
export const claimOnceFor =
  (runtime: PortalRuntime, workspaceId: WorkspaceId, namespace: string) => (key: string, expiresAt: IsoTime) =>
    runtime.runPromise(claimOnce(workspaceId, namespace, key, expiresAt))

/**
 * Map the verified identity to a contact (core's signInWithSso: protocol, audience, first-time
 * contact), start the session and redirect; any refusal → access denied. The verifier has
 * claimed the single-use id already (claimOnceFor), so core is not asked to claim it again.
 */
export const finishSignIn = async (
  deps: SsoDeps,
  ctx: SsoPortal,
  res: Response,
  identity: SsoIdentity,
  redirect: string,
): Promise<void> => {
  const { portal } = ctx
  const verified = {
    protocol: identity.protocol,
    email: identity.email,
    ...nameParts(identity.name),
    assertionId: null,
    expiresAt: identity.expiresAt,
  }
  const exit = await deps.runtime.runPromiseExit(
    signInWithSso(corePortal(ctx, portal), verified).pipe(
      Effect.flatMap(({ contactId }) =>
        signInSession(
          portal.workspaceId,
          { type: "contact", id: contactId },
          deps.config.absoluteSessionHours,
          ctx.session?.token ?? null,
        ),
      ),
    ),
  )
  if (Exit.isFailure(exit)) {
    const error = Cause.findErrorOption(exit.cause)
    const value = error._tag === "Some" ? (error.value as { readonly _tag?: string; readonly reason?: string }) : null
    const reason = value?._tag === "AccessDenied" && value.reason !== undefined ? value.reason : "unavailable"
    deps.logger.info({ protocol: identity.protocol, reason }, "sso sign-in refused")
    return deny(res, reason)
  }
  ctx.cookies.setSession(exit.value.token, new Date(exit.value.absoluteExpiresAt))
  noStore(res)
  res.redirect(303, redirect)
}

/** The SSO refusal of a verifier (SsoRejected) as a reason code, logged with its detail. */
export const refused = (deps: SsoDeps, res: Response, cause: Cause.Cause<unknown>) => {
  const error = Cause.findErrorOption(cause)
  const value =
    error._tag === "Some" ? (error.value as { reason?: unknown; detail?: unknown; protocol?: unknown }) : null
  const reason = typeof value?.reason === "string" ? value.reason : "invalid"
  deps.logger.info({ protocol: value?.protocol, reason, detail: value?.detail }, "sso credential refused")
  deny(res, reason)
}

export const queryString = (req: Request, name: string): string | undefined => {
  const value = (req.query as Record<string, unknown>)[name]
  return typeof value === "string" ? value : undefined
}
