/**
 * Integration API tokens (Bearer), one or more per workspace, from two sources:
 * - tokens admins create in the settings screens (`admin.apiTokens.*`): kept by the store as a
 *   SHA-256 only (core's ApiTokenStore, usecases/ApiTokens.ts), revocable, last use recorded;
 * - tokens the host configures through the `PORTAL_API_TOKENS` environment variable as
 *   comma-separated `workspaceId:token` pairs: only their SHA-256 is kept, in memory, and a lookup
 *   compares hashes in constant time. Tokens must be long random strings (at least 24 characters).
 * `integrationCallerOf` asks the environment's first (no store round trip), then the store (core's
 * `resolveIntegrationCaller`).
 */
import { createHash, timingSafeEqual } from "node:crypto"
import type { IntegrationCaller, WorkspaceId } from "@portal/core/domain"
import { resolveIntegrationCaller } from "@portal/core/usecases"
import { Option } from "effect"
import type { PortalContext } from "./context.ts"
import { run } from "./Run.ts"

export interface ApiTokens {
  /** The workspace a presented token belongs to, or null. */
  readonly workspaceOf: (token: string) => WorkspaceId | null
  readonly size: number
}

const sha256 = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest()

export const MIN_TOKEN_LENGTH = 24

export const makeApiTokens = (
  pairs: ReadonlyArray<{ readonly workspaceId: string; readonly token: string }>,
): ApiTokens => {
  const hashed = pairs.map((p) => {
    if (p.token.length < MIN_TOKEN_LENGTH)
      throw new Error(
        `API token for workspace "${p.workspaceId}" is too short (at least ${MIN_TOKEN_LENGTH} characters)`,
      )
    return { workspaceId: p.workspaceId as WorkspaceId, hash: sha256(p.token) }
  })
  return {
    size: hashed.length,
    workspaceOf: (token) => {
      const presented = sha256(token)
      let found: WorkspaceId | null = null
      // Compare against every entry so the time does not depend on which one matches.
      for (const entry of hashed)
        if (timingSafeEqual(entry.hash, presented) && found === null) found = entry.workspaceId
      return found
    },
  }
}

/** Parse `PORTAL_API_TOKENS` ("acme:token1,sakura:token2"); throws naming the bad entry. */
export const parseApiTokens = (env: string | undefined): ApiTokens => {
  const entries = (env ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  return makeApiTokens(
    entries.map((entry, i) => {
      const at = entry.indexOf(":")
      if (at <= 0 || at === entry.length - 1)
        throw new Error(`PORTAL_API_TOKENS entry ${i + 1} must look like workspaceId:token`)
      return { workspaceId: entry.slice(0, at), token: entry.slice(at + 1) }
    }),
  )
}

/** The token of an `Authorization: Bearer …` header, or null. */
export const bearerToken = (authorization: string | null): string | null => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")
  return match?.[1] ?? null
}

/**
 * The integration caller of a request's `Authorization: Bearer …` (core's
 * `resolveIntegrationCaller`: an environment token, else an unrevoked stored token; through a
 * workspace's host only that workspace's tokens), or null. A store that cannot be read fails the
 * call (503), rather than passing for a wrong token.
 */
export const integrationCallerOf = async (
  ctx: Pick<PortalContext, "apiTokens" | "runtime" | "portal" | "authorization">,
): Promise<IntegrationCaller | null> => {
  const found = await run(
    ctx,
    resolveIntegrationCaller(bearerToken(ctx.authorization), {
      fromEnvironment: ctx.apiTokens.workspaceOf,
      hostWorkspaceId: ctx.portal?.workspaceId ?? null,
    }),
  )
  return Option.getOrNull(found)
}
