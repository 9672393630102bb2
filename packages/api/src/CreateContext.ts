/**
 * Builds the PortalContext of one request, independent of the HTTP framework: the host resolves
 * the workspace (P-DOM-1: port stripped, case-insensitive; unknown host → no portal → 404), the
 * session cookie resolves the subject (Sessions.ts). apps/server calls it once per request and
 * hands the same context to /trpc and to the SvelteKit pages (`PortalRequest`).
 */
import { hostOfHeader, SettingsStore, type StoreError, WorkspaceStore } from "@portal/core"
import { Effect, Option } from "effect"
import type { ApiTokens } from "./ApiTokens.ts"
import type {
  ApiConfig,
  CookieJar,
  PortalContext,
  PortalRuntime,
  PortalServices,
  ResolvedPortal,
  SessionEnded,
  SessionInfo,
} from "./context.ts"
import { apiErrorOfCause } from "./Run.ts"
import { resolveSession } from "./Sessions.ts"

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

/** The portal of a host, with its settings; none for an unknown host. */
export const resolvePortal = (
  host: string,
): Effect.Effect<ResolvedPortal | null, StoreError, WorkspaceStore | SettingsStore> =>
  Effect.gen(function* () {
    if (host.length === 0) return null
    const found = yield* (yield* WorkspaceStore).findByHost(host)
    if (Option.isNone(found)) return null
    const settings = yield* (yield* SettingsStore).get(found.value.workspaceId)
    if (Option.isNone(settings)) return null
    return {
      workspaceId: found.value.workspaceId,
      host,
      domain: found.value.domain,
      settings: settings.value.settings,
      settingsVersion: settings.value.version,
    }
  })

const contextProgram = (deps: ContextDeps, facts: RequestFacts) =>
  Effect.gen(function* () {
    // P-SEC-2: a Host header that is not host[:port] (userinfo, paths, controls) is no portal's.
    const host = hostOfHeader(facts.host) ?? ""
    const portal = yield* resolvePortal(host)
    let session: SessionInfo | null = null
    let sessionEnded: SessionEnded = null
    if (portal !== null && facts.sessionToken !== null && facts.sessionToken.length > 0) {
      const lookup = yield* resolveSession(
        portal.workspaceId,
        facts.sessionToken,
        portal.settings.idleTimeoutMinutes,
        deps.config.absoluteSessionHours,
      )
      if (lookup._tag === "Active") session = lookup.session
      else {
        facts.cookies.clearSession()
        if (lookup._tag === "Ended") sessionEnded = lookup.reason
      }
    }
    const context: PortalContext = {
      runtime: deps.runtime,
      config: deps.config,
      apiTokens: deps.apiTokens,
      host,
      portal,
      session,
      sessionEnded,
      cookies: facts.cookies,
      ip: facts.ip,
      origin: facts.origin,
      authorization: facts.authorization,
    }
    return context
  })

/**
 * The context of one request. Fails (rejects) with the mapped API error when the store cannot
 * be read, e.g. SERVICE_UNAVAILABLE while the database is down.
 */
export const createContext = async (deps: ContextDeps, facts: RequestFacts): Promise<PortalContext> => {
  const exit = await deps.runtime.runPromiseExit(
    contextProgram(deps, facts) as Effect.Effect<PortalContext, StoreError, PortalServices>,
  )
  if (exit._tag === "Success") return exit.value
  throw apiErrorOfCause(exit.cause)
}
