/**
 * ApiTokenStore on SQL (table api_tokens, migration 3). Every operation is one statement: the
 * lookup is by the unique token-hash index, a revocation keeps the first time (COALESCE), and the
 * last use is written by one conditional UPDATE, so nodes racing on the same token write it at
 * most once a minute between them. The hash is never selected back out.
 */
import { API_TOKEN_USE_INTERVAL_MS, type ApiToken, ApiTokenStore, type ApiTokenStoreShape, timeMs } from "@portal/core"
import { Effect, Layer, Option } from "effect"
import { Database } from "../Database.ts"

const COLUMNS = "workspace_id, token_id, name, created_by, created_at, last_used_at, revoked_at"

const tokenFrom = (r: Record<string, unknown>): ApiToken =>
  ({
    id: r.token_id,
    workspaceId: r.workspace_id,
    name: r.name,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at ?? null,
    revokedAt: r.revoked_at ?? null,
  }) as ApiToken

export const makeApiTokenStore = Effect.gen(function* () {
  const db = yield* Database
  const store: ApiTokenStoreShape = {
    create: (t) =>
      db.run("ApiTokenStore.create", (q) =>
        q
          .query(
            `INSERT INTO api_tokens (workspace_id, token_id, token_hash, name, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [t.workspaceId, t.id, t.tokenHash, t.name, t.createdBy, t.createdAt],
          )
          .then(() => undefined),
      ),
    list: (workspaceId) =>
      db.run("ApiTokenStore.list", async (q) =>
        (
          await q.query(`SELECT ${COLUMNS} FROM api_tokens WHERE workspace_id = $1 ORDER BY ord DESC`, [workspaceId])
        ).map(tokenFrom),
      ),
    findActiveByHash: (tokenHash) =>
      db.run("ApiTokenStore.findActiveByHash", async (q) => {
        const [row] = await q.query(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, [
          tokenHash,
        ])
        return row === undefined ? Option.none() : Option.some(tokenFrom(row))
      }),
    revoke: (workspaceId, id, at) =>
      db.run("ApiTokenStore.revoke", async (q) => {
        const [row] = await q.query(
          `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3)
           WHERE workspace_id = $1 AND token_id = $2 RETURNING ${COLUMNS}`,
          [workspaceId, id, at],
        )
        return row === undefined ? Option.none() : Option.some(tokenFrom(row))
      }),
    markUsed: (workspaceId, id, at) =>
      db.run("ApiTokenStore.markUsed", async (q) => {
        const ms = timeMs(at)
        const rows = await q.query(
          `UPDATE api_tokens SET last_used_at = $3, last_used_ms = $4
           WHERE workspace_id = $1 AND token_id = $2 AND revoked_at IS NULL
             AND (last_used_ms IS NULL OR last_used_ms <= $5)
           RETURNING 1`,
          [workspaceId, id, at, ms, ms - API_TOKEN_USE_INTERVAL_MS],
        )
        return rows.length > 0
      }),
  }
  return ApiTokenStore.of(store)
})

export const layerApiTokenStore = Layer.effect(ApiTokenStore, makeApiTokenStore)
