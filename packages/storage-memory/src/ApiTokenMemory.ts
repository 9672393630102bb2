/**
 * ApiTokenStore in memory. The tokens live beside the MemoryDb's state, keyed by the same db
 * (a WeakMap), so every layer built over one db shares them as it shares the rest; they are not
 * part of a workspace's document, so an import leaves them alone (as the SQL adapter does).
 * Rows are kept in creation order; only hashes are stored, as the port asks.
 */
import { type IsoTime, timeMs } from "@portal/core/domain"
import { API_TOKEN_USE_INTERVAL_MS, type ApiToken, type ApiTokenStoreShape, StorageError } from "@portal/core/ports"
import { Effect, Option } from "effect"
import { copy, type MemoryDb } from "./State.ts"

export interface ApiTokenRow extends ApiToken {
  readonly tokenHash: string
}

const tables = new WeakMap<MemoryDb, Array<ApiTokenRow>>()

/** The token rows of a db, as stored (hashes included): for the contract's backdoor. */
export const apiTokenRows = (db: MemoryDb): Array<ApiTokenRow> => {
  let rows = tables.get(db)
  if (rows === undefined) {
    rows = []
    tables.set(db, rows)
  }
  return rows
}

const view = ({ tokenHash: _, ...token }: ApiTokenRow): ApiToken => copy(token)

export const apiTokenStore = (db: MemoryDb): ApiTokenStoreShape => {
  const rows = () => apiTokenRows(db)
  const find = (workspaceId: string, id: string) =>
    rows().findIndex((r) => r.workspaceId === workspaceId && r.id === id)
  return {
    create: (token) =>
      Effect.suspend(() => {
        const all = rows()
        if (find(token.workspaceId, token.id) >= 0 || all.some((r) => r.tokenHash === token.tokenHash))
          return Effect.fail(new StorageError({ method: "create", cause: "API token id or hash already exists" }))
        all.push(copy({ ...token, lastUsedAt: null, revokedAt: null }))
        return Effect.void
      }),
    list: (workspaceId) =>
      Effect.sync(() =>
        rows()
          .filter((r) => r.workspaceId === workspaceId)
          .reverse()
          .map(view),
      ),
    findActiveByHash: (tokenHash) =>
      Effect.sync(() =>
        Option.fromUndefinedOr(rows().find((r) => r.tokenHash === tokenHash && r.revokedAt === null)).pipe(
          Option.map(view),
        ),
      ),
    revoke: (workspaceId, id, at) =>
      Effect.sync(() => {
        const all = rows()
        const i = find(workspaceId, id)
        const row = all[i]
        if (row === undefined) return Option.none()
        const revoked = row.revokedAt === null ? { ...row, revokedAt: at } : row
        all[i] = revoked
        return Option.some(view(revoked))
      }),
    markUsed: (workspaceId, id, at: IsoTime) =>
      Effect.sync(() => {
        const all = rows()
        const i = find(workspaceId, id)
        const row = all[i]
        if (row === undefined || row.revokedAt !== null) return false
        if (row.lastUsedAt !== null && timeMs(at) - timeMs(row.lastUsedAt) < API_TOKEN_USE_INTERVAL_MS) return false
        all[i] = { ...row, lastUsedAt: at }
        return true
      }),
  }
}
