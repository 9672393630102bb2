/**
 * Becoming a portal member (P-AUTH-2, P-AUTH-3, P-CON-1..3, P-SEC-8).
 * - `register`: self-registration. Only on a portal with `registration: "self"` (AccessDenied
 *   `invitation_required` or `sso_required` otherwise) that has a consent notice (else
 *   `registration_unavailable`). The fields are checked (every problem at once) and the consent
 *   checkbox must be ticked (P-CON-2). Then nothing becomes a login (P-AUTH-3): the password is
 *   hashed and what was typed is kept as a PENDING registration (the link token's hash, 24 h),
 *   no contact is created or changed and no session starts. The address gets a mail: a
 *   single-use link to confirm it, or, when the email already has a login, "you already have an
 *   account" (the owner learns of the attempt; no link). Every branch does the same work (one
 *   hash, one lookup, one rate-limit hit, one pending row, one queued mail), so neither the
 *   answer nor its timing tells whether an email has a login (P-SEC-8). At most
 *   REGISTRATION_MAILS_PER_WINDOW mails per email per hour: the form cannot flood a mailbox.
 * - `completeRegistration`: the link's token, once: the pending registration becomes a login.
 *   A new email creates the contact; a contact without a login (created by the team, an import
 *   or `integration.contacts.upsert`) gets the login and keeps its id, company and tickets: the
 *   owner proved they receive its mail. The consent record (copy of the texts shown, version,
 *   time ticked; P-CON-3) is stored in the same transaction. Every other pending registration of
 *   the email ends with it. An unknown, used or expired token, or an email that got a login in
 *   the meantime, is InvalidToken and changes nothing more.
 * - `inviteAccessGroups`: an admin (P-SET-1 permission) sends every contact of the chosen lists a
 *   single-use, expiring link (P-AUTH-2). Only the token's hash is stored.
 * - `acceptInvitation`: the link's token sets the contact's password, once, and only while the
 *   contact is still in the chosen lists. A weak password is refused before the token is used, so
 *   the customer can try again with the same link. Setting it ends the contact's other sessions.
 */
import { Effect, Option } from "effect"
import type { ContactId } from "../domain/Ids.ts"
import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import { ContactStore, type StoredContact } from "../ports/ContactStore.ts"
import { AccessDenied, Forbidden, InvalidToken, ValidationFailed, type WorkspaceNotFound } from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import type { SessionStore } from "../ports/SessionStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, IdGenerator, Mailer, MailQueue, PasswordHasher } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { accessDecision, methodRefusal } from "../rules/Access.ts"
import { checkConsent, consentRecord } from "../rules/Consent.ts"
import { emailIssues, normalizeEmail, passwordIssues } from "../rules/Credentials.ts"
import { loadEnabledSettings, loadSettings } from "./Lookups.ts"
import {
  alreadyRegisteredMail,
  INVITATION_TTL_DAYS,
  invitationMail,
  REGISTRATION_TTL_HOURS,
  verifyRegistrationMail,
} from "./Mails.ts"
import { redeemPasswordToken, setContactPassword } from "./SignIn.ts"
import { addMs, hashToken, randomToken } from "./Tokens.ts"
import { type AgentViewer, INVITATION_PATH, type PortalContext, requirePermission, tokenLink } from "./Viewers.ts"

export const NAME_MAX_LENGTH = 100
/** P-AUTH-3: the page that uses a registration link (a form POST, never the GET itself). */
export const VERIFY_REGISTRATION_PATH = "/account/verify"
/** Where the "you already have an account" mail sends its owner. */
export const SIGN_IN_PATH = "/account/sign-in"
export const REGISTRATION_MAIL_WINDOW_SECONDS = 60 * 60
export const REGISTRATION_MAILS_PER_WINDOW = 3

export interface RegistrationInput {
  readonly email: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  /** The consent checkbox (P-CON-2). */
  readonly consent: boolean
}

type EntryError = WorkspaceNotFound | AccessDenied | ValidationFailed | StoreError

/**
 * What was mailed; the API must answer all alike (no account enumeration): a link to confirm the
 * email, the "already registered" notice, or nothing (the per-email hourly mail limit).
 */
export type RegistrationResult =
  | { readonly _tag: "VerificationSent" }
  | { readonly _tag: "AlreadyRegistered" }
  | { readonly _tag: "MailLimited" }

const pageLink = (portal: Pick<PortalContext, "baseUrl">, path: string) =>
  `${portal.baseUrl.replace(/\/+$/, "")}${path}`

const portalNameOf = (settings: { readonly pageTitle: string }, portal: PortalContext) =>
  settings.pageTitle.trim() || (portal.language === "ja" ? "カスタマーポータル" : "Customer portal")

/** P-AUTH-3, P-CON-1..3, P-SEC-8: self-registration, pending until the emailed link is used. */
export const register = (
  portal: PortalContext,
  input: RegistrationInput,
): Effect.Effect<
  RegistrationResult,
  EntryError,
  SettingsStore | ContactStore | SecurityStore | PasswordHasher | Clock | MailQueue
> =>
  Effect.gen(function* () {
    const settings = yield* loadEnabledSettings(portal.workspaceId)
    const decision = accessDecision(settings.access, "selfRegistration", [])
    if (!decision.allowed) return yield* new AccessDenied({ code: decision.code, reason: decision.reason })
    const consent = checkConsent(settings, input.consent)
    if (consent._tag === "NotConfigured")
      return yield* new AccessDenied({ code: "registration_unavailable", reason: "registrationUnavailable" })

    const issues: Array<FieldIssue> = [
      ...emailIssues(input.email),
      ...passwordIssues(input.password, { email: input.email, portalName: settings.pageTitle }),
    ]
    for (const key of ["firstName", "lastName"] as const)
      if (codePoints(input[key]) > NAME_MAX_LENGTH) issues.push(tooLong(key, NAME_MAX_LENGTH))
    if (consent._tag === "Missing")
      issues.push(fieldIssue("consent", "consent_required", "Tick the box to agree before registering."))
    if (issues.length > 0) return yield* new ValidationFailed({ issues })

    const email = normalizeEmail(input.email)
    const security = yield* SecurityStore
    const now = yield* (yield* Clock).now()
    // From here every branch does the same work, in the same order (P-SEC-8).
    const passwordHash = yield* (yield* PasswordHasher).hash(input.password)
    const existing = yield* (yield* ContactStore).findByEmail(portal.workspaceId, email)
    const hasLogin = Option.isSome(existing) && existing.value.passwordHash !== null
    const rate = yield* security.hitRateLimit(
      `register-mail:${portal.workspaceId}:${email}`,
      REGISTRATION_MAIL_WINDOW_SECONDS,
      REGISTRATION_MAILS_PER_WINDOW,
      now,
    )
    if (!rate.allowed) return { _tag: "MailLimited" } as const
    const token = yield* randomToken
    const given = consent._tag === "Given" ? consentRecord("" as ContactId, consent.consent, now) : null
    // Written for an email with a login too (same work): its token is never sent, so it can never be used.
    yield* security.createPendingRegistration({
      workspaceId: portal.workspaceId,
      tokenHash: yield* hashToken(token),
      email,
      passwordHash,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      consent: given === null ? null : withoutContact(given),
      createdAt: now,
      expiresAt: addMs(now, REGISTRATION_TTL_HOURS * 3_600_000),
    })
    const portalName = portalNameOf(settings, portal)
    const mail = hasLogin
      ? alreadyRegisteredMail(portal.language, { to: email, portalName, link: pageLink(portal, SIGN_IN_PATH) })
      : verifyRegistrationMail(portal.language, {
          to: email,
          portalName,
          link: tokenLink(portal, VERIFY_REGISTRATION_PATH, token),
        })
    yield* (yield* MailQueue).enqueue(mail, hasLogin ? "already registered" : "registration")
    return hasLogin ? ({ _tag: "AlreadyRegistered" } as const) : ({ _tag: "VerificationSent" } as const)
  })

const withoutContact = <A extends { readonly contactId: ContactId }>({
  contactId: _,
  ...rest
}: A): Omit<A, "contactId"> => rest

/**
 * P-AUTH-3: use a registration link. The pending registration becomes a login (a new contact, or
 * the existing contact without a login), with its consent record, in one store transaction.
 */
export const completeRegistration = (
  portal: PortalContext,
  input: { readonly token: string },
): Effect.Effect<
  { readonly contactId: ContactId },
  EntryError | InvalidToken,
  SettingsStore | ContactStore | SecurityStore | Clock | IdGenerator
> =>
  Effect.gen(function* () {
    const settings = yield* loadEnabledSettings(portal.workspaceId)
    const decision = accessDecision(settings.access, "selfRegistration", [])
    // Refused before the link is used: it works again if the portal takes registrations again.
    if (!decision.allowed) return yield* new AccessDenied({ code: decision.code, reason: decision.reason })
    const now = yield* (yield* Clock).now()
    const consumed = yield* (yield* SecurityStore).consumePendingRegistration(
      portal.workspaceId,
      yield* hashToken(input.token),
      now,
    )
    if (Option.isNone(consumed)) return yield* new InvalidToken({ purpose: "registration" })
    const pending = consumed.value
    const contacts = yield* ContactStore
    const existing = yield* contacts.findByEmail(portal.workspaceId, pending.email)
    // The email got a login since (another link, an invitation): this link is spent and changes nothing.
    if (Option.isSome(existing) && existing.value.passwordHash !== null)
      return yield* new InvalidToken({ purpose: "registration" })
    const id = Option.isSome(existing)
      ? existing.value.id
      : ((yield* (yield* IdGenerator).next("contact")) as ContactId)
    const base: StoredContact = Option.isSome(existing)
      ? existing.value
      : { id, email: pending.email, passwordHash: null }
    // Names the team already has win over what was typed: the CRM is the record of truth.
    const contact: StoredContact = {
      ...base,
      ...(base.firstName === undefined && pending.firstName.length > 0 ? { firstName: pending.firstName } : {}),
      ...(base.lastName === undefined && pending.lastName.length > 0 ? { lastName: pending.lastName } : {}),
      passwordHash: pending.passwordHash,
    }
    const record = pending.consent === null ? null : { ...pending.consent, contactId: id }
    // Conflict: the contact got a login between the lookup and the write; nothing was written.
    return yield* contacts.register(portal.workspaceId, contact, record).pipe(
      Effect.map((stored) => ({ contactId: stored.id })),
      Effect.catchTag("Conflict", () => Effect.fail(new InvalidToken({ purpose: "registration" }))),
    )
  })

/** P-AUTH-2: set the password through an invitation link. */
export const acceptInvitation = (
  portal: PortalContext,
  input: { readonly token: string; readonly password: string },
): Effect.Effect<
  { readonly contactId: ContactId },
  EntryError | InvalidToken,
  SettingsStore | ContactStore | SecurityStore | SessionStore | PasswordHasher | Clock
> =>
  Effect.gen(function* () {
    const settings = yield* loadEnabledSettings(portal.workspaceId)
    const notOffered = methodRefusal(settings.access, "invitation")
    if (notOffered !== null) return yield* new AccessDenied({ code: notOffered, reason: "methodNotOffered" })
    const contact = yield* redeemPasswordToken(portal, "invitation", input, settings.pageTitle)
    const contacts = yield* ContactStore
    const lists = yield* contacts.listIdsOf(portal.workspaceId, contact.id)
    const decision = accessDecision(settings.access, "invitation", lists)
    if (!decision.allowed) return yield* new AccessDenied({ code: decision.code, reason: decision.reason })
    yield* setContactPassword(portal, contact.id, input.password)
    return { contactId: contact.id }
  })

export interface InvitationReport {
  /** Contacts sent a link. */
  readonly invited: number
  /** Contacts skipped because they already have a password (unless `includeRegistered`). */
  readonly skipped: number
  /** Emails whose mail could not be sent; their tokens exist but nobody received them. */
  readonly failed: ReadonlyArray<string>
}

/** P-AUTH-2: send every contact of the chosen lists a registration link. */
export const inviteAccessGroups = (
  agent: AgentViewer,
  portal: PortalContext,
  options: { readonly includeRegistered?: boolean } = {},
): Effect.Effect<
  InvitationReport,
  WorkspaceNotFound | ValidationFailed | Forbidden | StoreError,
  SettingsStore | ContactStore | SecurityStore | Mailer | Clock
> =>
  Effect.gen(function* () {
    yield* requirePermission(agent, "portal.settings")
    if (agent.workspaceId !== portal.workspaceId)
      return yield* new Forbidden({ reason: "The agent belongs to another workspace." })
    const settings = yield* loadSettings(portal.workspaceId)
    const access = settings.access
    if (access.method !== "membership" || access.registration !== "accessGroups" || access.listIds.length === 0)
      return yield* new ValidationFailed({
        issues: [
          fieldIssue(
            "access",
            "access_groups_not_configured",
            "The portal does not use access groups with chosen lists.",
          ),
        ],
      })
    const contacts = yield* ContactStore
    const security = yield* SecurityStore
    const mailer = yield* Mailer
    const now = yield* (yield* Clock).now()
    const members = yield* contacts.contactsInLists(portal.workspaceId, access.listIds)
    const unique = [...new Map(members.map((c) => [c.id as string, c])).values()]
    const portalName =
      settings.pageTitle.trim() || (portal.language === "ja" ? "カスタマーポータル" : "Customer portal")
    let invited = 0
    let skipped = 0
    const failed: Array<string> = []
    for (const contact of unique) {
      if (contact.passwordHash !== null && options.includeRegistered !== true) {
        skipped++
        continue
      }
      const token = yield* randomToken
      yield* security.createToken({
        workspaceId: portal.workspaceId,
        purpose: "invitation",
        tokenHash: yield* hashToken(token),
        contactId: contact.id,
        expiresAt: addMs(now, INVITATION_TTL_DAYS * 24 * 3_600_000),
      })
      const mail = invitationMail(portal.language, {
        to: contact.email,
        portalName,
        link: tokenLink(portal, INVITATION_PATH, token),
      })
      const sent = yield* Effect.exit(mailer.send(mail))
      if (sent._tag === "Success") invited++
      else failed.push(contact.email)
    }
    return { invited, skipped, failed }
  })
