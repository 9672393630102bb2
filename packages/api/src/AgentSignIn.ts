/**
 * EXTENSION (not in @portal/core, which signs in contacts only): an agent's password sign-in,
 * for the preview (P-AUTH-7) and the settings screens (P-SET-1). Same guarantees as the
 * customers' sign-in: one InvalidCredentials for unknown email, no password or wrong password,
 * and one password verification whatever the reason (a dummy hash for unknown agents).
 */
import {
  type AgentId,
  InvalidCredentials,
  PasswordHasher,
  type StoreError,
  type WorkspaceId,
  WorkspaceStore,
} from "@portal/core"
import { Effect, Option } from "effect"
import { CatalogExtension } from "./CatalogExtension.ts"

type Hasher = PasswordHasher["Service"]
const dummyHashes = new WeakMap<Hasher, string>()

const dummyHash = (hasher: Hasher): Effect.Effect<string> =>
  Effect.suspend(() => {
    const known = dummyHashes.get(hasher)
    if (known !== undefined) return Effect.succeed(known)
    return Effect.tap(hasher.hash("portal-dummy-agent-password"), (hash) =>
      Effect.sync(() => void dummyHashes.set(hasher, hash)),
    )
  })

export const verifyAgentPassword = (
  workspaceId: WorkspaceId,
  email: string,
  password: string,
): Effect.Effect<AgentId, InvalidCredentials | StoreError, WorkspaceStore | CatalogExtension | PasswordHasher> =>
  Effect.gen(function* () {
    const hasher = yield* PasswordHasher
    const catalog = yield* (yield* WorkspaceStore).catalog(workspaceId)
    const wanted = email.trim().toLowerCase()
    const agent = Option.isSome(catalog)
      ? catalog.value.agents.find((a) => a.email.trim().toLowerCase() === wanted)
      : undefined
    const stored =
      agent === undefined
        ? Option.none<string>()
        : yield* (yield* CatalogExtension).agentPasswordHash(workspaceId, agent.id)
    const hash = Option.isSome(stored) ? stored.value : yield* dummyHash(hasher)
    const ok = yield* hasher.verify(hash, password)
    if (agent === undefined || Option.isNone(stored) || !ok) return yield* new InvalidCredentials()
    return agent.id
  })
