/**
 * What the three SSO routes share: the end of a sign-in (contact by email, audience rule,
 * session, redirect to a local path) and the one way a refusal ends: a redirect to the access
 * denied page with a reason code and no session (P-AUTH-4, P-AUTH-5).
 */
import {
  type ApiConfig,
  apiErrorOfCause,
  corePortal,
  type PortalApiError,
  type PortalContext,
  type PortalRuntime,
  type ResolvedPortal,
  runExit,
  signInSession,
} from "@portal/api"
import type { IsoTime, WorkspaceId } from "@portal/core/domain"
import { sameOriginPath } from "@portal/core/rules"
import { claimOnce, nameParts, signInWithSso } from "@portal/core/usecases"
import type { SsoIdentity, SsoRejected } from "@portal/identity"
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
 * The access denied page's reason for a core error, read from the API error every route maps it
 * to (ErrorMapper.ts): a refusal (AccessDenied: FORBIDDEN with core's refusal code) keeps its
 * reason token (`notInAudience` …); anything else (storage down, a bug) is `unavailable`.
 */
export const ssoDenialReason = (error: PortalApiError): string =>
  error.code === "FORBIDDEN" && error.publicData.refusalCode !== undefined && error.publicData.reason !== undefined
    ? error.publicData.reason
    : "unavailable"

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
  const exit = await runExit(
    deps,
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
    const reason = ssoDenialReason(apiErrorOfCause(exit.cause))
    deps.logger.info({ protocol: identity.protocol, reason }, "sso sign-in refused")
    return deny(res, reason)
  }
  ctx.cookies.setSession(exit.value.token, new Date(exit.value.absoluteExpiresAt))
  noStore(res)
  res.redirect(303, redirect)
}

/**
 * The SSO refusal of a verifier (@portal/identity's SsoRejected, not a core error) as a reason
 * code, logged with its detail; a defect in a verifier is `invalid`.
 */
export const refused = (deps: SsoDeps, res: Response, cause: Cause.Cause<SsoRejected>) => {
  const error = Cause.findErrorOption(cause)
  const value = error._tag === "Some" ? error.value : null
  const reason = value?.reason ?? "invalid"
  deps.logger.info({ protocol: value?.protocol, reason, detail: value?.detail }, "sso credential refused")
  deny(res, reason)
}

export const queryString = (req: Request, name: string): string | undefined => {
  const value = (req.query as Record<string, unknown>)[name]
  return typeof value === "string" ? value : undefined
}
