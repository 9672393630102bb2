/**
 * Sign-in by emailed link (P-EXT-6), beside the password where the admin turns it on
 * (`portal.emailSignIn`, membership portals only; otherwise both procedures are AccessDenied
 * `email_sign_in_off`, or `sso_required` on an SSO portal).
 * - A request always succeeds, with the same answer and the same work whatever the email
 *   (P-SEC-8, as the reset request in SignIn.ts): one rate-limit hit, one contact lookup, one list
 *   lookup, one token row, one rendered mail; only a contact with a login who may sign in has the
 *   mail queued, and the queue answers at once (MailQueue: the mail leaves off the request path).
 *   At most 3 links per email per hour.
 * - The link: single use, valid 15 minutes, only its SHA-256 stored (SecurityStore tokens, purpose
 *   `emailSignIn`), on the domain's configured origin (PortalContext.baseUrl, never the request's
 *   Host, P-SEC-5), with a `next` path kept only when it is a path of that origin (P-SEC-1).
 * - Using it signs the contact in (the caller starts the same session as a password sign-in; the
 *   consent rules run on the pages after it as after a password, P-CON) and ends every other
 *   outstanding link of the contact in the same store step (P-SEC-5). The access groups are
 *   checked again: a contact removed from them since the mail is refused.
 */
import { Effect, Option } from "effect"
import type { ContactId } from "../domain/Ids.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import { AccessDenied, InvalidToken, type ValidationFailed, type WorkspaceNotFound } from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, type MailQueue } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { accessDecision } from "../rules/Access.ts"
import { sameOriginPath } from "../rules/Redirects.ts"
import { loadEnabledSettings } from "./Lookups.ts"
import { SIGN_IN_LINK_TTL_MINUTES, signInLinkMail } from "./Mails.ts"
import { mailLoginLink, NO_CONTACT } from "./SignIn.ts"
import { hashToken } from "./Tokens.ts"
import { type PortalContext, tokenLink } from "./Viewers.ts"

/** The page the emailed link opens (the portal app serves it): it signs in only on a POST. */
export const SIGN_IN_LINK_PATH = "/account/sign-in-link"
export const SIGN_IN_LINK_WINDOW_SECONDS = 60 * 60
export const SIGN_IN_LINKS_PER_WINDOW = 3

/** P-EXT-6: the settings of a portal that offers sign-in by link, or why not. */
export const emailSignInSettings = (portal: PortalContext) =>
  Effect.flatMap(
    loadEnabledSettings(portal.workspaceId),
    (settings): Effect.Effect<PortalSettings, AccessDenied> =>
      settings.access.method !== "membership"
        ? Effect.fail(new AccessDenied({ code: "sso_required", reason: "methodNotOffered" }))
        : settings.emailSignIn === true
          ? Effect.succeed(settings)
          : Effect.fail(new AccessDenied({ code: "email_sign_in_off", reason: "methodNotOffered" })),
  )

/** The emailed link: the token, and `next` when it is a path of the portal's origin (P-SEC-1). */
export const signInLinkOf = (portal: Pick<PortalContext, "baseUrl">, token: string, next: string | null): string => {
  const path = next === null ? "" : sameOriginPath(next, portal.baseUrl, "")
  const link = tokenLink(portal, SIGN_IN_LINK_PATH, token)
  return path === "" || path === "/" ? link : `${link}&next=${encodeURIComponent(path)}`
}

export const requestSignInLink = (
  portal: PortalContext,
  email: string,
  next: string | null,
): Effect.Effect<
  void,
  WorkspaceNotFound | AccessDenied | ValidationFailed | StoreError,
  SettingsStore | ContactStore | SecurityStore | MailQueue | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* emailSignInSettings(portal)
    yield* mailLoginLink(portal, settings, email, {
      rateKey: "signin-link",
      windowSeconds: SIGN_IN_LINK_WINDOW_SECONDS,
      perWindow: SIGN_IN_LINKS_PER_WINDOW,
      purpose: "emailSignIn",
      ttlMinutes: SIGN_IN_LINK_TTL_MINUTES,
      mail: (to, token) =>
        signInLinkMail(portal.language, {
          to,
          portalName: settings.pageTitle,
          link: signInLinkOf(portal, token, next),
        }),
      what: "sign-in link",
    })
  })

/**
 * P-EXT-6: use an emailed link once. Its contact, when the token is known, unexpired and unused
 * and the contact may still sign in; every other outstanding link of theirs ends with it (P-SEC-5).
 * An unknown, used or expired token is InvalidToken.
 */
export const signInWithLink = (
  portal: PortalContext,
  token: string,
): Effect.Effect<
  { readonly contactId: ContactId },
  WorkspaceNotFound | AccessDenied | InvalidToken | StoreError,
  SettingsStore | ContactStore | SecurityStore | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* emailSignInSettings(portal)
    const now = yield* (yield* Clock).now()
    const security = yield* SecurityStore
    const contacts = yield* ContactStore
    const hash = yield* hashToken(token)
    const consumed = yield* security.consumeTokenEndingOthers(portal.workspaceId, "emailSignIn", hash, now)
    const found =
      Option.isSome(consumed) && consumed.value !== NO_CONTACT
        ? yield* contacts.findById(portal.workspaceId, consumed.value)
        : Option.none()
    if (Option.isNone(found) || found.value.passwordHash === null)
      return yield* new InvalidToken({ purpose: "emailSignIn" })
    const lists = yield* contacts.listIdsOf(portal.workspaceId, found.value.id)
    const decision = accessDecision(settings.access, "password", lists)
    if (!decision.allowed) return yield* new AccessDenied({ code: decision.code, reason: decision.reason })
    return { contactId: found.value.id }
  })
