/**
 * Single sign-on, after the identity provider's answer was verified (P-AUTH-5).
 * The protocol work (JWT signature and `exp`, SAML signature, OIDC code exchange) belongs to the
 * identity adapters; they hand over a verified identity. What stays here is the portal's rule:
 * - only on an SSO portal with the identity's protocol (a membership portal, or an SSO portal on
 *   another protocol, refuses: AccessDenied `sso_not_offered`, reason "methodNotOffered");
 * - a single-use assertion id (JWT `jti`, SAML assertion id) is claimed once in the shared
 *   SecurityStore, so a replayed token is refused on every node (`assertion_replayed`, "replayed");
 * - SSO users map to contacts by email; the audience ("all" or chosen lists) decides before
 *   anything is written, so a refused person leaves no contact behind (`audience_excluded`,
 *   "notInAudience"); an identity without a valid email is `invalid_identity`;
 * - an allowed person without a contact gets one (no password: SSO owns the credential).
 */
import { Effect, Option } from "effect"
import type { ContactId, IsoTime } from "../domain/Ids.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { AccessDenied, type WorkspaceNotFound } from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { IdGenerator } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { accessDecision } from "../rules/Access.ts"
import { emailIssues, normalizeEmail } from "../rules/Credentials.ts"
import { loadEnabledSettings } from "./Lookups.ts"
import { NAME_MAX_LENGTH } from "./Registration.ts"
import type { PortalContext } from "./Viewers.ts"

/** What an identity adapter vouches for after verifying the IdP's answer. */
export interface VerifiedSsoIdentity {
  readonly protocol: "jwt" | "saml" | "oidc"
  readonly email: string
  readonly firstName?: string
  readonly lastName?: string
  /**
   * JWT `jti` or SAML assertion id, to claim once here; null where the protocol has none (OIDC:
   * the code is single-use) or where the verifier has claimed it already.
   */
  readonly assertionId: string | null
  /** When the assertion stops being valid: the claim needs to be kept only until then. */
  readonly expiresAt: IsoTime
}

/** A display name as first and last name: the last word is the last name ("Ken Ito" → Ken / Ito). */
export const nameParts = (name: string | undefined): { readonly firstName?: string; readonly lastName?: string } => {
  const words = (name ?? "")
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
  const last = words.pop()
  if (last === undefined) return {}
  return words.length === 0 ? { firstName: last } : { firstName: words.join(" "), lastName: last }
}

export const signInWithSso = (
  portal: PortalContext,
  identity: VerifiedSsoIdentity,
): Effect.Effect<
  { readonly contactId: ContactId; readonly created: boolean },
  WorkspaceNotFound | AccessDenied | StoreError,
  SettingsStore | ContactStore | SecurityStore | IdGenerator
> =>
  Effect.gen(function* () {
    const settings = yield* loadEnabledSettings(portal.workspaceId)
    const access = settings.access
    if (access.method !== "sso" || access.protocol !== identity.protocol)
      return yield* new AccessDenied({ code: "sso_not_offered", reason: "methodNotOffered" })
    if (emailIssues(identity.email).length > 0)
      return yield* new AccessDenied({ code: "invalid_identity", reason: "invalidIdentity" })
    if (identity.assertionId !== null) {
      const security = yield* SecurityStore
      const first = yield* security.claimOnce(
        portal.workspaceId,
        `sso:${access.protocol}`,
        identity.assertionId,
        identity.expiresAt,
      )
      if (!first) return yield* new AccessDenied({ code: "assertion_replayed", reason: "replayed" })
    }
    const contacts = yield* ContactStore
    const email = normalizeEmail(identity.email)
    const found = yield* contacts.findByEmail(portal.workspaceId, email)
    const lists = Option.isSome(found) ? yield* contacts.listIdsOf(portal.workspaceId, found.value.id) : []
    const decision = accessDecision(access, "sso", lists)
    if (!decision.allowed) return yield* new AccessDenied({ code: decision.code, reason: decision.reason })
    if (Option.isSome(found)) return { contactId: found.value.id, created: false }
    const id = (yield* (yield* IdGenerator).next("contact")) as ContactId
    const name = (value: string | undefined) => value?.trim().slice(0, NAME_MAX_LENGTH) ?? ""
    const firstName = name(identity.firstName)
    const lastName = name(identity.lastName)
    const contact = yield* contacts.upsert(portal.workspaceId, {
      id,
      email,
      passwordHash: null,
      ...(firstName.length > 0 ? { firstName } : {}),
      ...(lastName.length > 0 ? { lastName } : {}),
    })
    return { contactId: contact.id, created: true }
  })
