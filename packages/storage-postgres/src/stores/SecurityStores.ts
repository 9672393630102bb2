/**
 * SessionStore, SecurityStore and BlobStore on SQL. Each operation is a single statement, so it
 * is atomic without an explicit transaction: a token is consumed by one UPDATE … WHERE unused
 * (with its contact's other tokens, in one statement of two data-modifying CTEs, P-SEC-5),
 * a single-use key is claimed by INSERT … ON CONFLICT DO NOTHING, and a rate-limit hit is one
 * upsert (fixed windows aligned to the Unix epoch; a denied hit is still counted).
 */
import { ContactId, IsoTime, timeMs, WorkspaceId } from "@portal/core/domain"
import {
  BlobStore,
  type BlobStoreShape,
  SecurityStore,
  type SecurityStoreShape,
  type Session,
  SessionStore,
  type SessionStoreShape,
  StorageError,
} from "@portal/core/ports"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"
import { toNumber } from "../Driver.ts"
import { Column } from "../Sql.ts"
import { pendingRegistrationStore } from "./PendingRegistrations.ts"

/** The session of a cookie, read on every signed-in request: named statements. */
const SESSION_GET = {
  name: "portal_session_get",
  text: `SELECT token_hash, workspace_id, subject_type, subject_id, created_at, last_seen_at, absolute_expires_at
         FROM sessions WHERE token_hash = $1`,
}
const SESSION_TOUCH = {
  name: "portal_session_touch",
  text: "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1",
}

const SessionRow = Schema.Struct({
  token_hash: Schema.String,
  workspace_id: WorkspaceId,
  subject_type: Schema.Literals(["contact", "agent"]),
  subject_id: Schema.String,
  created_at: IsoTime,
  last_seen_at: IsoTime,
  absolute_expires_at: IsoTime,
})
const sessionFrom = (r: typeof SessionRow.Type): Session => ({
  tokenHash: r.token_hash,
  workspaceId: r.workspace_id,
  subject: { type: r.subject_type, id: r.subject_id },
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  absoluteExpiresAt: r.absolute_expires_at,
})
const ContactIdRow = Schema.Struct({ contact_id: ContactId })
const contactIdOf = Effect.map(Option.map((r: typeof ContactIdRow.Type) => r.contact_id))

export const makeSessionStore = Effect.gen(function* () {
  const db = yield* Database
  const store: SessionStoreShape = {
    create: (s) =>
      db.run("SessionStore.create", (q) =>
        q
          .query(
            `INSERT INTO sessions (workspace_id, token_hash, subject_type, subject_id, created_at, last_seen_at, absolute_expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [s.workspaceId, s.tokenHash, s.subject.type, s.subject.id, s.createdAt, s.lastSeenAt, s.absoluteExpiresAt],
          )
          .then(() => undefined),
      ),
    get: (tokenHash) =>
      db.findOne("SessionStore.get", SessionRow, SESSION_GET, [tokenHash]).pipe(Effect.map(Option.map(sessionFrom))),
    touch: (tokenHash, at) =>
      db.run("SessionStore.touch", (q) => q.query(SESSION_TOUCH, [tokenHash, at]).then(() => undefined)),
    remove: (tokenHash) =>
      db.run("SessionStore.remove", (q) =>
        q.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]).then(() => undefined),
      ),
    removeAllOf: (workspaceId, subject) =>
      db.run("SessionStore.removeAllOf", (q) =>
        q
          .query("DELETE FROM sessions WHERE workspace_id = $1 AND subject_type = $2 AND subject_id = $3", [
            workspaceId,
            subject.type,
            subject.id,
          ])
          .then(() => undefined),
      ),
    // Batches by the primary key; the outer conditions are checked again on a row a concurrent
    // touch changed (so a session used meanwhile is kept).
    pruneExpired: (workspaceId, cutoffs, limit) =>
      db.run("SessionStore.pruneExpired", async (q) => {
        const expired = `(absolute_expires_at COLLATE "C" <= $2 OR created_at COLLATE "C" <= $3
            OR (last_seen_at COLLATE "C" <= $4 AND created_at COLLATE "C" <= $4))`
        const [row] = await q.query(
          `WITH gone AS (
             DELETE FROM sessions WHERE workspace_id = $1 AND ${expired} AND token_hash IN (
               SELECT token_hash FROM sessions WHERE workspace_id = $1 AND ${expired} LIMIT $5)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [workspaceId, cutoffs.now, cutoffs.createdBefore, cutoffs.idleBefore, limit],
        )
        return toNumber(row?.n)
      }),
  }
  return SessionStore.of(store)
})

export const makeSecurityStore = Effect.gen(function* () {
  const db = yield* Database
  const store: SecurityStoreShape = {
    claimOnce: (workspaceId, namespace, key, expiresAt) =>
      db.run("SecurityStore.claimOnce", async (q) => {
        const rows = await q.query(
          `INSERT INTO single_use_keys (workspace_id, namespace, key, expires_ms) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace_id, namespace, key) DO NOTHING RETURNING 1`,
          [workspaceId, namespace, key, timeMs(expiresAt)],
        )
        return rows.length > 0
      }),
    createToken: (t) =>
      db.run("SecurityStore.createToken", (q) =>
        q
          .query(
            `INSERT INTO security_tokens (workspace_id, purpose, token_hash, contact_id, expires_ms) VALUES ($1, $2, $3, $4, $5)`,
            [t.workspaceId, t.purpose, t.tokenHash, t.contactId, timeMs(t.expiresAt)],
          )
          .then(() => undefined),
      ),
    consumeToken: (workspaceId, purpose, tokenHash, now) =>
      db
        .findOne(
          "SecurityStore.consumeToken",
          ContactIdRow,
          `UPDATE security_tokens SET consumed = true
           WHERE workspace_id = $1 AND purpose = $2 AND token_hash = $3 AND NOT consumed AND expires_ms > $4
           RETURNING contact_id`,
          [workspaceId, purpose, tokenHash, timeMs(now)],
        )
        .pipe(contactIdOf),
    findToken: (workspaceId, purpose, tokenHash, now) =>
      db
        .findOne(
          "SecurityStore.findToken",
          ContactIdRow,
          `SELECT contact_id FROM security_tokens
           WHERE workspace_id = $1 AND purpose = $2 AND token_hash = $3 AND NOT consumed AND expires_ms > $4`,
          [workspaceId, purpose, tokenHash, timeMs(now)],
        )
        .pipe(contactIdOf),
    // One statement: the token and its contact's other unused tokens (any purpose) end together
    // (PostgreSQL runs a data-modifying CTE to completion whether or not its rows are read).
    consumeTokenEndingOthers: (workspaceId, purpose, tokenHash, now) =>
      db
        .findOne(
          "SecurityStore.consumeTokenEndingOthers",
          ContactIdRow,
          `WITH used AS (
             UPDATE security_tokens SET consumed = true
             WHERE workspace_id = $1 AND purpose = $2 AND token_hash = $3 AND NOT consumed AND expires_ms > $4
             RETURNING contact_id
           ), others AS (
             UPDATE security_tokens t SET consumed = true FROM used
             WHERE t.workspace_id = $1 AND t.contact_id = used.contact_id AND NOT t.consumed
               AND NOT (t.purpose = $2 AND t.token_hash = $3)
             RETURNING 1
           )
           SELECT contact_id FROM used`,
          [workspaceId, purpose, tokenHash, timeMs(now)],
        )
        .pipe(contactIdOf),
    undoRateLimitHit: (key, windowSeconds, now) =>
      db.run("SecurityStore.undoRateLimitHit", (q) => {
        const windowMs = windowSeconds * 1000
        const windowStart = Math.floor(timeMs(now) / windowMs) * windowMs
        return q
          .query("UPDATE rate_limits SET hits = hits - 1 WHERE key = $1 AND window_start = $2 AND hits > 0", [
            key,
            windowStart,
          ])
          .then(() => undefined)
      }),
    hitRateLimit: (key, windowSeconds, limit, now) =>
      Effect.suspend(() => {
        const windowMs = windowSeconds * 1000
        const nowMs = timeMs(now)
        const windowStart = Math.floor(nowMs / windowMs) * windowMs
        return db
          .findOne(
            "SecurityStore.hitRateLimit",
            Schema.Struct({ hits: Column.Int8 }),
            `INSERT INTO rate_limits (key, window_start, hits, expires_ms) VALUES ($1, $2, 1, $3)
           ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN rate_limits.window_start = EXCLUDED.window_start THEN rate_limits.hits + 1 ELSE 1 END,
             window_start = EXCLUDED.window_start, expires_ms = EXCLUDED.expires_ms
           RETURNING hits`,
            [key, windowStart, windowStart + windowMs],
          )
          .pipe(
            Effect.flatMap(
              Option.match({
                onNone: () => Effect.fail(new StorageError({ method: "SecurityStore.hitRateLimit", cause: "no row" })),
                onSome: Effect.succeed,
              }),
            ),
            Effect.map(({ hits: count }) => {
              const allowed = count <= limit
              return {
                allowed,
                count,
                retryAfterSeconds: allowed ? 0 : Math.ceil((windowStart + windowMs - nowMs) / 1000),
              }
            }),
          )
      }),
    ...pendingRegistrationStore(db),
    // One statement, four batches by each table's expiry index; the outer conditions are checked
    // again on a row changed meanwhile (a rate limit hit in a new window is kept).
    pruneExpired: (now, limit) =>
      db.run("SecurityStore.pruneExpired", async (q) => {
        const [row] = await q.query(
          `WITH k AS (
             DELETE FROM single_use_keys WHERE expires_ms <= $1 AND (workspace_id, namespace, key) IN (
               SELECT workspace_id, namespace, key FROM single_use_keys WHERE expires_ms <= $1 LIMIT $2)
             RETURNING 1
           ), t AS (
             DELETE FROM security_tokens WHERE (consumed OR expires_ms <= $1) AND (workspace_id, purpose, token_hash) IN (
               SELECT workspace_id, purpose, token_hash FROM security_tokens WHERE consumed OR expires_ms <= $1 LIMIT $2)
             RETURNING 1
           ), p AS (
             DELETE FROM pending_registrations WHERE expires_ms <= $1 AND (workspace_id, token_hash) IN (
               SELECT workspace_id, token_hash FROM pending_registrations WHERE expires_ms <= $1 LIMIT $2)
             RETURNING 1
           ), r AS (
             DELETE FROM rate_limits WHERE expires_ms <= $1 AND key IN (
               SELECT key FROM rate_limits WHERE expires_ms <= $1 LIMIT $2)
             RETURNING 1
           )
           SELECT (SELECT count(*) FROM k)::int AS k, (SELECT count(*) FROM t)::int AS t,
             (SELECT count(*) FROM p)::int AS p, (SELECT count(*) FROM r)::int AS r`,
          [timeMs(now), limit],
        )
        return {
          singleUseKeys: toNumber(row?.k),
          tokens: toNumber(row?.t),
          pendingRegistrations: toNumber(row?.p),
          rateLimits: toNumber(row?.r),
        }
      }),
  }
  return SecurityStore.of(store)
})

export const makeBlobStore = Effect.gen(function* () {
  const db = yield* Database
  const store: BlobStoreShape = {
    put: (workspaceId, key, bytes) =>
      db.run("BlobStore.put", (q) =>
        q
          .query(
            `INSERT INTO blobs (workspace_id, blob_key, bytes, stored_at) VALUES ($1, $2, $3, now())
             ON CONFLICT (workspace_id, blob_key) DO UPDATE SET bytes = EXCLUDED.bytes, stored_at = EXCLUDED.stored_at`,
            [workspaceId, key, bytes],
          )
          .then(() => undefined),
      ),
    get: (workspaceId, key) =>
      db
        .findOne(
          "BlobStore.get",
          Schema.Struct({ bytes: Column.Bytes }),
          "SELECT bytes FROM blobs WHERE workspace_id = $1 AND blob_key = $2",
          [workspaceId, key],
        )
        // A Buffer (pg) or a view into PGlite's memory: hand out a plain copy.
        .pipe(Effect.map(Option.map((row) => Uint8Array.from(row.bytes)))),
    // One statement: a blob referenced by the time it runs (a reply that committed) is kept.
    // stored_at is the database's clock (migration 0004); the cutoff is the caller's.
    deleteOrphans: (workspaceId, storedBefore) =>
      db
        .findOne(
          "BlobStore.deleteOrphans",
          Schema.Struct({ n: Column.Int8 }),
          `WITH gone AS (
             DELETE FROM blobs b WHERE b.workspace_id = $1 AND b.stored_at < $2::timestamptz
               AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.workspace_id = b.workspace_id AND a.blob_key = b.blob_key)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [workspaceId, storedBefore],
        )
        .pipe(Effect.map(Option.match({ onNone: () => 0, onSome: (r) => r.n }))),
  }
  return BlobStore.of(store)
})

export const layerSessionStore = Layer.effect(SessionStore, makeSessionStore)
export const layerSecurityStore = Layer.effect(SecurityStore, makeSecurityStore)
export const layerBlobStore = Layer.effect(BlobStore, makeBlobStore)
