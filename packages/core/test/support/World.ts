/**
 * Small in-memory stub layers for the use-case tests: every port over plain Maps, built from a
 * workspace document. The stubs follow the ports' contracts in the simplest way (the ticket store
 * filters with the pure visibility rule) and record every call in `calls`, so tests can assert
 * what was written, and what was not.
 */
import { Effect, Exit, Layer, Option } from "effect"
import {
  type Company,
  type ContactId,
  type IsoTime,
  type Message,
  type Note,
  type PortalSettings,
  type Satisfaction,
  type Thread,
  type Ticket,
  timeMs,
  type WorkspaceDocument,
  type WorkspaceId,
} from "../../src/domain/index.ts"
import {
  BlobStore,
  type Catalog,
  Clock,
  Conflict,
  type ConsentRecord,
  ContactStore,
  type CreateTicketCommand,
  IdGenerator,
  type Mail,
  MailError,
  Mailer,
  MissingReference,
  PasswordHasher,
  type PendingRegistration,
  type ReplyCommand,
  SecurityStore,
  type Session,
  SessionStore,
  SettingsStore,
  type StoredAttachment,
  type StoredContact,
  TicketStore,
  WorkspaceStore,
} from "../../src/ports/index.ts"
import { defaultSignInThrottle } from "../../src/rules/index.ts"
import {
  type AgentViewer,
  layerMailQueueInline,
  type PortalContext,
  SignInThrottle,
  type Viewer,
} from "../../src/usecases/index.ts"
import { ticketStoreStub } from "./TicketStub.ts"

export type World = ReturnType<typeof makeWorld>
export type MutableThread = Omit<Thread, "messages"> & { messages: Array<Message> }

export const makeState = (doc: WorkspaceDocument) => ({
  now: "2026-10-05T12:00:00Z" as IsoTime,
  settings: doc.portal as PortalSettings,
  version: 1,
  catalog: {
    workspace: doc.workspace,
    domains: doc.domains,
    agents: doc.agents,
    pipelines: doc.pipelines,
    inboxes: doc.inboxes,
    forms: doc.forms,
    lists: doc.lists.map(({ id, name }) => ({ id, name })),
  } as Catalog,
  contacts: new Map<string, StoredContact>(
    doc.contacts.map(({ password, ...c }) => [
      c.id,
      { ...c, passwordHash: password === undefined ? null : `hash:${password}` },
    ]),
  ),
  lists: new Map(doc.lists.map((l) => [l.id as string, new Set<string>(l.contactIds)])),
  consents: [] as Array<ConsentRecord>,
  tickets: new Map<string, Ticket>(doc.tickets.map((t) => [t.id, t])),
  threads: doc.threads.map((t) => ({ ...t, messages: [...t.messages] })) as Array<MutableThread>,
  blobs: new Map<string, Uint8Array>(),
  claims: new Set<string>(),
  tokens: new Map<string, { purpose: string; contactId: ContactId; expiresAt: IsoTime; used: boolean }>(),
  /** P-AUTH-3: pending self-registrations by token hash. */
  pending: new Map<string, PendingRegistration>(),
  rateCounts: new Map<string, number>(),
  rateLimitOverride: null as null | { allowed: boolean },
  sessions: new Map<string, Session>(),
  outbox: [] as Array<Mail>,
  failMailTo: new Set<string>(),
  replies: [] as Array<ReplyCommand>,
  closes: [] as Array<{ ticketId: string; stageId: string; by: string }>,
  created: [] as Array<CreateTicketCommand>,
  idempotency: new Map<string, unknown>(),
  calls: [] as Array<string>,
  ids: 0,
  verifyCalls: [] as Array<string>,
  hashCalls: 0,
  agentHashes: new Map<string, string>(
    doc.agents.flatMap((a) => (a.password === undefined ? [] : [[a.id as string, `hash:${a.password}`] as const])),
  ),
  companies: new Map<string, Company>(doc.companies.map((c) => [c.id, c])),
  notes: new Map<string, Note>(doc.notes.map((n) => [n.id, n])),
  attachments: new Map<string, StoredAttachment>(),
  events: [] as Array<{ kind: string; ticketId: string }>,
  ratings: new Map<string, Satisfaction>(),
})

export type WorldState = ReturnType<typeof makeState>

export const makeWorld = (doc: WorkspaceDocument) => {
  const ws = doc.workspace.id
  const state = makeState(doc)
  const mailer = Layer.succeed(Mailer, {
    send: (mail) =>
      state.failMailTo.has(mail.to)
        ? Effect.fail(new MailError({ method: "send", cause: "smtp down" }))
        : Effect.sync(() => void state.outbox.push(mail)),
  })
  const layer = Layer.mergeAll(
    Layer.succeed(SettingsStore, {
      get: (id) =>
        Effect.sync(() =>
          id === ws ? Option.some({ settings: state.settings, version: state.version }) : Option.none(),
        ),
      save: (_id, settings, expected) =>
        Effect.suspend(() => {
          state.calls.push("settings.save")
          if (expected !== state.version) return Effect.fail(new Conflict({ reason: "stale version" }))
          state.settings = settings
          state.version++
          return Effect.succeed(state.version)
        }),
    }),
    Layer.succeed(WorkspaceStore, {
      findByHost: () => Effect.succeed(Option.none()),
      catalog: (id) => Effect.sync(() => (id === ws ? Option.some(state.catalog) : Option.none())),
      listWorkspaceIds: () => Effect.succeed([ws]),
      importDocument: () => Effect.void,
      exportDocument: () => Effect.succeed(Option.none()),
      agentPasswordHash: (_w, id) => Effect.sync(() => Option.fromNullishOr(state.agentHashes.get(id))),
      upsertAgent: (_w, agent, hash) =>
        Effect.sync(() => {
          state.calls.push("workspace.upsertAgent")
          const agents = state.catalog.agents.filter((a) => a.id !== agent.id)
          state.catalog = { ...state.catalog, agents: [...agents, agent] }
          if (hash !== null) state.agentHashes.set(agent.id, hash)
        }),
      setDomains: (_w, domains) =>
        Effect.sync(() => {
          state.calls.push("workspace.setDomains")
          state.catalog = { ...state.catalog, domains }
        }),
      setBranding: (_w, branding) =>
        Effect.sync(() => {
          state.calls.push("workspace.setBranding")
          state.catalog = { ...state.catalog, workspace: { ...state.catalog.workspace, branding } }
        }),
      upsertCompany: (_w, company) =>
        Effect.sync(() => {
          const created = !state.companies.has(company.id)
          state.companies.set(company.id, company)
          return { created }
        }),
      upsertList: (_w, list) =>
        Effect.suspend(() => {
          const stranger = list.contactIds.find((id) => !state.contacts.has(id))
          if (stranger !== undefined) return Effect.fail(new MissingReference({ kind: "contact", id: stranger }))
          const created = !state.lists.has(list.id)
          state.lists.set(list.id, new Set(list.contactIds))
          return Effect.succeed({ created })
        }),
    }),
    Layer.succeed(ContactStore, {
      findByEmail: (_w, email) =>
        Effect.sync(() =>
          Option.fromNullishOr([...state.contacts.values()].find((c) => c.email.toLowerCase() === email.toLowerCase())),
        ),
      findById: (_w, id) => Effect.sync(() => Option.fromNullishOr(state.contacts.get(id))),
      listIdsOf: (_w, id) =>
        Effect.sync(() => [...state.lists].filter(([, members]) => members.has(id)).map(([listId]) => listId as never)),
      contactsInLists: (_w, listIds) =>
        Effect.sync(() =>
          [...state.contacts.values()].filter((c) => listIds.some((l) => state.lists.get(l)?.has(c.id))),
        ),
      register: (_w, contact, consent) =>
        Effect.suspend(() => {
          state.calls.push("contacts.register")
          if (state.contacts.get(contact.id)?.passwordHash) return Effect.fail(new Conflict({ reason: "registered" }))
          state.contacts.set(contact.id, contact)
          if (consent !== null) state.consents.push(consent)
          return Effect.succeed(contact)
        }),
      setPassword: (_w, id, hash) =>
        Effect.sync(() => {
          state.calls.push("contacts.setPassword")
          const c = state.contacts.get(id)
          if (c !== undefined) state.contacts.set(id, { ...c, passwordHash: hash })
        }),
      upsert: (_w, contact) =>
        Effect.sync(() => {
          state.contacts.set(contact.id, contact)
          return contact
        }),
      setUnsubscribed: (_w, id, unsubscribed) =>
        Effect.sync(() => {
          const c = state.contacts.get(id)
          if (c !== undefined) state.contacts.set(id, { ...c, unsubscribed })
          return c !== undefined
        }),
      unsubscribedContacts: (_w, limit) =>
        Effect.sync(() => {
          const all = [...state.contacts.values()].filter((c) => c.unsubscribed === true)
          return { contacts: all.slice(0, limit).map(({ passwordHash: _, ...c }) => c), total: all.length }
        }),
      consentsOf: (_w, id) => Effect.sync(() => state.consents.filter((c) => c.contactId === id)),
    }),
    Layer.succeed(TicketStore, ticketStoreStub(doc, state)),
    Layer.succeed(BlobStore, {
      put: (_w, key, bytes) => Effect.sync(() => void state.blobs.set(key, bytes)),
      get: (_w, key) => Effect.sync(() => Option.fromNullishOr(state.blobs.get(key))),
      deleteOrphans: () => Effect.die("unused by these use-cases"),
    }),
    Layer.succeed(SecurityStore, {
      claimOnce: (_w, namespace, key) =>
        Effect.sync(() => {
          const id = `${namespace}:${key}`
          if (state.claims.has(id)) return false
          state.claims.add(id)
          return true
        }),
      createToken: (t) =>
        Effect.sync(
          () =>
            void state.tokens.set(t.tokenHash, {
              purpose: t.purpose,
              contactId: t.contactId,
              expiresAt: t.expiresAt,
              used: false,
            }),
        ),
      consumeToken: (_w, purpose, hash, now) =>
        Effect.sync(() => {
          const t = state.tokens.get(hash)
          if (t === undefined || t.used || t.purpose !== purpose || timeMs(now) >= timeMs(t.expiresAt))
            return Option.none()
          t.used = true
          return Option.some(t.contactId)
        }),
      findToken: (_w, purpose, hash, now) =>
        Effect.sync(() => {
          const t = state.tokens.get(hash)
          if (t === undefined || t.used || t.purpose !== purpose || timeMs(now) >= timeMs(t.expiresAt))
            return Option.none()
          return Option.some(t.contactId)
        }),
      consumeTokenEndingOthers: (_w, purpose, hash, now) =>
        Effect.sync(() => {
          const t = state.tokens.get(hash)
          if (t === undefined || t.used || t.purpose !== purpose || timeMs(now) >= timeMs(t.expiresAt))
            return Option.none()
          for (const other of state.tokens.values()) if (other.contactId === t.contactId) other.used = true
          return Option.some(t.contactId)
        }),
      undoRateLimitHit: (key, windowSeconds, now) =>
        Effect.sync(() => {
          const bucket = `${key}@${Math.floor(timeMs(now) / 1000 / windowSeconds)}`
          const count = state.rateCounts.get(bucket) ?? 0
          if (count > 0) state.rateCounts.set(bucket, count - 1)
        }),
      hitRateLimit: (key, windowSeconds, limit, now) =>
        Effect.sync(() => {
          const bucket = `${key}@${Math.floor(timeMs(now) / 1000 / windowSeconds)}`
          const count = (state.rateCounts.get(bucket) ?? 0) + 1
          state.rateCounts.set(bucket, count)
          return { allowed: state.rateLimitOverride?.allowed ?? count <= limit, count, retryAfterSeconds: 60 }
        }),
      createPendingRegistration: (p) =>
        Effect.sync(() => {
          state.calls.push("security.createPendingRegistration")
          state.pending.set(p.tokenHash, p)
        }),
      consumePendingRegistration: (_w, hash, now) =>
        Effect.sync(() => {
          state.calls.push("security.consumePendingRegistration")
          const p = state.pending.get(hash)
          if (p === undefined || timeMs(now) >= timeMs(p.expiresAt)) return Option.none()
          for (const [h, other] of state.pending) if (other.email === p.email) state.pending.delete(h)
          return Option.some(p)
        }),
      pruneExpired: () => Effect.die("not stubbed: housekeeping is tested on the storage adapters"),
    }),
    Layer.succeed(SessionStore, {
      create: (s) => Effect.sync(() => void state.sessions.set(s.tokenHash, s)),
      get: (h) => Effect.sync(() => Option.fromNullishOr(state.sessions.get(h))),
      touch: (h, at) =>
        Effect.sync(() => {
          const s = state.sessions.get(h)
          if (s !== undefined) state.sessions.set(h, { ...s, lastSeenAt: at })
        }),
      remove: (h) => Effect.sync(() => void state.sessions.delete(h)),
      removeAllOf: (w, subject) =>
        Effect.sync(() => {
          for (const [h, s] of state.sessions)
            if (s.workspaceId === w && s.subject.type === subject.type && s.subject.id === subject.id)
              state.sessions.delete(h)
        }),
      pruneExpired: () => Effect.die("not stubbed: housekeeping is tested on the storage adapters"),
    }),
    Layer.succeed(Clock, { now: () => Effect.sync(() => state.now) }),
    // P-SEC-4: the real limits, with delays of a few milliseconds so the tests stay quick.
    Layer.succeed(SignInThrottle, {
      ...defaultSignInThrottle,
      perAccount: { ...defaultSignInThrottle.perAccount, firstDelayMs: 1, maxDelayMs: 4 },
    }),
    Layer.succeed(IdGenerator, { next: (prefix) => Effect.sync(() => `${prefix}-${++state.ids}`) }),
    Layer.succeed(PasswordHasher, {
      hash: (password) =>
        Effect.sync(() => {
          state.hashCalls++
          return `hash:${password}`
        }),
      verify: (hash, password) =>
        Effect.sync(() => {
          state.verifyCalls.push(hash)
          return hash === `hash:${password}`
        }),
    }),
    mailer,
    // Mails of the queue are sent inline: a test reads the outbox right after the call.
    Layer.provide(layerMailQueueInline, mailer),
  )

  const run = <A, E>(program: Effect.Effect<A, E, Layer.Success<typeof layer>>) =>
    Effect.runPromiseExit(Effect.provide(program, layer))
  const viewer = (contactId: string): Viewer => ({ workspaceId: ws as WorkspaceId, contactId: contactId as ContactId })
  const agent = (permissions: AgentViewer["permissions"] = ["portal.settings"]): AgentViewer => ({
    workspaceId: ws as WorkspaceId,
    agentId: "u1" as never,
    permissions,
  })
  const portal: PortalContext = { workspaceId: ws as WorkspaceId, baseUrl: "https://support.acme.test", language: "en" }
  /** Remove a contact's login, as if the team had created the contact without one. */
  const clearPassword = (contactId: string) => {
    const contact = state.contacts.get(contactId)
    if (contact !== undefined) state.contacts.set(contactId, { ...contact, passwordHash: null })
  }
  return { state, layer, run, viewer, agent, portal, clearPassword, ws: ws as WorkspaceId }
}

/** The success value, or a test failure showing the error. */
export const success = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected success, got ${String(exit.cause)}`)
}

/** The typed error of a failed exit (a defect or success fails the test). */
export const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isFailure(exit)) {
    const error = exit.cause.reasons.find((r) => r._tag === "Fail")
    if (error !== undefined && "error" in error) return error.error as E
  }
  throw new Error(`expected a failure, got ${Exit.isSuccess(exit) ? "success" : String(exit.cause)}`)
}
