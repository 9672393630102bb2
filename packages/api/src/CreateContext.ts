/**
 * Builds the PortalContext of one request, independent of the HTTP framework: a thin call to
 * core's `resolveCaller` (usecases/Callers.ts), which reads the host's portal (P-DOM-1: port
 * stripped, case-insensitive; unknown host → no portal → 404), the session and the caller's
 * contact or permissions once. apps/server calls it once per request and hands the same context to
 * /trpc and to the SvelteKit pages (`PortalRequest`).
 */
import type { Caller, CallerPortal } from "@portal/core/domain"
import type { StoreError } from "@portal/core/ports"
import { hostOfHeader } from "@portal/core/rules"
import { type ResolvedCaller, resolveCaller, resolvePortalOfHost } from "@portal/core/usecases"
import type { Effect } from "effect"
import type { ApiTokens } from "./ApiTokens.ts"
import type {
  ApiConfig,
  CookieJar,
  PortalContext,
  PortalRuntime,
  PortalServices,
  SessionInfo,
  Subject,
} from "./context.ts"
import { apiErrorOfCause, runExit } from "./Run.ts"

export interface ContextDeps {
  readonly runtime: PortalRuntime
  readonly config: ApiConfig
  readonly apiTokens: ApiTokens
}

/** What the host knows about the request. */
export interface RequestFacts {
  /** The raw Host header (may carry a port and upper case). */
  readonly host: string | undefined
  /** The value of the `portal_session` cookie, if any. */
  readonly sessionToken: string | null
  readonly ip: string
  readonly origin: string
  readonly authorization: string | null
  readonly cookies: CookieJar
}

/** The portal of a host, with its settings; none for an unknown host (core's resolvePortalOfHost). */
export const resolvePortal = (host: string): ReturnType<typeof resolvePortalOfHost> => resolvePortalOfHost(host)

/** The api's view of a signed-in subject (plain ids, as the pages and PortalRequest show it). */
export const subjectOfCaller = (caller: Caller | null): Subject | null => {
  const subject = caller?.subject
  if (subject === undefined || subject._tag === "Anonymous") return null
  if (subject._tag === "Customer") return { type: "contact", id: subject.contactId }
  return { type: "agent", id: subject.agentId, permissions: subject.permissions }
}

/** The context of a resolved caller (the request's facts and the host's dependencies around it). */
export const contextOf = (deps: ContextDeps, facts: RequestFacts, host: string, resolved: ResolvedCaller) => {
  if (resolved.clearSessionCookie) facts.cookies.clearSession()
  const subject = subjectOfCaller(resolved.caller)
  const session: SessionInfo | null =
    resolved.session === null || subject === null ? null : Object.assign({}, resolved.session, { subject })
  const portal: CallerPortal | null = resolved.caller?.portal ?? null
  const context: PortalContext = {
    runtime: deps.runtime,
    config: deps.config,
    apiTokens: deps.apiTokens,
    host,
    portal,
    caller: resolved.caller,
    session,
    sessionEnded: resolved.sessionEnded,
    cookies: facts.cookies,
    ip: facts.ip,
    origin: facts.origin,
    authorization: facts.authorization,
  }
  return context
}

/**
 * The context of one request. Fails (rejects) with the mapped API error when the store cannot
 * be read, e.g. SERVICE_UNAVAILABLE while the database is down.
 */
export const createContext = async (deps: ContextDeps, facts: RequestFacts): Promise<PortalContext> => {
  // P-SEC-2: a Host header that is not host[:port] (userinfo, paths, controls) is no portal's.
  const host = hostOfHeader(facts.host) ?? ""
  const program = resolveCaller(
    { host, sessionToken: facts.sessionToken },
    { absoluteSessionHours: deps.config.absoluteSessionHours },
  )
  const exit = await runExit(deps, program as Effect.Effect<ResolvedCaller, StoreError, PortalServices>)
  if (exit._tag === "Success") return contextOf(deps, facts, host, exit.value)
  throw apiErrorOfCause(exit.cause)
}
