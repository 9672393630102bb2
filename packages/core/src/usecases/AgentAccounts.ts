/**
 * Saving an agent account outside the settings screens (the `portal create-agent` command): the
 * workspace must exist, the email belongs to no other agent of it, and a password follows the
 * customers' password rule (with the portal's name when it has settings). Nothing is written when
 * a check fails; the errors name the field as the screens do.
 */
import { Effect, Option } from "effect"
import type { AgentProfile } from "../domain/Entities.ts"
import type { WorkspaceId } from "../domain/Ids.ts"
import { Conflict, ValidationFailed, WorkspaceNotFound } from "../ports/Errors.ts"
import { SettingsStore } from "../ports/SettingsStore.ts"
import { PasswordHasher } from "../ports/System.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { passwordIssues } from "../rules/Credentials.ts"

export const saveAgentAccount = (
  workspaceId: WorkspaceId,
  agent: AgentProfile,
  password: string | undefined,
): Effect.Effect<
  void,
  WorkspaceNotFound | Conflict | ValidationFailed | StoreError,
  WorkspaceStore | SettingsStore | PasswordHasher
> =>
  Effect.gen(function* () {
    const workspaces = yield* WorkspaceStore
    const catalog = yield* workspaces.catalog(workspaceId)
    if (Option.isNone(catalog)) return yield* Effect.fail(new WorkspaceNotFound({ key: workspaceId }))
    const email = agent.email.toLowerCase()
    const clash = catalog.value.agents.find((a) => a.email.toLowerCase() === email && a.id !== agent.id)
    if (clash !== undefined)
      return yield* Effect.fail(new Conflict({ reason: `agent "${clash.id}" already has ${agent.email}` }))
    const settings = yield* (yield* SettingsStore).get(workspaceId)
    const portalName = Option.isSome(settings) ? settings.value.settings.pageTitle : undefined
    const issues = password === undefined ? [] : passwordIssues(password, { email: agent.email, portalName })
    if (issues.length > 0) return yield* Effect.fail(new ValidationFailed({ issues }))
    const hash = password === undefined ? null : yield* (yield* PasswordHasher).hash(password)
    yield* workspaces.upsertAgent(workspaceId, agent, hash)
  })
