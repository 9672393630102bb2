/**
 * Housekeeping (issue 12) over the memory state: the same deletions as the SQL adapter's, at most
 * `limit` of each kind per call, by the same conditions (see the ports' comments).
 */
import { timeMs } from "@portal/core/domain"
import type { SecurityPruneCounts, SessionCutoffs } from "@portal/core/ports"
import type { MemoryState, WorkspaceData } from "./State.ts"

/** The entries of `map` to delete: at most `limit` of those `gone` picks. */
const pick = <K, V>(map: ReadonlyMap<K, V>, gone: (value: V) => boolean, limit: number): ReadonlyArray<K> => {
  const keys: Array<K> = []
  for (const [k, v] of map) {
    if (keys.length >= limit) break
    if (gone(v)) keys.push(k)
  }
  return keys
}

const without = <K, V>(map: ReadonlyMap<K, V>, keys: ReadonlyArray<K>): ReadonlyMap<K, V> => {
  if (keys.length === 0) return map
  const next = new Map(map)
  for (const k of keys) next.delete(k)
  return next
}

export const pruneSessions =
  (workspaceId: string, cutoffs: SessionCutoffs, limit: number) =>
  (s: MemoryState): readonly [number, MemoryState] => {
    const now = timeMs(cutoffs.now)
    const idle = timeMs(cutoffs.idleBefore)
    const created = timeMs(cutoffs.createdBefore)
    const keys = pick(
      s.sessions,
      (x) =>
        x.workspaceId === workspaceId &&
        (timeMs(x.absoluteExpiresAt) <= now ||
          timeMs(x.createdAt) <= created ||
          (timeMs(x.lastSeenAt) <= idle && timeMs(x.createdAt) <= idle)),
      limit,
    )
    return [keys.length, keys.length === 0 ? s : { ...s, sessions: without(s.sessions, keys) }]
  }

export const pruneSecurity =
  (nowMs: number, limit: number) =>
  (s: MemoryState): readonly [SecurityPruneCounts, MemoryState] => {
    const claims = pick(s.claims, (expiresAt) => timeMs(expiresAt) <= nowMs, limit)
    const tokens = pick(s.tokens, (t) => t.used || timeMs(t.expiresAt) <= nowMs, limit)
    const pending = pick(s.pendingRegistrations, (p) => timeMs(p.expiresAt) <= nowMs, limit)
    const rates = pick(s.rateLimits, (r) => r.expiresMs <= nowMs, limit)
    const counts = {
      singleUseKeys: claims.length,
      tokens: tokens.length,
      pendingRegistrations: pending.length,
      rateLimits: rates.length,
    }
    return [
      counts,
      {
        ...s,
        claims: without(s.claims, claims),
        tokens: without(s.tokens, tokens),
        pendingRegistrations: without(s.pendingRegistrations, pending),
        rateLimits: without(s.rateLimits, rates),
      },
    ]
  }

export const pruneIdempotency =
  (createdBeforeMs: number, limit: number) =>
  (s: MemoryState): readonly [number, MemoryState] => {
    let left = limit
    const workspaces = new Map<string, WorkspaceData>()
    for (const [id, ws] of s.workspaces) {
      const keys = left > 0 ? pick(ws.idempotency, (r) => r.createdMs <= createdBeforeMs, left) : []
      left -= keys.length
      workspaces.set(id, keys.length === 0 ? ws : { ...ws, idempotency: without(ws.idempotency, keys) })
    }
    const removed = limit - left
    return [removed, removed === 0 ? s : { ...s, workspaces }]
  }

export const pruneSentMails =
  (sentBeforeMs: number, limit: number) =>
  (s: MemoryState): readonly [number, MemoryState] => {
    let left = limit
    const outbox = s.outbox.filter((m) => {
      const gone = left > 0 && m.status === "sent" && m.sentMs !== null && m.sentMs <= sentBeforeMs
      if (gone) left -= 1
      return !gone
    })
    const removed = limit - left
    return [removed, removed === 0 ? s : { ...s, outbox }]
  }
