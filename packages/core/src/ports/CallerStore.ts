/**
 * Everything a request's caller is resolved from, in ONE read (issue 9: "nothing loads the session,
 * the contact or the settings twice", and the statement count is the first cost of a request):
 * host → workspace, domain and versioned settings; the session of a token's hash on that workspace;
 * the session's contact with its list memberships and whether it takes part in any ticket (P-EXT-1),
 * or the session's agent with its permissions. A SQL adapter answers with one statement
 * (storage-postgres stores/CallerStore.ts); `composedCallerStore` answers from the other ports
 * (the memory adapter, core's tests), and the adapters' contract suite checks both agree.
 *
 * The rules stay in core (usecases/Callers.ts `resolveCaller`): expiry, touching, the scope, what
 * a removed contact or agent means. This port only reads.
 */
import { Context, Effect, Option } from "effect"
import type { Domain, Permission } from "../domain/Entities.ts"
import type { AgentId, ContactId, ListId, WorkspaceId } from "../domain/Ids.ts"
import { ContactStore, type StoredContact } from "./ContactStore.ts"
import { type Session, SessionStore } from "./SessionStore.ts"
import { SettingsStore, type VersionedSettings } from "./SettingsStore.ts"
import { type StoreError, WorkspaceStore } from "./WorkspaceStore.ts"

export interface CallerContactRead {
  readonly contact: StoredContact
  /** The lists the contact is a member of, in the catalog's list order (P-VIS-5). */
  readonly listIds: ReadonlyArray<ListId>
  /**
   * Whether the contact takes part in any ticket of the workspace (P-EXT-1), or undefined when the
   * adapter did not read it (then "Shared with me" is probed by the list use-case).
   */
  readonly participant?: boolean
}

export interface CallerAgentRead {
  readonly agentId: AgentId
  readonly permissions: ReadonlyArray<Permission>
}

export interface CallerRead {
  readonly workspaceId: WorkspaceId
  readonly domain: Domain
  readonly settings: VersionedSettings
  /** The session of the token's hash, only when it belongs to this workspace. */
  readonly session: Option.Option<Session>
  /** The session's contact when its subject is a contact that still exists. */
  readonly contact: Option.Option<CallerContactRead>
  /** The session's agent when its subject is an agent that still exists. */
  readonly agent: Option.Option<CallerAgentRead>
}

export interface CallerStoreShape {
  /**
   * The portal of `host` (none for an unknown host or a workspace without settings) and, when a
   * token hash is given, its session on that portal and the session's subject.
   */
  readonly read: (host: string, tokenHash: string | null) => Effect.Effect<Option.Option<CallerRead>, StoreError>
}

export class CallerStore extends Context.Service<CallerStore, CallerStoreShape>()("@portal/core/CallerStore") {}

/** A CallerStore from the other ports (several reads): the memory adapter's, and the reference of the contract suite. */
export const composedCallerStore: Effect.Effect<
  CallerStoreShape,
  never,
  WorkspaceStore | SettingsStore | SessionStore | ContactStore
> = Effect.gen(function* () {
  const workspaces = yield* WorkspaceStore
  const settingsStore = yield* SettingsStore
  const sessions = yield* SessionStore
  const contacts = yield* ContactStore
  const read: CallerStoreShape["read"] = (host, tokenHash) =>
    Effect.gen(function* () {
      if (host.length === 0) return Option.none()
      const found = yield* workspaces.findByHost(host)
      if (Option.isNone(found)) return Option.none()
      const { workspaceId, domain } = found.value
      const settings = yield* settingsStore.get(workspaceId)
      if (Option.isNone(settings)) return Option.none()
      const stored = tokenHash === null ? Option.none<Session>() : yield* sessions.get(tokenHash)
      const session = Option.filter(stored, (s) => s.workspaceId === workspaceId)
      let contact = Option.none<CallerContactRead>()
      let agent = Option.none<CallerAgentRead>()
      if (Option.isSome(session)) {
        const subject = session.value.subject
        if (subject.type === "contact") {
          const id = subject.id as ContactId
          const c = yield* contacts.findById(workspaceId, id)
          if (Option.isSome(c))
            contact = Option.some({ contact: c.value, listIds: yield* contacts.listIdsOf(workspaceId, id) })
        } else {
          const catalog = yield* workspaces.catalog(workspaceId)
          const a = Option.isSome(catalog) ? catalog.value.agents.find((x) => x.id === subject.id) : undefined
          if (a !== undefined) agent = Option.some({ agentId: a.id, permissions: a.permissions ?? [] })
        }
      }
      return Option.some({ workspaceId, domain, settings: settings.value, session, contact, agent })
    })
  return CallerStore.of({ read })
})
