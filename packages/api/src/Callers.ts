/**
 * How a request's context becomes the callers core's use-cases take (usecases/Viewers.ts), and
 * the API's own rate limits (per ip, per ip + email), counted in the store through
 * SecurityStore.hitRateLimit so that every server node shares them.
 */
import {
  type AgentId,
  type AgentViewer,
  Clock,
  type ContactId,
  type PortalContext as CorePortal,
  type Permission,
  SecurityStore,
  type StoreError,
  TooManyAttempts,
  type Viewer,
} from "@portal/core"
import { Effect } from "effect"
import type { PortalContext, RateLimit, ResolvedPortal, Subject } from "./context.ts"

/** The portal as core's entry use-cases see it: links in emails use the request's origin. */
export const corePortal = (ctx: Pick<PortalContext, "origin">, portal: ResolvedPortal): CorePortal => ({
  workspaceId: portal.workspaceId,
  baseUrl: ctx.origin,
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

/** Count one hit; fail with TooManyAttempts past the limit. */
export const rateLimit = (
  key: string,
  limit: RateLimit,
): Effect.Effect<void, TooManyAttempts | StoreError, SecurityStore | Clock> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now()
    const decision = yield* (yield* SecurityStore).hitRateLimit(key, limit.windowSeconds, limit.limit, now)
    if (!decision.allowed) return yield* new TooManyAttempts({ retryAfterSeconds: decision.retryAfterSeconds })
  })

/** The per-ip and per-ip+email limits of a sign-in attempt (before any account lookup). */
export const signInLimits = (ctx: Pick<PortalContext, "ip" | "config">, scope: string, email: string) =>
  Effect.andThen(
    rateLimit(`api:signin-ip:${ctx.ip}`, ctx.config.rateLimits.signInPerIp),
    rateLimit(
      `api:signin-ip-email:${scope}:${ctx.ip}:${email.trim().toLowerCase()}`,
      ctx.config.rateLimits.signInPerIpEmail,
    ),
  )
