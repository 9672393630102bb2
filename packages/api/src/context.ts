/**
 * The request context every procedure sees. The HTTP host (apps/server) builds it per request
 * with `createContext` (CreateContext.ts): the workspace resolved from the host (P-DOM-1), the
 * signed-in subject from the session cookie, and a runtime that runs core use-cases with the
 * server's layers. The SvelteKit pages get `appRouter.createCaller(context)` built from the same
 * context, so there is one API surface.
 */

import type { Caller, CallerPortal } from "@portal/core/domain"
import type { Clock, IdGenerator, Mailer, MailQueue, PasswordHasher, StorePorts } from "@portal/core/ports"
import type { ManagedRuntime } from "effect"
import type { ApiTokens } from "./ApiTokens.ts"

/** Every service the API's programs may ask for; the server's runtime provides them all. */
export type PortalServices = StorePorts | Clock | IdGenerator | PasswordHasher | Mailer | MailQueue

// The layer error (e.g. the database cannot be opened) is the host's concern; procedures see it as a 500.
export type PortalRuntime = ManagedRuntime.ManagedRuntime<PortalServices, unknown>

/** The portal the request's host resolved to: core's `CallerPortal` (kept as a name for older code). */
export type ResolvedPortal = CallerPortal

export type Subject =
  | { readonly type: "contact"; readonly id: string }
  | { readonly type: "agent"; readonly id: string; readonly permissions: ReadonlyArray<string> }

export interface SessionInfo {
  /** The cookie's token (needed to end the session); never shown to pages. */
  readonly token: string
  readonly tokenHash: string
  readonly subject: Subject
  /** When the session ends if the user stays idle (P-AUTH-6). */
  readonly idleExpiresAt: string
  readonly absoluteExpiresAt: string
}

/** Why the cookie's session is no longer valid, so a page can say "signed out after inactivity". */
export type SessionEnded = "idle" | "absolute" | null

/** Cookie effects a procedure may ask of the HTTP host (sign-in and sign-out). */
export interface CookieJar {
  readonly setSession: (token: string, expiresAt: Date) => void
  readonly clearSession: () => void
}

/** Limits the host may tune; `defaultApiConfig` holds the defaults. */
export interface ApiConfig {
  /** However active, a session ends this long after sign-in. */
  readonly absoluteSessionHours: number
  /**
   * The API's own limits, counted in the store (SecurityStore.hitRateLimit) so every node shares
   * them. Core's use-cases add theirs (sign-ins per email, reset mails per email).
   */
  readonly rateLimits: {
    /**
     * P-SEC-4: failed sign-ins allowed per (account, client address) and per client address in a
     * window (core's sign-in throttle counts them; successful sign-ins do not count).
     */
    readonly signInPerIpEmail: RateLimit
    readonly signInPerIp: RateLimit
    /** Requests that send an email (password reset), per ip. */
    readonly emailsPerIp: RateLimit
    readonly registerPerIp: RateLimit
  }
  /** Optional so that older configs still type-check; `defaultApiConfig.signInSlowdown` when absent. */
  readonly signInSlowdown?: SignInSlowdown
  /**
   * P-SEC-5: the origin of the links in emails (invitation, password reset) for a domain's
   * configured host, e.g. "https://support.acme.test". Never built from the request's Host header:
   * only the configured domain the request resolved to is used, with the configured scheme and
   * port (apps/server: PORTAL_PUBLIC_SCHEME, PORTAL_PUBLIC_PORT). Absent: https, no port.
   */
  readonly linkOrigin?: (domainHost: string) => string
}

/**
 * P-SEC-4: how an account's failed sign-ins from every address slow each attempt on it (never a
 * refusal): no delay for the first `freeFailures` in the window, then `firstDelayMs`, doubling
 * per failure up to `maxDelayMs`.
 */
export interface SignInSlowdown {
  readonly windowSeconds: number
  readonly freeFailures: number
  readonly firstDelayMs: number
  readonly maxDelayMs: number
}

export interface RateLimit {
  readonly limit: number
  readonly windowSeconds: number
}

/** Links in emails when the host configures nothing: https on the domain's configured host. */
export const defaultLinkOrigin = (domainHost: string): string => `https://${domainHost}`

export const defaultApiConfig: ApiConfig & Required<Pick<ApiConfig, "signInSlowdown">> = {
  absoluteSessionHours: 24 * 7,
  rateLimits: {
    signInPerIpEmail: { limit: 10, windowSeconds: 15 * 60 },
    signInPerIp: { limit: 100, windowSeconds: 15 * 60 },
    emailsPerIp: { limit: 20, windowSeconds: 3600 },
    registerPerIp: { limit: 20, windowSeconds: 3600 },
  },
  signInSlowdown: { windowSeconds: 15 * 60, freeFailures: 5, firstDelayMs: 500, maxDelayMs: 3000 },
}

export interface PortalContext {
  readonly runtime: PortalRuntime
  readonly config: ApiConfig
  readonly apiTokens: ApiTokens
  /** The request's host, port stripped and lower-cased. */
  readonly host: string
  readonly portal: ResolvedPortal | null
  /**
   * Who is calling, resolved once by core's `resolveCaller` (createContext); null for an unknown
   * host. Optional so that contexts built by hand in tests still type-check: `callerOf(ctx)`
   * builds it from `portal` and `session` then.
   */
  readonly caller?: Caller | null | undefined
  readonly session: SessionInfo | null
  readonly sessionEnded: SessionEnded
  readonly cookies: CookieJar
  /** Client address, for rate limits. */
  readonly ip: string
  /** The public origin of the request, e.g. https://support.acme.test, for SSO (emails use `config.linkOrigin`). */
  readonly origin: string
  /** The Authorization header (integration API tokens). */
  readonly authorization: string | null
}
