/**
 * Integration API tokens (admin settings, P-SET-1): created once and shown once, stored as a
 * hash, listed without secrets, revoked for good, authenticated to their own workspace only, and
 * their last use recorded at most once a minute. A small stub store over a Map (with a log of
 * calls) stands for the adapters, which the storage contract checks on their own.
 */
import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { type IsoTime, timeMs, type WorkspaceId } from "../../src/domain/index.ts"
import {
  API_TOKEN_USE_INTERVAL_MS,
  type ApiToken,
  ApiTokenStore,
  Clock,
  IdGenerator,
  type NewApiToken,
  ValidationFailed,
} from "../../src/ports/index.ts"
import {
  type AgentViewer,
  API_TOKEN_NAME_MAX,
  authenticateApiToken,
  createApiToken,
  listApiTokens,
  MAX_ACTIVE_API_TOKENS,
  resolveIntegrationCaller,
  revokeApiToken,
  tokenHash,
} from "../../src/usecases/index.ts"
import { pathCodes } from "../support/Issues.ts"
import { failure, success } from "../support/World.ts"

const makeWorld = () => {
  const state = {
    now: "2026-10-05T12:00:00Z" as IsoTime,
    ids: 0,
    rows: [] as Array<NewApiToken & { lastUsedAt: IsoTime | null; revokedAt: IsoTime | null }>,
    calls: [] as Array<string>,
  }
  const view = ({ tokenHash: _, ...t }: (typeof state.rows)[number]): ApiToken => ({ ...t })
  const layer = Layer.mergeAll(
    Layer.succeed(ApiTokenStore, {
      create: (t) =>
        Effect.sync(() => {
          state.calls.push("create")
          state.rows.push({ ...t, lastUsedAt: null, revokedAt: null })
        }),
      list: (w) =>
        Effect.sync(() => {
          state.calls.push("list")
          return state.rows
            .filter((r) => r.workspaceId === w)
            .reverse()
            .map(view)
        }),
      findActiveByHash: (hash) =>
        Effect.sync(() => {
          state.calls.push("findActiveByHash")
          return Option.fromNullishOr(state.rows.find((r) => r.tokenHash === hash && r.revokedAt === null)).pipe(
            Option.map(view),
          )
        }),
      revoke: (w, id, at) =>
        Effect.sync(() => {
          state.calls.push("revoke")
          const row = state.rows.find((r) => r.workspaceId === w && r.id === id)
          if (row === undefined) return Option.none()
          row.revokedAt ??= at
          return Option.some(view(row))
        }),
      markUsed: (w, id, at) =>
        Effect.sync(() => {
          state.calls.push("markUsed")
          const row = state.rows.find((r) => r.workspaceId === w && r.id === id && r.revokedAt === null)
          if (row === undefined) return false
          if (row.lastUsedAt !== null && timeMs(at) - timeMs(row.lastUsedAt) < API_TOKEN_USE_INTERVAL_MS) return false
          row.lastUsedAt = at
          return true
        }),
    }),
    Layer.succeed(Clock, { now: () => Effect.sync(() => state.now) }),
    Layer.succeed(IdGenerator, { next: (prefix) => Effect.sync(() => `${prefix}-${++state.ids}`) }),
  )
  const run = <A, E>(program: Effect.Effect<A, E, ApiTokenStore | Clock | IdGenerator>) =>
    Effect.runPromiseExit(Effect.provide(program, layer))
  const agent = (permissions: AgentViewer["permissions"] = ["portal.settings"], workspaceId = "acme"): AgentViewer => ({
    workspaceId: workspaceId as WorkspaceId,
    agentId: "u1" as never,
    permissions,
  })
  const advance = (ms: number) => {
    state.now = new Date(timeMs(state.now) + ms).toISOString() as IsoTime
  }
  return { state, run, agent, advance }
}

const issuesOf = (e: unknown) =>
  e instanceof ValidationFailed ? pathCodes(e.issues) : [`not a ValidationFailed: ${e}`]

describe("API tokens (admin settings, P-SET-1)", () => {
  it("P-SET-1 create, list and revoke need portal.settings; a refusal touches no store", async () => {
    const w = makeWorld()
    const noPermission = w.agent([])
    expect(failure(await w.run(createApiToken(noPermission, { name: "CRM" })))._tag).toBe("Forbidden")
    expect(failure(await w.run(listApiTokens(noPermission)))._tag).toBe("Forbidden")
    expect(failure(await w.run(revokeApiToken(noPermission, "tok-1")))._tag).toBe("Forbidden")
    expect(w.state.calls).toEqual([])
  })

  it("creates a 32-byte random token with the ptk_ prefix, returned once; the store keeps only its hash", async () => {
    const w = makeWorld()
    const first = success(await w.run(createApiToken(w.agent(), { name: "  CRM sync  " })))
    const second = success(await w.run(createApiToken(w.agent(), { name: "Billing" })))
    expect(first.token).toMatch(/^ptk_[A-Za-z0-9_-]{43}$/)
    expect(second.token).not.toBe(first.token)
    expect(first.apiToken).toEqual({
      id: "tok-1",
      workspaceId: "acme",
      name: "CRM sync",
      createdBy: "u1",
      createdAt: "2026-10-05T12:00:00Z",
      lastUsedAt: null,
      revokedAt: null,
    })
    expect(w.state.rows[0]?.tokenHash).toBe(tokenHash(first.token))
    expect(JSON.stringify(w.state.rows)).not.toContain(first.token.slice(4))
    const listed = success(await w.run(listApiTokens(w.agent())))
    expect(listed.map((t) => t.name)).toEqual(["Billing", "CRM sync"])
    expect(JSON.stringify(listed)).not.toContain(tokenHash(first.token))
    expect(JSON.stringify(listed)).not.toContain(first.token)
  })

  it("refuses a blank, too long or multi-line name with coded issues, and writes nothing", async () => {
    const w = makeWorld()
    const create = async (name: string) => issuesOf(failure(await w.run(createApiToken(w.agent(), { name }))))
    expect(await create("")).toEqual(["name:required"])
    expect(await create("   ")).toEqual(["name:required"])
    expect(await create("x".repeat(API_TOKEN_NAME_MAX + 1))).toEqual(["name:too_long"])
    expect(await create("CRM\nsync")).toEqual(["name:invalid_input"])
    expect(w.state.calls).not.toContain("create")
    // Lengths count code points: 80 kanji are fine.
    success(await w.run(createApiToken(w.agent(), { name: "連".repeat(API_TOKEN_NAME_MAX) })))
    const tooLong = failure(await w.run(createApiToken(w.agent(), { name: "x".repeat(API_TOKEN_NAME_MAX + 1) })))
    expect(tooLong instanceof ValidationFailed && tooLong.issues[0]?.params).toEqual({ max: API_TOKEN_NAME_MAX })
  })

  it(`allows at most ${MAX_ACTIVE_API_TOKENS} unrevoked tokens; revoking one makes room`, async () => {
    const w = makeWorld()
    for (let i = 0; i < MAX_ACTIVE_API_TOKENS; i++) success(await w.run(createApiToken(w.agent(), { name: `t${i}` })))
    const refused = failure(await w.run(createApiToken(w.agent(), { name: "one more" })))
    expect(issuesOf(refused)).toEqual(["name:too_many_api_tokens"])
    expect(refused instanceof ValidationFailed && refused.issues[0]?.params).toEqual({ max: MAX_ACTIVE_API_TOKENS })
    // Another workspace has its own allowance.
    success(await w.run(createApiToken(w.agent(undefined, "globex"), { name: "theirs" })))
    success(await w.run(revokeApiToken(w.agent(), "tok-1")))
    success(await w.run(createApiToken(w.agent(), { name: "one more" })))
  })

  it("authenticates a created token to its workspace; a revoked, unknown or malformed one to nothing", async () => {
    const w = makeWorld()
    const { token, apiToken } = success(await w.run(createApiToken(w.agent(), { name: "CRM" })))
    const other = success(await w.run(createApiToken(w.agent(undefined, "globex"), { name: "CRM" })))
    expect(success(await w.run(authenticateApiToken(token)))).toEqual(
      Option.some({ workspaceId: "acme", tokenId: apiToken.id }),
    )
    expect(success(await w.run(authenticateApiToken(other.token)))).toEqual(
      Option.some({ workspaceId: "globex", tokenId: other.apiToken.id }),
    )
    const unknown = `ptk_${"A".repeat(43)}`
    expect(success(await w.run(authenticateApiToken(unknown)))).toEqual(Option.none())
    // Not shaped like ours (an environment token, junk): no store lookup at all.
    w.state.calls.length = 0
    for (const junk of ["", "acme-token-0123456789abcdefghij", `${token}x`, token.slice(0, -1), ` ${token}`])
      expect(success(await w.run(authenticateApiToken(junk)))).toEqual(Option.none())
    expect(w.state.calls).toEqual([])

    const revoked = success(await w.run(revokeApiToken(w.agent(), apiToken.id)))
    expect(revoked).toMatchObject({ id: apiToken.id, revokedAt: "2026-10-05T12:00:00Z" })
    expect(success(await w.run(authenticateApiToken(token)))).toEqual(Option.none())
    // Revoking again keeps the first time.
    w.advance(5_000)
    expect(success(await w.run(revokeApiToken(w.agent(), apiToken.id))).revokedAt).toBe("2026-10-05T12:00:00Z")
    expect(success(await w.run(authenticateApiToken(other.token)))._tag).toBe("Some")
  })

  it("issue 9: resolveIntegrationCaller — an environment token without a store read, a stored one with its id, never across tenants", async () => {
    const w = makeWorld()
    const { token, apiToken } = success(await w.run(createApiToken(w.agent(), { name: "CRM" })))
    const envToken = "acme-env-token-0123456789abcdef"
    const fromEnvironment = (t: string) => (t === envToken ? ("acme" as WorkspaceId) : null)
    const resolve = (t: string | null, host: string | null) =>
      w.run(resolveIntegrationCaller(t, { fromEnvironment, hostWorkspaceId: host as WorkspaceId | null }))
    w.state.calls.length = 0
    expect(success(await resolve(envToken, null))).toEqual(
      Option.some({ _tag: "Integration", workspaceId: "acme", tokenId: null }),
    )
    expect(w.state.calls).toEqual([])
    expect(success(await resolve(token, null))).toEqual(
      Option.some({ _tag: "Integration", workspaceId: "acme", tokenId: apiToken.id }),
    )
    expect(success(await resolve(token, "acme"))._tag).toBe("Some")
    // Through another workspace's host: neither kind of token counts.
    expect(success(await resolve(token, "globex"))).toEqual(Option.none())
    expect(success(await resolve(envToken, "globex"))).toEqual(Option.none())
    // No token, junk, or a revoked one: nobody.
    expect(success(await resolve(null, null))).toEqual(Option.none())
    expect(success(await resolve(`${token}x`, null))).toEqual(Option.none())
    success(await w.run(revokeApiToken(w.agent(), apiToken.id)))
    expect(success(await resolve(token, null))).toEqual(Option.none())
  })

  it("revoking a token of another workspace, or an unknown id, is unknown_api_token and changes nothing", async () => {
    const w = makeWorld()
    const theirs = success(await w.run(createApiToken(w.agent(undefined, "globex"), { name: "theirs" })))
    for (const id of [theirs.apiToken.id, "tok-404"])
      expect(issuesOf(failure(await w.run(revokeApiToken(w.agent(), id))))).toEqual(["id:unknown_api_token"])
    expect(success(await w.run(authenticateApiToken(theirs.token)))._tag).toBe("Some")
    expect(success(await w.run(listApiTokens(w.agent(undefined, "globex"))))[0]?.revokedAt).toBeNull()
    expect(success(await w.run(listApiTokens(w.agent())))).toEqual([])
  })

  it("a token presented for another workspace (its host) is none, and its use is not recorded", async () => {
    const w = makeWorld()
    const { token } = success(await w.run(createApiToken(w.agent(), { name: "CRM" })))
    const forGlobex = await w.run(authenticateApiToken(token, { workspaceId: "globex" as WorkspaceId }))
    expect(success(forGlobex)).toEqual(Option.none())
    expect(success(await w.run(listApiTokens(w.agent())))[0]?.lastUsedAt).toBeNull()
    expect(w.state.calls).not.toContain("markUsed")
    const forAcme = await w.run(authenticateApiToken(token, { workspaceId: "acme" as WorkspaceId }))
    expect(success(forAcme)._tag).toBe("Some")
    expect(success(await w.run(listApiTokens(w.agent())))[0]?.lastUsedAt).toBe("2026-10-05T12:00:00Z")
  })

  it("records the last use at most once a minute", async () => {
    const w = makeWorld()
    const { token } = success(await w.run(createApiToken(w.agent(), { name: "CRM" })))
    const lastUsed = async () => success(await w.run(listApiTokens(w.agent())))[0]?.lastUsedAt
    const markUsedCalls = () => w.state.calls.filter((c) => c === "markUsed").length
    expect(await lastUsed()).toBeNull()
    await w.run(authenticateApiToken(token))
    expect(await lastUsed()).toBe("2026-10-05T12:00:00Z")
    w.advance(API_TOKEN_USE_INTERVAL_MS - 1)
    await w.run(authenticateApiToken(token))
    expect(await lastUsed()).toBe("2026-10-05T12:00:00Z")
    expect(markUsedCalls()).toBe(1) // a fresh last use costs no write
    w.advance(1)
    await w.run(authenticateApiToken(token))
    expect(await lastUsed()).toBe("2026-10-05T12:01:00.000Z")
    expect(markUsedCalls()).toBe(2)
  })

  it("a store failure is the use-case's failure, not a silent none", async () => {
    const w = makeWorld()
    const failing = Layer.succeed(ApiTokenStore, {
      create: () => Effect.die("unused"),
      list: () => Effect.die("unused"),
      revoke: () => Effect.die("unused"),
      markUsed: () => Effect.die("unused"),
      findActiveByHash: () =>
        Effect.fail({ _tag: "StorageUnavailable", method: "findActiveByHash", cause: "down" } as never),
    })
    const exit = await Effect.runPromiseExit(
      authenticateApiToken(`ptk_${"A".repeat(43)}`).pipe(
        Effect.provide(Layer.mergeAll(failing, Layer.succeed(Clock, { now: () => Effect.succeed(w.state.now) }))),
      ),
    )
    expect(Exit.isFailure(exit)).toBe(true)
  })
})
