/**
 * EXTENSION (core has no SSO use-case yet): what happens after an SSO verifier (@portal/identity)
 * vouched for an email (P-AUTH-5):
 * - the portal must be enabled and use SSO with this protocol (AccessDenied otherwise);
 * - the email maps to a contact; a first-time user of an "all users" audience gets a new contact
 *   (no password), while a list audience admits only known contacts in the lists;
 * - core's access rule (rules/Access.ts) decides; the host then starts the session.
 */
import {
  AccessDenied,
  accessDecision,
  type ContactId,
  ContactStore,
  IdGenerator,
  loadEnabledSettings,
  normalizeEmail,
  type SettingsStore,
  type StoreError,
  type WorkspaceId,
  type WorkspaceNotFound,
} from "@portal/core"
import { Effect, Option } from "effect"

export interface VerifiedIdentity {
  readonly protocol: "jwt" | "saml" | "oidc"
  readonly email: string
  readonly name?: string
}

const splitName = (name: string | undefined): { firstName?: string; lastName?: string } => {
  const parts = (name ?? "")
    .trim()
    .split(/\s+/)
    .filter((p) => p.length > 0)
  if (parts.length === 0) return {}
  if (parts.length === 1) return { firstName: parts[0] as string }
  return { firstName: parts.slice(0, -1).join(" "), lastName: parts[parts.length - 1] as string }
}

export const SsoSignIn = {
  /** The contact the identity signs in as, or AccessDenied with the refusal reason. */
  contactFor: (
    workspaceId: WorkspaceId,
    identity: VerifiedIdentity,
  ): Effect.Effect<
    ContactId,
    AccessDenied | WorkspaceNotFound | StoreError,
    SettingsStore | ContactStore | IdGenerator
  > =>
    Effect.gen(function* () {
      const settings = yield* loadEnabledSettings(workspaceId)
      const access = settings.access
      if (access.method !== "sso" || access.protocol !== identity.protocol)
        return yield* new AccessDenied({ reason: "methodNotOffered" })
      const contacts = yield* ContactStore
      const email = normalizeEmail(identity.email)
      const found = yield* contacts.findByEmail(workspaceId, email)
      if (Option.isNone(found)) {
        if (access.audience !== "all") return yield* new AccessDenied({ reason: "notInAudience" })
        const id = (yield* (yield* IdGenerator).next("contact")) as ContactId
        const created = yield* contacts.upsert(workspaceId, {
          id,
          email,
          passwordHash: null,
          ...splitName(identity.name),
        })
        return created.id
      }
      const lists = yield* contacts.listIdsOf(workspaceId, found.value.id)
      const decision = accessDecision(access, "sso", lists)
      if (!decision.allowed) return yield* new AccessDenied({ reason: decision.reason })
      return found.value.id
    }),
}
