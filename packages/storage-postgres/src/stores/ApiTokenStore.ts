/**
 * ApiTokenStore on SQL (table api_tokens, migration 3). Every operation is one statement: the
 * lookup is by the unique token-hash index, a revocation keeps the first time (COALESCE), and the
 * last use is written by one conditional UPDATE, so nodes racing on the same token write it at
 * most once a minute between them. The hash is never selected back out.
 */
import { AgentId, IsoTime, timeMs, WorkspaceId } from "@portal/core/domain"
import { API_TOKEN_USE_INTERVAL_MS, type ApiToken, ApiTokenStore, type ApiTokenStoreShape } from "@portal/core/ports"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"

const COLUMNS = "workspace_id, token_id, name, created_by, created_at, last_used_at, revoked_at"

/** Every API request starts here: a named statement. */
const FIND_ACTIVE = {
  name: "portal_api_token_by_hash",
  text: `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
}

const TokenRow = Schema.Struct({
  workspace_id: WorkspaceId,
  token_id: Schema.String,
  name: Schema.String,
  created_by: AgentId,
  created_at: IsoTime,
  last_used_at: Schema.NullOr(IsoTime),
  revoked_at: Schema.NullOr(IsoTime),
})

const tokenFrom = (r: typeof TokenRow.Type): ApiToken => ({
  id: r.token_id,
  workspaceId: r.workspace_id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
})

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
      db
        .findAll(
          "ApiTokenStore.list",
          TokenRow,
          `SELECT ${COLUMNS} FROM api_tokens WHERE workspace_id = $1 ORDER BY ord DESC`,
          [workspaceId],
        )
        .pipe(Effect.map((rows) => rows.map(tokenFrom))),
    findActiveByHash: (tokenHash) =>
      db
        .findOne("ApiTokenStore.findActiveByHash", TokenRow, FIND_ACTIVE, [tokenHash])
        .pipe(Effect.map(Option.map(tokenFrom))),
    revoke: (workspaceId, id, at) =>
      db
        .findOne(
          "ApiTokenStore.revoke",
          TokenRow,
          `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3)
           WHERE workspace_id = $1 AND token_id = $2 RETURNING ${COLUMNS}`,
          [workspaceId, id, at],
        )
        .pipe(Effect.map(Option.map(tokenFrom))),
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
