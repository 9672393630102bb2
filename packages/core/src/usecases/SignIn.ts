/**
 * Password sign-in of customers and agents, and password reset (P-AUTH-1..4, P-AUTH-7), written
 * so that nobody can learn from the answers whether an email has an account:
 * - A failed sign-in is always InvalidCredentials, and costs one password verification whatever
 *   the reason; before any lookup the attempt goes through the throttle (P-SEC-4,
 *   PasswordChecks.ts, the same for customers and agents): failures count per (account, client
 *   address) and per client address, successes do not count, and the account's failures from
 *   every address only slow attempts down, so the right password still works from elsewhere.
 * - The right password of a contact outside the access groups gets AccessDenied (P-AUTH-2): only
 *   someone who knows the password learns that.
 * - A reset request always succeeds. Only a contact with a login who may still sign in gets a
 *   link (single use, 60 minutes); mail problems are logged, not returned. At most 3 links per
 *   email per hour, so the form cannot be used to flood someone's mailbox.
 * - An SSO portal offers neither (AccessDenied `sso_required`): the team's IdP owns passwords.
 * - A new password (reset link) ends every session of the contact: whoever knew the old one is out.
 */
import { Effect, Option } from "effect"
import type { AgentId, ContactId, WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import { ContactStore, type StoredContact } from "../ports/ContactStore.ts"
import {
  AccessDenied,
  InvalidCredentials,
  InvalidToken,
  type TooManyAttempts,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import { SecurityStore, type TokenPurpose } from "../ports/SecurityStore.ts"
import { SessionStore } from "../ports/SessionStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, type Mail, MailQueue, PasswordHasher } from "../ports/System.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { accessDecision } from "../rules/Access.ts"
import { emailIssues, normalizeEmail, passwordIssues } from "../rules/Credentials.ts"
import { loadEnabledSettings } from "./Lookups.ts"
import { PASSWORD_RESET_TTL_MINUTES, passwordResetMail } from "./Mails.ts"
import { admitSignInAttempt, verifyStoredPassword } from "./PasswordChecks.ts"
import { addMs, hashToken, randomToken } from "./Tokens.ts"
import { PASSWORD_RESET_PATH, type PortalContext, tokenLink } from "./Viewers.ts"

export const RESET_MAIL_WINDOW_SECONDS = 60 * 60
export const RESET_MAILS_PER_WINDOW = 3

const membershipSettings = (portal: PortalContext) =>
  Effect.flatMap(loadEnabledSettings(portal.workspaceId), (settings) =>
    settings.access.method === "membership"
      ? Effect.succeed(settings)
      : Effect.fail(new AccessDenied({ code: "sso_required", reason: "methodNotOffered" })),
  )

export const signInWithPassword = (
  portal: PortalContext,
  email: string,
  password: string,
  /** The client address, for the throttle (P-SEC-4). */
  clientAddress: string,
): Effect.Effect<
  { readonly contactId: ContactId },
  WorkspaceNotFound | AccessDenied | InvalidCredentials | TooManyAttempts | StoreError,
  SettingsStore | ContactStore | SecurityStore | PasswordHasher | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* membershipSettings(portal)
    const normalized = normalizeEmail(email)
    const attempt = yield* admitSignInAttempt({
      scope: "contact",
      workspaceId: portal.workspaceId,
      email: normalized,
      clientAddress,
    })
    const contacts = yield* ContactStore
    const found = yield* contacts.findByEmail(portal.workspaceId, normalized)
    const contact = found._tag === "Some" && found.value.passwordHash !== null ? found.value : null
    const ok = yield* verifyStoredPassword(contact?.passwordHash ?? null, password)
    if (contact === null || !ok) return yield* new InvalidCredentials()
    yield* attempt.succeeded
    const lists = yield* contacts.listIdsOf(portal.workspaceId, contact.id)
    const decision = accessDecision(settings.access, "password", lists)
    if (!decision.allowed) return yield* new AccessDenied({ code: decision.code, reason: decision.reason })
    return { contactId: contact.id }
  })

/**
 * No contact has the empty id (ids are non-empty strings): the token row written when nobody is to
 * get a link, so that every branch of a reset request writes one (P-SEC-8). Its token is never
 * sent, and a token of this id finds no contact.
 */
export const NO_CONTACT = "" as ContactId

/**
 * P-SEC-8, P-SEC-5: the one way a link to a contact's login leaves by email (password reset,
 * sign-in link). After the per-email rate limit every branch does the same store work — one list
 * lookup, one token row (for nobody: `NO_CONTACT`) — and renders the mail; only a contact with a
 * login who may sign in by password has it queued, and the queue returns at once (MailQueue), so
 * the answer's timing does not tell whether the email has a login. A contact without a login gets
 * none: a reset would become a registration that skips consent (P-CON-2) or the invitation.
 */
export const mailLoginLink = (
  portal: PortalContext,
  settings: PortalSettings,
  email: string,
  link: {
    readonly rateKey: string
    readonly windowSeconds: number
    readonly perWindow: number
    readonly purpose: TokenPurpose
    readonly ttlMinutes: number
    readonly mail: (to: string, token: string) => Mail
    /** What the mail is called in the log ("password reset"). */
    readonly what: string
  },
): Effect.Effect<void, ValidationFailed | StoreError, ContactStore | SecurityStore | MailQueue | Clock> =>
  Effect.gen(function* () {
    const issues = emailIssues(email)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const normalized = normalizeEmail(email)
    const security = yield* SecurityStore
    const contacts = yield* ContactStore
    const now = yield* (yield* Clock).now()
    const rate = yield* security.hitRateLimit(
      `${link.rateKey}:${portal.workspaceId}:${normalized}`,
      link.windowSeconds,
      link.perWindow,
      now,
    )
    if (!rate.allowed) return
    const found = yield* contacts.findByEmail(portal.workspaceId, normalized)
    const contact = found._tag === "Some" && found.value.passwordHash !== null ? found.value : null
    const lists = yield* contacts.listIdsOf(portal.workspaceId, contact?.id ?? NO_CONTACT)
    const recipient = contact !== null && accessDecision(settings.access, "password", lists).allowed ? contact : null
    const token = yield* randomToken
    yield* security.createToken({
      workspaceId: portal.workspaceId,
      purpose: link.purpose,
      tokenHash: yield* hashToken(token),
      contactId: recipient?.id ?? NO_CONTACT,
      expiresAt: addMs(now, link.ttlMinutes * 60_000),
    })
    const mail = link.mail(recipient?.email ?? normalized, token)
    if (recipient !== null) yield* (yield* MailQueue).enqueue(mail, link.what)
  })

export const requestPasswordReset = (
  portal: PortalContext,
  email: string,
): Effect.Effect<
  void,
  WorkspaceNotFound | AccessDenied | ValidationFailed | StoreError,
  SettingsStore | ContactStore | SecurityStore | MailQueue | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* membershipSettings(portal)
    yield* mailLoginLink(portal, settings, email, {
      rateKey: "reset",
      windowSeconds: RESET_MAIL_WINDOW_SECONDS,
      perWindow: RESET_MAILS_PER_WINDOW,
      purpose: "passwordReset",
      ttlMinutes: PASSWORD_RESET_TTL_MINUTES,
      mail: (to, token) =>
        passwordResetMail(portal.language, {
          to,
          portalName: settings.pageTitle,
          link: tokenLink(portal, PASSWORD_RESET_PATH, token),
        }),
      what: "password reset",
    })
  })

export const resetPassword = (
  portal: PortalContext,
  input: { readonly token: string; readonly password: string },
): Effect.Effect<
  { readonly contactId: ContactId },
  WorkspaceNotFound | AccessDenied | ValidationFailed | InvalidToken | StoreError,
  SettingsStore | ContactStore | SecurityStore | SessionStore | PasswordHasher | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* membershipSettings(portal)
    const contact = yield* redeemPasswordToken(portal, "passwordReset", input, settings.pageTitle)
    yield* setContactPassword(portal, contact.id, input.password)
    return { contactId: contact.id }
  })

/**
 * The shared first half of setting a password from an emailed link (invitation, reset): find the
 * token's contact without using the token, check the new password (with the contact's email and
 * the portal's name, so a refused password leaves the link valid), then use the token once. Using
 * it ends every other outstanding link of the contact, whatever its purpose, in the same store
 * step (P-SEC-5): an older reset link or an invitation can no longer set a password. An unknown,
 * used or expired token is InvalidToken.
 */
export const redeemPasswordToken = (
  portal: PortalContext,
  purpose: TokenPurpose,
  input: { readonly token: string; readonly password: string },
  portalName?: string,
): Effect.Effect<StoredContact, ValidationFailed | InvalidToken | StoreError, ContactStore | SecurityStore | Clock> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now()
    const security = yield* SecurityStore
    const contacts = yield* ContactStore
    const hash = yield* hashToken(input.token)
    const holder = yield* security.findToken(portal.workspaceId, purpose, hash, now)
    const found = Option.isSome(holder) ? yield* contacts.findById(portal.workspaceId, holder.value) : Option.none()
    if (Option.isNone(found)) {
      // The length rule still answers first, as before: a short password is refused whatever the link.
      const basic = passwordIssues(input.password)
      if (basic.length > 0) return yield* new ValidationFailed({ issues: basic })
      return yield* new InvalidToken({ purpose })
    }
    const issues = passwordIssues(input.password, { email: found.value.email, portalName })
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const consumed = yield* security.consumeTokenEndingOthers(portal.workspaceId, purpose, hash, now)
    if (Option.isNone(consumed) || consumed.value !== found.value.id) return yield* new InvalidToken({ purpose })
    return found.value
  })

/** Set a contact's new password and end every session they had (signed out everywhere). */
export const setContactPassword = (
  portal: Pick<PortalContext, "workspaceId">,
  contactId: ContactId,
  password: string,
): Effect.Effect<void, StoreError, ContactStore | SessionStore | PasswordHasher> =>
  Effect.gen(function* () {
    const hash = yield* (yield* PasswordHasher).hash(password)
    yield* (yield* ContactStore).setPassword(portal.workspaceId, contactId, hash)
    yield* (yield* SessionStore).removeAllOf(portal.workspaceId, { type: "contact", id: contactId })
  })

/**
 * An agent's password sign-in, for the portal preview (P-AUTH-7) and the settings screens
 * (P-SET-1). It works on a disabled portal: that is how an admin sets one up. Same guarantees as
 * the customers' sign-in: the same throttle before any lookup (P-SEC-4), one
 * InvalidCredentials for an unknown email, an agent without a password and a wrong password, and
 * one password verification whatever the reason.
 */
export const signInAgent = (
  workspaceId: WorkspaceId,
  email: string,
  password: string,
  /** The client address, for the throttle (P-SEC-4). */
  clientAddress: string,
): Effect.Effect<
  { readonly agentId: AgentId },
  InvalidCredentials | TooManyAttempts | StoreError,
  WorkspaceStore | SecurityStore | PasswordHasher | Clock
> =>
  Effect.gen(function* () {
    const wanted = normalizeEmail(email)
    const attempt = yield* admitSignInAttempt({ scope: "agent", workspaceId, email: wanted, clientAddress })
    const store = yield* WorkspaceStore
    const catalog = yield* store.catalog(workspaceId)
    const agent = Option.isSome(catalog)
      ? catalog.value.agents.find((a) => normalizeEmail(a.email) === wanted)
      : undefined
    const stored = agent === undefined ? Option.none<string>() : yield* store.agentPasswordHash(workspaceId, agent.id)
    const ok = yield* verifyStoredPassword(Option.getOrNull(stored), password)
    if (agent === undefined || !ok) return yield* new InvalidCredentials()
    yield* attempt.succeeded
    return { agentId: agent.id }
  })
