/**
 * Who is calling, on which portal: resolved ONCE per request (issue 9, DESIGN.md "The next
 * shape"), from the request's host and its session token, with ONE read of the CallerStore port
 * (one SQL statement on PostgreSQL and PGlite): nothing else on the request reads them again.
 * - host → workspace and domain (P-DOM-1), with the settings at their version (the version the
 *   catalog cache is keyed by, ports/CatalogCache.ts);
 * - the session (P-AUTH-6) of the token's hash on that workspace (another workspace's is none);
 *   an expired one is removed and reported once with its reason ("idle" or "absolute"); a live
 *   one is touched at most once a minute (usecases/Sessions.ts);
 * - a customer's contact with their list memberships and whether they take part in any ticket:
 *   the scope P-VIS computes travels with the caller, so the ticket use-cases read neither again;
 *   a removed contact ends the session;
 * - an agent's permissions, read with the session on every request (not from the catalog cache),
 *   so a revoked permission or a removed agent takes effect at once (P-SET-1, P-AGT-5).
 * Use-cases then take the caller (or its `CustomerCaller` / `AgentCaller` part).
 */
import { Effect, Option } from "effect"
import type { Caller, CallerPortal, CallerSubject, CustomerCaller, IntegrationCaller } from "../domain/Caller.ts"
import { anonymousSubject } from "../domain/Caller.ts"
import type { ContactProfile } from "../domain/Entities.ts"
import { type ContactId, timeMs, type WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import type { ViewerScope } from "../domain/ReadModels.ts"
import type { ApiTokenStore } from "../ports/ApiTokenStore.ts"
import { type CallerRead, CallerStore } from "../ports/CallerStore.ts"
import { CatalogCache, catalogKeyOf } from "../ports/CatalogCache.ts"
import type { ContactStore } from "../ports/ContactStore.ts"
import type { ContactNotFound, WorkspaceNotFound } from "../ports/Errors.ts"
import { type Session, SessionStore } from "../ports/SessionStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock } from "../ports/System.ts"
import type { Catalog, StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { sessionExpired } from "../rules/Session.ts"
import { viewerScope } from "../rules/Visibility.ts"
import { authenticateApiToken } from "./ApiTokens.ts"
import { loadCatalog, loadSettings, loadViewerScope } from "./Lookups.ts"
import { SESSION_TOUCH_INTERVAL_MS } from "./Sessions.ts"
import { hashToken } from "./Tokens.ts"
import type { Viewer } from "./Viewers.ts"

/** The live session behind a resolved caller (the token is needed to end it; never shown to pages). */
export interface CallerSession {
  readonly token: string
  readonly tokenHash: string
  /** When the session ends if the user stays idle (P-AUTH-6). */
  readonly idleExpiresAt: string
  readonly absoluteExpiresAt: string
}

export type SessionEndReason = "idle" | "absolute"

export interface ResolvedCaller {
  /** Null: the host is no portal's (P-DOM-1: the same 404 as an unknown host). */
  readonly caller: Caller | null
  readonly session: CallerSession | null
  /** Why the request's session is no longer valid (reported once: the session is removed). */
  readonly sessionEnded: SessionEndReason | null
  /** The request carried a token that is no live session here: the edge clears the cookie. */
  readonly clearSessionCookie: boolean
}

export interface CallerRequest {
  /** The request's host, already read strictly (rules/Domains `hostOfHeader`); "" for none. */
  readonly host: string
  readonly sessionToken: string | null
}

export interface CallerPolicy {
  /** However active, a session ends this long after sign-in (P-AUTH-6). */
  readonly absoluteSessionHours: number
}

export type CallerServices = CallerStore | SessionStore | Clock

const portalOf = (host: string, read: CallerRead): CallerPortal => ({
  workspaceId: read.workspaceId,
  host,
  domain: read.domain,
  settings: read.settings.settings,
  settingsVersion: read.settings.version,
  catalogVersion: read.settings.catalogVersion ?? 0,
})

/** P-DOM-1: the portal of a host, with its settings at their version; none for an unknown host. */
export const resolvePortalOfHost = (host: string): Effect.Effect<CallerPortal | null, StoreError, CallerStore> =>
  Effect.gen(function* () {
    if (host.length === 0) return null
    const read = yield* (yield* CallerStore).read(host, null)
    return Option.isNone(read) ? null : portalOf(host, read.value)
  })

/** Long enough that only the absolute limit can end a session (to tell the two reasons apart). */
const NO_IDLE_LIMIT_MINUTES = 100 * 365 * 24 * 60

type SessionOutcome =
  | { readonly _tag: "None" }
  | { readonly _tag: "Ended"; readonly reason: SessionEndReason }
  | { readonly _tag: "Live"; readonly session: Session }

/** The token's session as read on this workspace: live (touched), ended (removed), or none. */
const liveSession = (
  found: Option.Option<Session>,
  idleTimeoutMinutes: number,
  absoluteHours: number,
): Effect.Effect<SessionOutcome, StoreError, SessionStore | Clock> =>
  Effect.gen(function* () {
    if (Option.isNone(found)) return { _tag: "None" } as const
    const store = yield* SessionStore
    const session = found.value
    const now = yield* (yield* Clock).now()
    if (sessionExpired(session, now, idleTimeoutMinutes, absoluteHours)) {
      yield* store.remove(session.tokenHash)
      const absolute = sessionExpired(session, now, NO_IDLE_LIMIT_MINUTES, absoluteHours)
      return { _tag: "Ended", reason: absolute ? "absolute" : "idle" } as const
    }
    if (timeMs(now) - timeMs(session.lastSeenAt) < SESSION_TOUCH_INTERVAL_MS) return { _tag: "Live", session } as const
    yield* store.touch(session.tokenHash, now)
    return { _tag: "Live", session: { ...session, lastSeenAt: now } } as const
  })

/** The subject of a live session as it is now (read with it); null when its contact or agent no longer exists. */
const subjectOfSession = (portal: CallerPortal, read: CallerRead, stored: Session["subject"]): CallerSubject | null => {
  if (stored.type === "contact") {
    if (Option.isNone(read.contact) || read.contact.value.contact.id !== stored.id) return null
    const { contact, listIds, participant } = read.contact.value
    // Only the company scope limited to lists looks at the memberships (P-VIS-5).
    const scope = viewerScope(
      portal.workspaceId,
      portal.settings,
      contact,
      typeof portal.settings.ticketScope === "object" ? listIds : [],
    )
    return {
      _tag: "Customer",
      contactId: contact.id,
      companyId: contact.primaryCompanyId ?? null,
      contact,
      scope,
      ...(participant === undefined ? {} : { participant }),
    }
  }
  // Read with the session on every request, never from the catalog cache: a revoked permission or a
  // removed agent takes effect at the next request, on every node.
  if (Option.isNone(read.agent) || read.agent.value.agentId !== stored.id) return null
  return { _tag: "Agent", agentId: read.agent.value.agentId, permissions: read.agent.value.permissions }
}

/** The request's caller, read once: portal, session, subject (see the module comment). */
export const resolveCaller = (
  request: CallerRequest,
  policy: CallerPolicy,
): Effect.Effect<ResolvedCaller, StoreError, CallerServices> =>
  Effect.gen(function* () {
    const none: ResolvedCaller = { caller: null, session: null, sessionEnded: null, clearSessionCookie: false }
    if (request.host.length === 0) return none
    const token = request.sessionToken
    const hasToken = token !== null && token.length > 0
    const read = yield* (yield* CallerStore).read(request.host, hasToken ? yield* hashToken(token) : null)
    if (Option.isNone(read)) return none
    const portal = portalOf(request.host, read.value)
    const anonymous: Caller = { portal, subject: anonymousSubject }
    if (!hasToken) return { caller: anonymous, session: null, sessionEnded: null, clearSessionCookie: false }
    const outcome = yield* liveSession(
      read.value.session,
      portal.settings.idleTimeoutMinutes,
      policy.absoluteSessionHours,
    )
    if (outcome._tag === "None")
      return { caller: anonymous, session: null, sessionEnded: null, clearSessionCookie: true }
    if (outcome._tag === "Ended")
      return { caller: anonymous, session: null, sessionEnded: outcome.reason, clearSessionCookie: true }
    const live = outcome.session
    const subject = subjectOfSession(portal, read.value, live.subject)
    if (subject === null) {
      // A removed contact or agent ends the session.
      yield* (yield* SessionStore).remove(live.tokenHash)
      return { caller: anonymous, session: null, sessionEnded: null, clearSessionCookie: true }
    }
    const idleEnd = timeMs(live.lastSeenAt) + portal.settings.idleTimeoutMinutes * 60_000
    const absoluteEnd = Math.min(
      timeMs(live.absoluteExpiresAt),
      timeMs(live.createdAt) + policy.absoluteSessionHours * 3_600_000,
    )
    return {
      caller: { portal, subject },
      session: {
        token,
        tokenHash: live.tokenHash,
        idleExpiresAt: new Date(idleEnd).toISOString(),
        absoluteExpiresAt: new Date(absoluteEnd).toISOString(),
      },
      sessionEnded: null,
      clearSessionCookie: false,
    }
  })

/**
 * The catalog of the caller's portal: from the cache at the caller's settings version when the
 * runtime has one (ports/CatalogCache.ts), else read (and remembered).
 */
export const portalCatalog = (
  portal: CallerPortal,
): Effect.Effect<Catalog, WorkspaceNotFound | StoreError, WorkspaceStore> =>
  Effect.gen(function* () {
    const cache = yield* Effect.serviceOption(CatalogCache)
    if (Option.isSome(cache)) {
      const hit = cache.value.get(portal.workspaceId, catalogKeyOf(portal))
      if (Option.isSome(hit)) return hit.value
    }
    const catalog = yield* loadCatalog(portal.workspaceId)
    if (Option.isSome(cache)) cache.value.set(portal.workspaceId, catalogKeyOf(portal), catalog)
    return catalog
  })

/** After a catalog write: this node's cached catalog of the workspace is dropped. */
export const invalidateCatalog = (workspaceId: WorkspaceId): Effect.Effect<void> =>
  Effect.map(Effect.serviceOption(CatalogCache), (cache) => {
    if (Option.isSome(cache)) cache.value.invalidate(workspaceId)
  })

/**
 * Who a customer use-case acts for: a resolved `CustomerCaller` (the request path: nothing is read
 * again) or bare ids (`Viewer`: tests, the CLI, integration calls; the settings and the contact
 * are read).
 */
export type CustomerRef = CustomerCaller | Viewer

/** Everything the customer use-cases start from. */
export interface CustomerContext {
  readonly workspaceId: WorkspaceId
  readonly contactId: ContactId
  readonly settings: PortalSettings
  readonly contact: ContactProfile
  readonly scope: ViewerScope
  /** The portal, when the use-case was called with a resolved caller (the catalog cache's key). */
  readonly portal: CallerPortal | null
  /** P-EXT-1: false when the caller's read found the contact in no ticket; undefined when unknown. */
  readonly participant?: boolean
}

const isCaller = (who: CustomerRef): who is CustomerCaller => "portal" in who

export const customerContextOf = (
  who: CustomerRef,
): Effect.Effect<CustomerContext, WorkspaceNotFound | ContactNotFound | StoreError, SettingsStore | ContactStore> =>
  Effect.gen(function* () {
    if (isCaller(who)) {
      const { portal, subject } = who
      const base = {
        workspaceId: portal.workspaceId,
        contactId: subject.contactId,
        settings: portal.settings,
        portal,
        ...(subject.participant === undefined ? {} : { participant: subject.participant }),
      }
      // Added to the fresh object, not spread into a copy (Node 20's slow `{ ...x, key }`).
      if (subject.contact !== undefined && subject.scope !== undefined)
        return Object.assign(base, { contact: subject.contact, scope: subject.scope })
      const { scope, contact } = yield* loadViewerScope(
        { workspaceId: portal.workspaceId, contactId: subject.contactId },
        portal.settings,
      )
      return Object.assign(base, { contact, scope })
    }
    const settings = yield* loadSettings(who.workspaceId)
    const { scope, contact } = yield* loadViewerScope(who, settings)
    return { workspaceId: who.workspaceId, contactId: who.contactId, settings, contact, scope, portal: null }
  })

/** The catalog a customer use-case reads: the cached one of the caller's portal, else the store's. */
export const customerCatalog = (
  who: Pick<CustomerContext, "workspaceId" | "portal">,
): Effect.Effect<Catalog, WorkspaceNotFound | StoreError, WorkspaceStore> =>
  who.portal === null ? loadCatalog(who.workspaceId) : portalCatalog(who.portal)

/**
 * The integration caller of a presented API token (issue 9: resolved once per request, like
 * `resolveCaller`): a token the host configured (`fromEnvironment`, compared in constant time by
 * the edge that holds them) wins without a store round trip; otherwise an unrevoked token of the
 * store (its use recorded at most once a minute). Through a portal's host (`hostWorkspaceId`) only
 * that workspace's tokens count, so a token is never used across tenants. None for anything else;
 * a store that cannot be read fails (a 503), never passes for a wrong token.
 */
export const resolveIntegrationCaller = (
  token: string | null,
  options: {
    readonly fromEnvironment: (token: string) => WorkspaceId | null
    readonly hostWorkspaceId: WorkspaceId | null
  },
): Effect.Effect<Option.Option<IntegrationCaller>, StoreError, ApiTokenStore | Clock> =>
  Effect.gen(function* () {
    if (token === null) return Option.none()
    const configured = options.fromEnvironment(token)
    const found: Option.Option<IntegrationCaller> =
      configured !== null
        ? Option.some({ _tag: "Integration", workspaceId: configured, tokenId: null })
        : Option.map(
            yield* authenticateApiToken(token, { workspaceId: options.hostWorkspaceId ?? undefined }),
            ({ workspaceId, tokenId }): IntegrationCaller => ({ _tag: "Integration", workspaceId, tokenId }),
          )
    if (Option.isSome(found) && options.hostWorkspaceId !== null && found.value.workspaceId !== options.hostWorkspaceId)
      return Option.none()
    return found
  })
