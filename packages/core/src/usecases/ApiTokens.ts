/**
 * Integration API tokens managed by a workspace's admins (P-SET-1: the `portal.settings`
 * permission), as a mature helpdesk does:
 * - create: a name (label, 1–80 characters once trimmed, no control characters) and a fresh token
 *   of 32 random bytes (usecases/Tokens.ts) with a recognisable prefix (`ptk_`, so secret scanners
 *   and people can tell what leaked). The token is returned once; the store keeps its SHA-256.
 *   At most MAX_ACTIVE_API_TOKENS unrevoked tokens per workspace;
 * - list: every token of the workspace, revoked ones included, without token or hash;
 * - revoke: for good; a token of another workspace is as unknown as a missing one;
 * - authenticate: a presented token → its workspace, or none (unknown, revoked, malformed); the
 *   last use is recorded at most once a minute (the store compares, see ports/ApiTokenStore).
 * Tokens of the host's `PORTAL_API_TOKENS` variable are the API layer's; they never reach here.
 */
import { Effect, Option } from "effect"
import { timeMs, type WorkspaceId } from "../domain/Ids.ts"
import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import { API_TOKEN_USE_INTERVAL_MS, type ApiToken, ApiTokenStore } from "../ports/ApiTokenStore.ts"
import { type Forbidden, ValidationFailed } from "../ports/Errors.ts"
import { Clock, IdGenerator } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { hashToken, randomToken } from "./Tokens.ts"
import { type AgentViewer, requirePermission } from "./Viewers.ts"

export const API_TOKEN_PREFIX = "ptk_"
export const API_TOKEN_NAME_MAX = 80
export const MAX_ACTIVE_API_TOKENS = 50

/** 32 bytes as unpadded base64url are 43 characters. */
const API_TOKEN_PATTERN = /^ptk_[A-Za-z0-9_-]{43}$/

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/** The issues of a token name as given (it is stored trimmed); none when it is fine. */
export const apiTokenNameIssues = (name: string, path = "name"): ReadonlyArray<FieldIssue> => {
  const trimmed = name.trim()
  if (trimmed.length === 0) return [fieldIssue(path, "required", "Enter a name for the token.")]
  const issues: Array<FieldIssue> = []
  if (codePoints(trimmed) > API_TOKEN_NAME_MAX) issues.push(tooLong(path, API_TOKEN_NAME_MAX))
  if (CONTROL.test(trimmed))
    issues.push(fieldIssue(path, "invalid_input", "Use a name on one line, without control characters."))
  return issues
}

/** The only time a token is seen: the caller shows it and forgets it. */
export interface CreatedApiToken {
  readonly token: string
  readonly apiToken: ApiToken
}

export const createApiToken = (
  agent: AgentViewer,
  input: { readonly name: string },
): Effect.Effect<CreatedApiToken, Forbidden | ValidationFailed | StoreError, ApiTokenStore | Clock | IdGenerator> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const issues = apiTokenNameIssues(input.name)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const store = yield* ApiTokenStore
    const active = (yield* store.list(agent.workspaceId)).filter((t) => t.revokedAt === null)
    if (active.length >= MAX_ACTIVE_API_TOKENS)
      return yield* new ValidationFailed({
        issues: [
          fieldIssue(
            "name",
            "too_many_api_tokens",
            `A workspace may have at most ${MAX_ACTIVE_API_TOKENS} tokens; revoke one first.`,
            { max: MAX_ACTIVE_API_TOKENS },
          ),
        ],
      })
    const token = `${API_TOKEN_PREFIX}${yield* randomToken}`
    const apiToken: ApiToken = {
      id: yield* (yield* IdGenerator).next("tok"),
      workspaceId: agent.workspaceId,
      name: input.name.trim(),
      createdBy: agent.agentId,
      createdAt: yield* (yield* Clock).now(),
      lastUsedAt: null,
      revokedAt: null,
    }
    yield* store.create({ ...apiToken, tokenHash: yield* hashToken(token) })
    return { token, apiToken }
  })

export const listApiTokens = (
  agent: AgentViewer,
): Effect.Effect<ReadonlyArray<ApiToken>, Forbidden | StoreError, ApiTokenStore> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    return yield* (yield* ApiTokenStore).list(agent.workspaceId)
  })

export const revokeApiToken = (
  agent: AgentViewer,
  id: string,
): Effect.Effect<ApiToken, Forbidden | ValidationFailed | StoreError, ApiTokenStore | Clock> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    const now = yield* (yield* Clock).now()
    const revoked = yield* (yield* ApiTokenStore).revoke(agent.workspaceId, id, now)
    if (Option.isNone(revoked))
      return yield* new ValidationFailed({
        issues: [fieldIssue("id", "unknown_api_token", `No API token "${id}".`, { id })],
      })
    return revoked.value
  })

/**
 * The workspace of a presented token, or none; records the use (at most once a minute).
 * `workspaceId`: the workspace the call arrived for (its host), when known: a token of another
 * workspace is then none, and its use is not recorded.
 */
export const authenticateApiToken = (
  token: string,
  options: { readonly workspaceId?: WorkspaceId | undefined } = {},
): Effect.Effect<
  Option.Option<{ readonly workspaceId: WorkspaceId; readonly tokenId: string }>,
  StoreError,
  ApiTokenStore | Clock
> =>
  Effect.gen(function* () {
    // Not one of ours (e.g. a PORTAL_API_TOKENS token): no store round trip.
    if (!API_TOKEN_PATTERN.test(token)) return Option.none()
    const store = yield* ApiTokenStore
    const found = yield* store.findActiveByHash(yield* hashToken(token))
    if (Option.isNone(found) || found.value.revokedAt !== null) return Option.none()
    const { workspaceId, id, lastUsedAt } = found.value
    if (options.workspaceId !== undefined && options.workspaceId !== workspaceId) return Option.none()
    const now = yield* (yield* Clock).now()
    // The store decides too; skipping the call here saves a write per request on a busy token.
    if (lastUsedAt === null || timeMs(now) - timeMs(lastUsedAt) >= API_TOKEN_USE_INTERVAL_MS)
      yield* store.markUsed(workspaceId, id, now)
    return Option.some({ workspaceId, tokenId: id })
  })
