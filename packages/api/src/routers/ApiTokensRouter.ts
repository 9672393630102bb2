/**
 * `admin.apiTokens`: the integration API tokens of the workspace (P-SET-1: an agent session with
 * `portal.settings`, FORBIDDEN otherwise; core checks the permission again).
 * - `list`: every token, revoked ones included, newest first: never the token, never its hash;
 * - `create`: `{ name }` → the token, this once, and its listing; BAD_REQUEST with coded issues
 *   for a blank, long or multi-line name (`required`, `too_long`, `invalid_input`) or past the
 *   workspace's limit (`too_many_api_tokens`);
 * - `revoke`: `{ id }` → the token as listed, revoked; an id the workspace does not have (another
 *   workspace's included) is BAD_REQUEST `unknown_api_token` at `id`.
 * The rules are core's (usecases/ApiTokens.ts); the token works at once on the `integration` router.
 */
import { Line, Text } from "@portal/core/domain"
import type { ApiToken } from "@portal/core/ports"
import { agentNamesOf, createApiToken, listApiTokens, revokeApiToken } from "@portal/core/usecases"
import { Effect, Schema } from "effect"
import { agentViewerOf } from "../Callers.ts"
import { input } from "../Inputs.ts"
import { run } from "../Run.ts"
import { adminProcedure, router } from "../trpc.ts"

/** Generous caps against absurd payloads; the real name rules are core's. */
export const ApiTokenCreateInput = Schema.Struct({ name: Text(1000) })
export const ApiTokenRevokeInput = Schema.Struct({ id: Line(200).check(Schema.isMinLength(1)) })

/** A token as the admin screen shows it: who created it by name, and no workspace id. */
export interface ApiTokenView {
  readonly id: string
  readonly name: string
  readonly createdAt: string
  readonly createdBy: string
  /** The agent's name, or null for an agent the workspace no longer has. */
  readonly createdByName: string | null
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
}

const agentNames = agentNamesOf

const viewOf =
  (names: ReadonlyMap<string, string>) =>
  (t: ApiToken): ApiTokenView => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    createdByName: names.get(t.createdBy) ?? null,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
  })

export const apiTokensRouter = router({
  list: adminProcedure.query(({ ctx }) =>
    run(
      ctx,
      Effect.gen(function* () {
        const tokens = yield* listApiTokens(agentViewerOf(ctx.portal, ctx.agent))
        return tokens.map(viewOf(yield* agentNames(ctx.portal.workspaceId)))
      }),
    ),
  ),
  create: adminProcedure.input(input(ApiTokenCreateInput)).mutation(({ ctx, input }) =>
    run(
      ctx,
      Effect.gen(function* () {
        const created = yield* createApiToken(agentViewerOf(ctx.portal, ctx.agent), input)
        return { token: created.token, apiToken: viewOf(yield* agentNames(ctx.portal.workspaceId))(created.apiToken) }
      }),
    ),
  ),
  revoke: adminProcedure.input(input(ApiTokenRevokeInput)).mutation(({ ctx, input }) =>
    run(
      ctx,
      Effect.gen(function* () {
        const revoked = yield* revokeApiToken(agentViewerOf(ctx.portal, ctx.agent), input.id)
        return viewOf(yield* agentNames(ctx.portal.workspaceId))(revoked)
      }),
    ),
  ),
})
