/**
 * The whole store as one immutable value. Every write computes the next value in full (checking
 * uniqueness and references as a database's constraints would), then swaps it in: a write that
 * fails at any step leaves the previous value untouched (all-or-nothing, like one transaction).
 */
import type {
  AgentProfile,
  AttachmentId,
  Author,
  Company,
  ContactList,
  Domain,
  Form,
  Inbox,
  IsoTime,
  MessageId,
  MessageKind,
  Note,
  Pipeline,
  Satisfaction,
  ThreadHead,
  ThreadId,
  Ticket,
  TicketId,
  Workspace,
  WorkspaceId,
} from "@portal/core/domain"
import {
  Conflict,
  type ConsentRecord,
  MissingReference,
  makeLocalWakeups,
  type OutboxMail,
  type PendingRegistration,
  type PortalEvent,
  type ReferenceKind,
  type Session,
  StorageError,
  type StoredAttachment,
  type StoredContact,
  type TicketVersionConflict,
  type VersionedSettings,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "@portal/core/ports"
import { Effect } from "effect"

export interface StoredMessage {
  readonly id: MessageId
  readonly createdAt: IsoTime
  readonly kind: MessageKind
  readonly author: Author
  readonly text: string
  readonly attachmentIds: ReadonlyArray<AttachmentId>
}

export interface StoredThread {
  readonly head: ThreadHead
  readonly messages: ReadonlyArray<StoredMessage>
}

/**
 * What an idempotency key was first used for, and what it returned (P-SEC-3): keyed by
 * `idempotencyMapKey(scope, key)`, with the fingerprint of the first request's payload.
 */
export interface IdempotencyRecord {
  readonly scope: string
  readonly key: string
  readonly fingerprint: string
  readonly command: "reply" | "createTicket" | "note"
  readonly ticketId: TicketId
  readonly threadId: ThreadId
  readonly messageId: MessageId
  /** When the key was claimed (wall clock, ms, as a database would stamp it): housekeeping's age. */
  readonly createdMs: number
}

export interface WorkspaceData {
  readonly workspace: Workspace
  readonly domains: ReadonlyArray<Domain>
  readonly agents: ReadonlyArray<AgentProfile>
  readonly agentPasswordHashes: ReadonlyMap<string, string>
  readonly companies: ReadonlyArray<Company>
  readonly contacts: ReadonlyArray<StoredContact>
  readonly lists: ReadonlyArray<ContactList>
  readonly pipelines: ReadonlyArray<Pipeline>
  readonly inboxes: ReadonlyArray<Inbox>
  readonly forms: ReadonlyArray<Form>
  readonly tickets: ReadonlyArray<Ticket>
  readonly threads: ReadonlyArray<StoredThread>
  readonly notes: ReadonlyArray<Note>
  readonly settings: VersionedSettings
  readonly consents: ReadonlyArray<ConsentRecord>
  readonly attachments: ReadonlyMap<string, StoredAttachment>
  readonly events: ReadonlyArray<PortalEvent>
  readonly idempotency: ReadonlyMap<string, IdempotencyRecord>
  /** P-AGT-3: each ticket's version; a ticket absent here is at version 1 (as imported). */
  readonly versions: ReadonlyMap<string, number>
  /** P-EXT-2: each rated ticket's rating, by ticket id (absent: none rated). */
  readonly satisfaction?: ReadonlyMap<string, Satisfaction>
}

export interface TokenRecord {
  readonly contactId: StoredContact["id"]
  readonly expiresAt: IsoTime
  readonly used: boolean
}

/** A blob's bytes and when it was stored (wall clock, ms), for the orphan cleanup's grace period. */
export interface StoredBlob {
  readonly bytes: Uint8Array
  readonly storedAtMs: number
}

export interface MemoryState {
  readonly workspaces: ReadonlyMap<string, WorkspaceData>
  /** Blobs per workspace, by key; kept apart so a blob can be put before its message exists. */
  readonly blobs: ReadonlyMap<string, ReadonlyMap<string, StoredBlob>>
  /** Last event sequence per workspace; survives re-imports so the feed never repeats a number. */
  readonly sequences: ReadonlyMap<string, number>
  readonly sessions: ReadonlyMap<string, Session>
  readonly claims: ReadonlyMap<string, IsoTime>
  readonly tokens: ReadonlyMap<string, TokenRecord>
  readonly rateLimits: ReadonlyMap<
    string,
    { readonly windowStart: number; readonly count: number /** the window's end */; readonly expiresMs: number }
  >
  /** P-AUTH-3: pending self-registrations by workspace and token hash (PendingRegistrationMemory.ts). */
  readonly pendingRegistrations: ReadonlyMap<string, PendingRegistration>
  /** Event consumers' cursors by JSON [consumer, workspaceId] (OutboxMemory.ts, P-NOT-3). */
  readonly cursors: ReadonlyMap<string, number>
  /** The notification outbox, in insertion order. */
  readonly outbox: ReadonlyArray<OutboxMail & { readonly dueMs: number }>
  /** P-HOOK-1: every workspace's webhook endpoints (WebhookMemory.ts). */
  readonly webhooks: ReadonlyArray<WebhookEndpoint>
  /** Their deliveries, in insertion order; `dueMs` is the next attempt or the lease's end. */
  readonly webhookDeliveries: ReadonlyArray<WebhookDelivery & { readonly dueMs: number }>
}

/** The mutable cell holding the current state (single-threaded JS: a swap is atomic). */
export interface MemoryDb {
  state: MemoryState
  /** Who hears of committed events (EventWakeups), told after the swap. */
  readonly wakeups: ReturnType<typeof makeLocalWakeups>
}

export const makeMemoryDb = (): MemoryDb => ({
  wakeups: makeLocalWakeups(),
  state: {
    workspaces: new Map(),
    blobs: new Map(),
    sequences: new Map(),
    sessions: new Map(),
    claims: new Map(),
    tokens: new Map(),
    rateLimits: new Map(),
    pendingRegistrations: new Map(),
    cursors: new Map(),
    outbox: [],
    webhooks: [],
    webhookDeliveries: [],
  },
})

/** The idempotency map's key of a (scope, key) pair: unambiguous whatever the strings hold. */
export const idempotencyMapKey = (claim: { readonly scope: string; readonly key: string }): string =>
  JSON.stringify([claim.scope, claim.key])

/** A domain error a write may fail with instead of a StorageError. */
export type WriteError = Conflict | MissingReference | TicketVersionConflict

/** Thrown inside a write to abandon it; the state is left as it was. */
export class Abort {
  constructor(
    readonly reason: string,
    readonly error: WriteError | null = null,
  ) {}
}

export const abort = (reason: string): never => {
  throw new Abort(reason)
}

/** Abandon the write: it named something the workspace does not have. */
export const missing = (kind: ReferenceKind, id: string): never => {
  throw new Abort(`${kind} "${id}" does not exist`, new MissingReference({ kind, id }))
}

/** Abandon the write with a Conflict. */
export const conflict = (reason: string): never => {
  throw new Abort(reason, new Conflict({ reason }))
}

export const check = (ok: boolean, reason: string): void => {
  if (!ok) throw new Abort(reason)
}

/**
 * A write that may also fail with the domain errors `E` (`missing`, `conflict`): all of `f` or
 * nothing. A domain error the port does not declare is a bug of the adapter: a defect.
 */
export const writeOr =
  <E extends WriteError = never>() =>
  <A>(
    db: MemoryDb,
    method: string,
    f: (s: MemoryState) => readonly [A, MemoryState],
  ): Effect.Effect<A, StorageError | E> =>
    Effect.suspend((): Effect.Effect<A, StorageError | E> => {
      try {
        const before = db.state
        const [value, next] = f(before)
        db.state = next
        if (next.sequences !== before.sequences)
          for (const [workspaceId, sequence] of next.sequences)
            if (before.sequences.get(workspaceId) !== sequence)
              queueMicrotask(() => db.wakeups.publish(workspaceId as WorkspaceId, sequence))
        return Effect.succeed(value)
      } catch (e) {
        if (e instanceof Abort && e.error !== null) return Effect.fail(e.error as E)
        return Effect.fail(new StorageError({ method, cause: e instanceof Abort ? e.reason : e }))
      }
    })

/** A write: all of `f` or nothing; any refusal is a StorageError. */
export const write = <A>(
  db: MemoryDb,
  method: string,
  f: (s: MemoryState) => readonly [A, MemoryState],
): Effect.Effect<A, StorageError> =>
  writeOr<WriteError>()(db, method, f).pipe(
    Effect.mapError((e) => (e._tag === "StorageError" ? e : new StorageError({ method, cause: e.message }))),
  )

/** A write that may also fail with Conflict. */
export const writeOrConflict = writeOr<Conflict>()

export const read = <A>(db: MemoryDb, f: (s: MemoryState) => A): Effect.Effect<A> => Effect.sync(() => f(db.state))

export const workspaceOf = (s: MemoryState, workspaceId: string): WorkspaceData => {
  const ws = s.workspaces.get(workspaceId)
  return ws === undefined ? abort(`workspace "${workspaceId}" does not exist`) : ws
}

export const withWorkspace = (s: MemoryState, ws: WorkspaceData, extra: Partial<MemoryState> = {}): MemoryState => ({
  ...s,
  ...extra,
  workspaces: new Map(s.workspaces).set(ws.workspace.id, ws),
})

export const setIn = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => new Map(map).set(key, value)

/** Copies plain data so that no caller can change stored values through a shared reference. */
export const copy = <A>(value: A): A => structuredClone(value)

/** The ticket's version (P-AGT-3). */
export const versionOf = (ws: WorkspaceData, ticketId: string): number => ws.versions.get(ticketId) ?? 1

/** The workspace with the ticket's version one higher (every write that changes a ticket). */
export const bumpVersion = (ws: WorkspaceData, ticketId: string): WorkspaceData => ({
  ...ws,
  versions: setIn(ws.versions, ticketId, versionOf(ws, ticketId) + 1),
})
