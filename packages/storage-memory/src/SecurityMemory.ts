/**
 * SessionStore, SecurityStore and BlobStore over the memory state.
 * Rate limits use fixed windows aligned to the Unix epoch: the window of `now` starts at
 * floor(now / window) * window; a denied hit is still counted.
 */
import { timeMs } from "@portal/core/domain"
import type { BlobStoreShape, SecurityStoreShape, SessionStoreShape } from "@portal/core/ports"
import { Option } from "effect"
import { pruneSecurity, pruneSessions } from "./Housekeeping.ts"
import { pendingRegistrationStore } from "./PendingRegistrationMemory.ts"
import { check, copy, type MemoryDb, read, type StoredBlob, setIn, write } from "./State.ts"

const key = (...parts: ReadonlyArray<string>) => parts.join("\u0000")

export const sessionStore = (db: MemoryDb): SessionStoreShape => ({
  create: (session) =>
    write(db, "create", (s) => {
      check(!s.sessions.has(session.tokenHash), "session token already exists")
      return [undefined, { ...s, sessions: setIn(s.sessions, session.tokenHash, copy(session)) }]
    }),
  get: (tokenHash) => read(db, (s) => Option.fromUndefinedOr(s.sessions.get(tokenHash)).pipe(Option.map(copy))),
  touch: (tokenHash, at) =>
    write(db, "touch", (s) => {
      const session = s.sessions.get(tokenHash)
      if (session === undefined) return [undefined, s]
      return [undefined, { ...s, sessions: setIn(s.sessions, tokenHash, { ...session, lastSeenAt: at }) }]
    }),
  remove: (tokenHash) =>
    write(db, "remove", (s) => {
      const sessions = new Map(s.sessions)
      sessions.delete(tokenHash)
      return [undefined, { ...s, sessions }]
    }),
  removeAllOf: (workspaceId, subject) =>
    write(db, "removeAllOf", (s) => {
      const sessions = new Map(
        [...s.sessions].filter(
          ([, session]) =>
            session.workspaceId !== workspaceId ||
            session.subject.type !== subject.type ||
            session.subject.id !== subject.id,
        ),
      )
      return [undefined, { ...s, sessions }]
    }),
  pruneExpired: (workspaceId, cutoffs, limit) => write(db, "pruneExpired", pruneSessions(workspaceId, cutoffs, limit)),
})

export const securityStore = (db: MemoryDb): SecurityStoreShape => ({
  claimOnce: (workspaceId, namespace, claimKey, expiresAt) =>
    write(db, "claimOnce", (s) => {
      const k = key(workspaceId, namespace, claimKey)
      if (s.claims.has(k)) return [false, s]
      return [true, { ...s, claims: setIn(s.claims, k, expiresAt) }]
    }),
  createToken: (token) =>
    write(db, "createToken", (s) => {
      const k = key(token.workspaceId, token.purpose, token.tokenHash)
      check(!s.tokens.has(k), "token already exists")
      const record = { contactId: token.contactId, expiresAt: token.expiresAt, used: false }
      return [undefined, { ...s, tokens: setIn(s.tokens, k, record) }]
    }),
  consumeToken: (workspaceId, purpose, tokenHash, now) =>
    write(db, "consumeToken", (s) => {
      const k = key(workspaceId, purpose, tokenHash)
      const token = s.tokens.get(k)
      if (token === undefined || token.used || timeMs(now) >= timeMs(token.expiresAt)) return [Option.none(), s]
      return [Option.some(token.contactId), { ...s, tokens: setIn(s.tokens, k, { ...token, used: true }) }]
    }),
  findToken: (workspaceId, purpose, tokenHash, now) =>
    read(db, (s) => {
      const token = s.tokens.get(key(workspaceId, purpose, tokenHash))
      return token === undefined || token.used || timeMs(now) >= timeMs(token.expiresAt)
        ? Option.none()
        : Option.some(token.contactId)
    }),
  consumeTokenEndingOthers: (workspaceId, purpose, tokenHash, now) =>
    write(db, "consumeTokenEndingOthers", (s) => {
      const token = s.tokens.get(key(workspaceId, purpose, tokenHash))
      if (token === undefined || token.used || timeMs(now) >= timeMs(token.expiresAt)) return [Option.none(), s]
      const prefix = key(workspaceId, "")
      const tokens = new Map(
        [...s.tokens].map(([k, t]) =>
          k.startsWith(prefix) && t.contactId === token.contactId && !t.used ? [k, { ...t, used: true }] : [k, t],
        ),
      )
      return [Option.some(token.contactId), { ...s, tokens }]
    }),
  undoRateLimitHit: (limitKey, windowSeconds, now) =>
    write(db, "undoRateLimitHit", (s) => {
      const windowMs = windowSeconds * 1000
      const windowStart = Math.floor(timeMs(now) / windowMs) * windowMs
      const previous = s.rateLimits.get(limitKey)
      if (previous === undefined || previous.windowStart !== windowStart || previous.count <= 0) return [undefined, s]
      const rateLimits = setIn(s.rateLimits, limitKey, { ...previous, count: previous.count - 1 })
      return [undefined, { ...s, rateLimits }]
    }),
  hitRateLimit: (limitKey, windowSeconds, limit, now) =>
    write(db, "hitRateLimit", (s) => {
      const windowMs = windowSeconds * 1000
      const nowMs = timeMs(now)
      const windowStart = Math.floor(nowMs / windowMs) * windowMs
      const previous = s.rateLimits.get(limitKey)
      const count = previous !== undefined && previous.windowStart === windowStart ? previous.count + 1 : 1
      const allowed = count <= limit
      const retryAfterSeconds = allowed ? 0 : Math.ceil((windowStart + windowMs - nowMs) / 1000)
      return [
        { allowed, count, retryAfterSeconds },
        { ...s, rateLimits: setIn(s.rateLimits, limitKey, { windowStart, count, expiresMs: windowStart + windowMs }) },
      ]
    }),
  ...pendingRegistrationStore(db),
  pruneExpired: (now, limit) => write(db, "pruneExpired", pruneSecurity(timeMs(now), limit)),
})

/** Blobs are timed by the wall clock (Date.now) when put, as a database would stamp them. */
export const blobStore = (db: MemoryDb): BlobStoreShape => ({
  put: (workspaceId, blobKey, bytes) =>
    write(db, "put", (s) => {
      const blob: StoredBlob = { bytes: new Uint8Array(bytes), storedAtMs: Date.now() }
      const blobs = setIn(s.blobs.get(workspaceId) ?? new Map<string, StoredBlob>(), blobKey, blob)
      return [undefined, { ...s, blobs: setIn(s.blobs, workspaceId as string, blobs) }]
    }),
  get: (workspaceId, blobKey) =>
    read(db, (s) =>
      Option.fromUndefinedOr(s.blobs.get(workspaceId)?.get(blobKey)).pipe(Option.map((b) => new Uint8Array(b.bytes))),
    ),
  deleteOrphans: (workspaceId, storedBefore) =>
    write(db, "deleteOrphans", (s) => {
      const blobs = s.blobs.get(workspaceId)
      if (blobs === undefined) return [0, s]
      const cutoff = timeMs(storedBefore)
      const referenced = new Set([...(s.workspaces.get(workspaceId)?.attachments.values() ?? [])].map((a) => a.blobKey))
      const kept = new Map([...blobs].filter(([key, b]) => referenced.has(key) || b.storedAtMs >= cutoff))
      const removed = blobs.size - kept.size
      return removed === 0 ? [0, s] : [removed, { ...s, blobs: setIn(s.blobs, workspaceId as string, kept) }]
    }),
})
