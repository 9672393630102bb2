/**
 * Who may register and who may sign in, per access method and audience.
 * - P-AUTH-3 membership with self-registration: anyone may register and sign in with a password.
 * - P-AUTH-2 membership with access groups: only contacts in the chosen lists may register (through
 *   their invitation) or sign in; a contact removed from the lists is refused at the next sign-in.
 *   An empty choice of lists admits no one (it is never read as "everyone").
 * - P-AUTH-5 single sign-on: the audience is "all" SSO users or only contacts in the chosen lists.
 * - Methods do not mix: a membership portal refuses SSO sign-ins and an SSO portal refuses
 *   passwords and registration, whatever the contact's lists.
 * Refusals carry a code of ACCESS_DENIAL_CODES for the access denied page (P-AUTH-4), which says
 * what the person can do (use SSO, ask for an invitation …), and the older camelCase `reason`
 * token the API and the logs keep.
 */
import type { ListId } from "../domain/Ids.ts"
import type { AccessDenialCode } from "../domain/Issues.ts"
import type { Access, Audience } from "../domain/PortalSettings.ts"

/** How someone tries to get in. "invitation" is an access-group registration link. */
export type EntryMethod = "selfRegistration" | "invitation" | "password" | "sso"

export type AccessRefusal =
  /** The portal does not offer this way in (e.g. a password on an SSO portal). */
  | "methodNotOffered"
  /** The person is not in the chosen lists. */
  | "notInAudience"

export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: AccessRefusal; readonly code: AccessDenialCode }

const allowed: AccessDecision = { allowed: true }
const refused = (reason: AccessRefusal, code: AccessDenialCode): AccessDecision => ({ allowed: false, reason, code })

/**
 * The code of a way in the portal does not offer, or null when it offers it:
 * an SSO portal takes only SSO (`sso_required`); a membership portal takes no SSO
 * (`sso_not_offered`), no invitation with self-registration (`invitation_not_offered`) and no
 * self-registration with access groups (`invitation_required`).
 */
export const methodRefusal = (access: Access, method: EntryMethod): AccessDenialCode | null => {
  if (access.method === "sso") return method === "sso" ? null : "sso_required"
  if (method === "sso") return "sso_not_offered"
  if (access.registration === "self") return method === "invitation" ? "invitation_not_offered" : null
  return method === "selfRegistration" ? "invitation_required" : null
}

/** Is a contact with these list memberships among the chosen lists? */
export const inLists = (chosen: ReadonlyArray<ListId>, contactListIds: ReadonlyArray<ListId>): boolean =>
  chosen.some((id) => contactListIds.includes(id))

export const inAudience = (audience: Audience, contactListIds: ReadonlyArray<ListId>): boolean =>
  audience === "all" || inLists(audience.listIds, contactListIds)

/**
 * May someone get in this way? `contactListIds` are the lists of the matching contact; pass []
 * for someone with no contact yet (a new self-registration, a first SSO sign-in).
 */
export const accessDecision = (
  access: Access,
  method: EntryMethod,
  contactListIds: ReadonlyArray<ListId>,
): AccessDecision => {
  const notOffered = methodRefusal(access, method)
  if (notOffered !== null) return refused("methodNotOffered", notOffered)
  switch (access.method) {
    case "membership":
      if (access.registration === "self") return allowed
      return inLists(access.listIds, contactListIds) ? allowed : refused("notInAudience", "not_in_access_group")
    case "sso":
      return inAudience(access.audience, contactListIds) ? allowed : refused("notInAudience", "audience_excluded")
  }
}

/** P-AUTH-2, P-AUTH-3: may this person register (self-registration or invitation)? */
export const mayRegister = (access: Access, contactListIds: ReadonlyArray<ListId>): boolean =>
  accessDecision(
    access,
    access.method === "membership" && access.registration === "accessGroups" ? "invitation" : "selfRegistration",
    contactListIds,
  ).allowed

/** P-AUTH-2, P-AUTH-3, P-AUTH-5: may this person sign in with this method? */
export const maySignIn = (access: Access, method: "password" | "sso", contactListIds: ReadonlyArray<ListId>): boolean =>
  accessDecision(access, method, contactListIds).allowed

/** What the sign-in page offers: a password form, a "Register" link (P-AUTH-3), an SSO button. */
export const signInOptions = (
  access: Access,
): { readonly password: boolean; readonly registerLink: boolean; readonly sso: "jwt" | "saml" | "oidc" | null } =>
  access.method === "membership"
    ? { password: true, registerLink: access.registration === "self", sso: null }
    : { password: false, registerLink: false, sso: access.protocol }
