/**
 * Password sign-in and password reset (P-AUTH-1..4), written so that nobody can learn from the
 * answers whether an email has an account:
 * - A failed sign-in is always InvalidCredentials, and costs one password verification whatever
 *   the reason: an unknown email (or a contact with no password) is verified against a dummy hash
 *   made once by the same hasher, so it takes as long as a wrong password.
 * - Sign-in attempts are counted per workspace and email (10 per 15 minutes) before any lookup;
 *   past the limit, TooManyAttempts, also for unknown emails.
 * - The right password of a contact outside the access groups gets AccessDenied (P-AUTH-2): only
 *   someone who knows the password learns that.
 * - A reset request always succeeds. Only a contact with a login who may still sign in gets a
 *   link (single use, 60 minutes); mail problems are logged, not returned. At most 3 links per
 *   email per hour, so the form cannot be used to flood someone's mailbox.
 * - An SSO portal offers neither (AccessDenied "methodNotOffered"): the team's IdP owns passwords.
 */
import { Effect } from "effect"
import type { ContactId } from "../domain/Ids.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import {
  AccessDenied,
  InvalidCredentials,
  InvalidToken,
  TooManyAttempts,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, Mailer, PasswordHasher } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { accessDecision } from "../rules/Access.ts"
import { emailIssues, normalizeEmail, passwordIssues } from "../rules/Credentials.ts"
import { loadEnabledSettings } from "./Lookups.ts"
import { PASSWORD_RESET_TTL_MINUTES, passwordResetMail } from "./Mails.ts"
import { addMs, randomToken, tokenHash } from "./Tokens.ts"
import { PASSWORD_RESET_PATH, type PortalContext, tokenLink } from "./Viewers.ts"

export const SIGN_IN_WINDOW_SECONDS = 15 * 60
export const SIGN_IN_ATTEMPTS_PER_WINDOW = 10
export const RESET_MAIL_WINDOW_SECONDS = 60 * 60
export const RESET_MAILS_PER_WINDOW = 3

type Hasher = PasswordHasher["Service"]
const dummyHashes = new WeakMap<Hasher, string>()

/** A hash of a fixed throwaway password, made once per hasher (so with the same cost settings). */
const dummyHash = (hasher: Hasher): Effect.Effect<string> =>
  Effect.suspend(() => {
    const known = dummyHashes.get(hasher)
    if (known !== undefined) return Effect.succeed(known)
    return Effect.tap(hasher.hash("portal-dummy-password-for-timing"), (hash) =>
      Effect.sync(() => dummyHashes.set(hasher, hash)),
    )
  })

const membershipSettings = (portal: PortalContext) =>
  Effect.flatMap(loadEnabledSettings(portal.workspaceId), (settings) =>
    settings.access.method === "membership"
      ? Effect.succeed(settings)
      : Effect.fail(new AccessDenied({ reason: "methodNotOffered" })),
  )

export const signInWithPassword = (
  portal: PortalContext,
  email: string,
  password: string,
): Effect.Effect<
  { readonly contactId: ContactId },
  WorkspaceNotFound | AccessDenied | InvalidCredentials | TooManyAttempts | StoreError,
  SettingsStore | ContactStore | SecurityStore | PasswordHasher | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* membershipSettings(portal)
    const normalized = normalizeEmail(email)
    const now = yield* (yield* Clock).now()
    const rate = yield* (yield* SecurityStore).hitRateLimit(
      `signin:${portal.workspaceId}:${normalized}`,
      SIGN_IN_WINDOW_SECONDS,
      SIGN_IN_ATTEMPTS_PER_WINDOW,
      now,
    )
    if (!rate.allowed) return yield* new TooManyAttempts({ retryAfterSeconds: rate.retryAfterSeconds })
    const contacts = yield* ContactStore
    const hasher = yield* PasswordHasher
    const found = yield* contacts.findByEmail(portal.workspaceId, normalized)
    const contact = found._tag === "Some" && found.value.passwordHash !== null ? found.value : null
    const hash = contact?.passwordHash ?? (yield* dummyHash(hasher))
    const ok = yield* hasher.verify(hash, password)
    if (contact === null || !ok) return yield* new InvalidCredentials()
    const lists = yield* contacts.listIdsOf(portal.workspaceId, contact.id)
    const decision = accessDecision(settings.access, "password", lists)
    if (!decision.allowed) return yield* new AccessDenied({ reason: decision.reason })
    return { contactId: contact.id }
  })

export const requestPasswordReset = (
  portal: PortalContext,
  email: string,
): Effect.Effect<
  void,
  WorkspaceNotFound | AccessDenied | ValidationFailed | StoreError,
  SettingsStore | ContactStore | SecurityStore | Mailer | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* membershipSettings(portal)
    const issues = emailIssues(email)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const normalized = normalizeEmail(email)
    const security = yield* SecurityStore
    const contacts = yield* ContactStore
    const now = yield* (yield* Clock).now()
    const rate = yield* security.hitRateLimit(
      `reset:${portal.workspaceId}:${normalized}`,
      RESET_MAIL_WINDOW_SECONDS,
      RESET_MAILS_PER_WINDOW,
      now,
    )
    if (!rate.allowed) return
    const found = yield* contacts.findByEmail(portal.workspaceId, normalized)
    // No login yet: a reset would become a registration that skips consent (P-CON-2) or the invitation.
    if (found._tag === "None" || found.value.passwordHash === null) return
    const lists = yield* contacts.listIdsOf(portal.workspaceId, found.value.id)
    if (!accessDecision(settings.access, "password", lists).allowed) return
    const token = yield* randomToken
    yield* security.createToken({
      workspaceId: portal.workspaceId,
      purpose: "passwordReset",
      tokenHash: tokenHash(token),
      contactId: found.value.id,
      expiresAt: addMs(now, PASSWORD_RESET_TTL_MINUTES * 60_000),
    })
    const mail = passwordResetMail(portal.language, {
      to: found.value.email,
      portalName: settings.pageTitle,
      link: tokenLink(portal, PASSWORD_RESET_PATH, token),
    })
    yield* (yield* Mailer)
      .send(mail)
      .pipe(Effect.catchTag("MailError", (e) => Effect.logWarning("password reset mail not sent", e.method, e.cause)))
  })

export const resetPassword = (
  portal: PortalContext,
  input: { readonly token: string; readonly password: string },
): Effect.Effect<
  { readonly contactId: ContactId },
  WorkspaceNotFound | AccessDenied | ValidationFailed | InvalidToken | StoreError,
  SettingsStore | ContactStore | SecurityStore | PasswordHasher | Clock
> =>
  Effect.gen(function* () {
    yield* membershipSettings(portal)
    // Check the password before using the token, so a refused password leaves the link valid.
    const issues = passwordIssues(input.password)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const contacts = yield* ContactStore
    const now = yield* (yield* Clock).now()
    const consumed = yield* (yield* SecurityStore).consumeToken(
      portal.workspaceId,
      "passwordReset",
      tokenHash(input.token),
      now,
    )
    if (consumed._tag === "None") return yield* new InvalidToken({ purpose: "passwordReset" })
    const contact = yield* contacts.findById(portal.workspaceId, consumed.value)
    if (contact._tag === "None") return yield* new InvalidToken({ purpose: "passwordReset" })
    const hash = yield* (yield* PasswordHasher).hash(input.password)
    yield* contacts.setPassword(portal.workspaceId, contact.value.id, hash)
    return { contactId: contact.value.id }
  })
