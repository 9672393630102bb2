/**
 * How a request's context becomes the callers core's use-cases take (usecases/Viewers.ts), and
 * the API's own rate limits (per ip, per ip + email), counted in the store through
 * SecurityStore.hitRateLimit so that every server node shares them.
 */
import {
  type AgentCaller,
  type AgentId,
  anonymousSubject,
  type Caller,
  type ContactId,
  type CustomerCaller,
  isAgent,
  isCustomer,
  type Permission,
} from "@portal/core/domain"
import { normalizeHost, type SignInThrottlePolicy } from "@portal/core/rules"
import { type AgentViewer, type PortalContext as CorePortal, hitRateLimit, type Viewer } from "@portal/core/usecases"
import {
  defaultApiConfig,
  defaultLinkOrigin,
  type PortalContext,
  type RateLimit,
  type ResolvedPortal,
  type Subject,
} from "./context.ts"

/**
 * The portal as core's entry use-cases see it. Links in emails use the configured origin of the
 * domain the request resolved to (P-SEC-5): the host is the domain's own, as configured, and the
 * scheme and port are the server's settings; nothing of the Host header (port, userinfo) gets in.
 */
export const corePortal = (ctx: Pick<PortalContext, "config">, portal: ResolvedPortal): CorePortal => ({
  workspaceId: portal.workspaceId,
  baseUrl: (ctx.config.linkOrigin ?? defaultLinkOrigin)(normalizeHost(portal.domain.host)),
  language: portal.domain.language,
})

export const viewerOf = (portal: ResolvedPortal, contactId: string): Viewer => ({
  workspaceId: portal.workspaceId,
  contactId: contactId as ContactId,
})

export const agentViewerOf = (portal: ResolvedPortal, agent: Extract<Subject, { type: "agent" }>): AgentViewer => ({
  workspaceId: portal.workspaceId,
  agentId: agent.id as AgentId,
  permissions: agent.permissions as ReadonlyArray<Permission>,
})

/** Count one hit; fail with TooManyAttempts past the limit (core's hitRateLimit). */
export const rateLimit = (key: string, limit: RateLimit) => hitRateLimit(key, limit)

/** P-SEC-4: the sign-in throttle core applies, from the host's limits (core's SignInThrottle). */
export const signInThrottleOf = (
  config: Pick<PortalContext["config"], "rateLimits" | "signInSlowdown">,
): SignInThrottlePolicy => ({
  perAccountAndAddress: config.rateLimits.signInPerIpEmail,
  perAddress: config.rateLimits.signInPerIp,
  perAccount: config.signInSlowdown ?? defaultApiConfig.signInSlowdown,
})

/**
 * The request's caller as core's use-cases take it (core's domain/Caller.ts): the one core's
 * resolveCaller built for this request; for a context built by hand (tests), one built from its
 * portal and session, whose customer's contact and scope the use-case then reads.
 */
export const callerOf = (ctx: Pick<PortalContext, "portal" | "session" | "caller">): Caller | null => {
  // The request's caller as core resolved it (createContext): with the customer's contact and scope.
  if (ctx.caller !== undefined) return ctx.caller
  if (ctx.portal === null) return null
  const portal = ctx.portal
  const subject = ctx.session?.subject
  if (subject === undefined) return { portal, subject: anonymousSubject }
  if (subject.type === "agent")
    return {
      portal,
      subject: {
        _tag: "Agent",
        agentId: subject.id as AgentId,
        permissions: subject.permissions as ReadonlyArray<Permission>,
      },
    }
  return { portal, subject: { _tag: "Customer", contactId: subject.id as ContactId, companyId: null } }
}

/**
 * The customer caller of a request a `customerProcedure` or `viewerProcedure` let through with a
 * contact's session: core's resolved caller (contact and scope read once, by resolveCaller).
 */
export const customerCallerOf = (ctx: Pick<PortalContext, "portal" | "session" | "caller">): CustomerCaller => {
  const caller = callerOf(ctx)
  // The procedures checked the session: anything else here is a bug, not the client's mistake.
  if (caller === null || !isCustomer(caller)) throw new Error("customerCallerOf: not a customer's request")
  return caller
}

/** The caller of a request a `portalProcedure` let through (the host resolved to a portal). */
export const portalCallerOf = (ctx: Pick<PortalContext, "portal" | "session" | "caller">): Caller => {
  const caller = callerOf(ctx)
  if (caller === null) throw new Error("portalCallerOf: no portal on this request")
  return caller
}

/** The agent caller of a request an `agentProcedure` let through (permissions read on this request). */
export const agentCallerOf = (ctx: Pick<PortalContext, "portal" | "session" | "caller">): AgentCaller => {
  const caller = callerOf(ctx)
  if (caller === null || !isAgent(caller)) throw new Error("agentCallerOf: not an agent's request")
  return caller
}

/**
 * P-AUTH-7, P-BRAND-1: a contact as an agent previews them, on the request's portal (its settings
 * and cached catalog); the use-case reads the contact and scope, since the caller is not them.
 */
export const customerCallerAs = (portal: ResolvedPortal, contactId: string): CustomerCaller => ({
  portal,
  subject: { _tag: "Customer", contactId: contactId as ContactId, companyId: null },
})
