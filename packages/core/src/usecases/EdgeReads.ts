/**
 * The small reads and writes the HTTP edge needs that are not a customer's or an agent's action:
 * every port call of `@portal/api` and `apps/server` goes through core's use-cases (issue 9; the
 * boundary is checked by apps/server/test/port-boundary.test.ts).
 * - `hitRateLimit`: count one hit of an edge limit in the store (shared by every node);
 * - `claimOnce`: use a one-time verifier (SSO assertions, OIDC states) once;
 * - `workspaceIds`: the workspaces of the store (readiness probe, the demo loader);
 * - `integrationEvents`: the integration events feed of a workspace, from a sequence on;
 * - `agentNamesOf`: the names of a workspace's agents, by id (the API token screen);
 * - `upsertIntegrationContact`: create or update a contact by email, never its password.
 */
import { Effect, Option } from "effect"
import type { ContactProfile } from "../domain/Entities.ts"
import type { IsoTime, WorkspaceId } from "../domain/Ids.ts"
import { fieldIssue } from "../domain/Issues.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { TooManyAttempts, ValidationFailed } from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import { Clock } from "../ports/System.ts"
import { TicketStore } from "../ports/TicketStore.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { emailIssues, normalizeEmail } from "../rules/Credentials.ts"

export interface EdgeRateLimit {
  readonly limit: number
  readonly windowSeconds: number
}

/** Count one hit; fail with TooManyAttempts past the limit. */
export const hitRateLimit = (
  key: string,
  limit: EdgeRateLimit,
): Effect.Effect<void, TooManyAttempts | StoreError, SecurityStore | Clock> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now()
    const decision = yield* (yield* SecurityStore).hitRateLimit(key, limit.windowSeconds, limit.limit, now)
    if (!decision.allowed) return yield* new TooManyAttempts({ retryAfterSeconds: decision.retryAfterSeconds })
  })

/** True the first time a key is claimed in the namespace (until it expires), false after. */
export const claimOnce = (workspaceId: WorkspaceId, namespace: string, key: string, expiresAt: IsoTime) =>
  SecurityStore.use((s) => s.claimOnce(workspaceId, namespace, key, expiresAt))

export const workspaceIds = (): Effect.Effect<ReadonlyArray<WorkspaceId>, StoreError, WorkspaceStore> =>
  WorkspaceStore.use((s) => s.listWorkspaceIds())

export const integrationEvents = (workspaceId: WorkspaceId, after: number, limit: number) =>
  TicketStore.use((s) => s.events(workspaceId, after, limit))

export const agentNamesOf = (
  workspaceId: WorkspaceId,
): Effect.Effect<ReadonlyMap<string, string>, StoreError, WorkspaceStore> =>
  WorkspaceStore.use((s) => s.catalog(workspaceId)).pipe(
    Effect.map(
      (catalog) =>
        new Map(
          Option.match(catalog, { onNone: () => [], onSome: (c) => c.agents.map((a) => [a.id as string, a.name]) }),
        ),
    ),
  )

/** An integration's contact: checked email (normalized), names, primary company; never a password. */
export const upsertIntegrationContact = (
  workspaceId: WorkspaceId,
  input: Omit<ContactProfile, "email"> & { readonly email: string },
): Effect.Effect<{ readonly contactId: string; readonly email: string }, ValidationFailed | StoreError, ContactStore> =>
  Effect.gen(function* () {
    const issues = emailIssues(input.email)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const stored = yield* (yield* ContactStore)
      .upsert(workspaceId, { ...input, email: normalizeEmail(input.email), passwordHash: null })
      .pipe(
        Effect.catchTag("StorageError", () =>
          Effect.fail(
            new ValidationFailed({
              issues: [
                fieldIssue(
                  "primaryCompanyId",
                  "unknown_company",
                  "The store refused the contact: check primaryCompanyId and id.",
                ),
              ],
            }),
          ),
        ),
      )
    return { contactId: stored.id, email: stored.email }
  })
