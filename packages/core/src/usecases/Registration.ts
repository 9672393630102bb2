/**
 * Becoming a portal member (P-AUTH-2, P-AUTH-3, P-CON-1..3).
 * - `register`: self-registration. Only on a portal with `registration: "self"` (AccessDenied
 *   `invitation_required` or `sso_required` otherwise) that has a consent notice (else
 *   `registration_unavailable`). The consent checkbox must be ticked (P-CON-2); the record
 *   stores a copy of the texts and their version (P-CON-3) in the same transaction as the
 *   contact. A contact the team already knows (same email, no password yet) keeps its id,
 *   company and tickets. An email that already has a login changes nothing and is answered
 *   `AlreadyRegistered`, after the same work (the password is hashed all the same): the API
 *   answers both alike, so registration never tells whether an email has an account.
 * - `inviteAccessGroups`: an admin (P-SET-1 permission) sends every contact of the chosen lists a
 *   single-use, expiring link (P-AUTH-2). Only the token's hash is stored.
 * - `acceptInvitation`: the link's token sets the contact's password, once, and only while the
 *   contact is still in the chosen lists. A weak password is refused before the token is used, so
 *   the customer can try again with the same link. Setting it ends the contact's other sessions.
 */
import { Effect } from "effect"
import type { ContactId } from "../domain/Ids.ts"
import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import { ContactStore, type StoredContact } from "../ports/ContactStore.ts"
import {
  AccessDenied,
  Forbidden,
  type InvalidToken,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import type { SessionStore } from "../ports/SessionStore.ts"
import type { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, IdGenerator, Mailer, PasswordHasher } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import { accessDecision, methodRefusal } from "../rules/Access.ts"
import { checkConsent, consentRecord } from "../rules/Consent.ts"
import { emailIssues, normalizeEmail, passwordIssues } from "../rules/Credentials.ts"
import { loadEnabledSettings, loadSettings } from "./Lookups.ts"
import { INVITATION_TTL_DAYS, invitationMail } from "./Mails.ts"
import { redeemPasswordToken, setContactPassword } from "./SignIn.ts"
import { addMs, randomToken, tokenHash } from "./Tokens.ts"
import { type AgentViewer, INVITATION_PATH, type PortalContext, requirePermission, tokenLink } from "./Viewers.ts"

export const NAME_MAX_LENGTH = 100

export interface RegistrationInput {
  readonly email: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  /** The consent checkbox (P-CON-2). */
  readonly consent: boolean
}

type EntryError = WorkspaceNotFound | AccessDenied | ValidationFailed | StoreError

/** What happened; the API must answer both alike (no account enumeration). */
export type RegistrationResult =
  | { readonly _tag: "Registered"; readonly contactId: ContactId }
  | { readonly _tag: "AlreadyRegistered" }

const alreadyRegistered: RegistrationResult = { _tag: "AlreadyRegistered" }

/** P-AUTH-3, P-CON-1..3: self-registration. */
export const register = (
  portal: PortalContext,
  input: RegistrationInput,
): Effect.Effect<RegistrationResult, EntryError, SettingsStore | ContactStore | PasswordHasher | Clock | IdGenerator> =>
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

    const contacts = yield* ContactStore
    const email = normalizeEmail(input.email)
    const existing = yield* contacts.findByEmail(portal.workspaceId, email)
    const id =
      existing._tag === "Some" ? existing.value.id : ((yield* (yield* IdGenerator).next("contact")) as ContactId)
    const firstName = input.firstName.trim()
    const lastName = input.lastName.trim()
    const base: StoredContact = existing._tag === "Some" ? existing.value : { id, email, passwordHash: null }
    // Hashed in every case, so that an existing login costs the same time as a new one.
    const passwordHash = yield* (yield* PasswordHasher).hash(input.password)
    if (base.passwordHash !== null) return alreadyRegistered
    // Names the team already has win over what was typed: the CRM is the record of truth.
    const contact: StoredContact = {
      ...base,
      ...(base.firstName === undefined && firstName.length > 0 ? { firstName } : {}),
      ...(base.lastName === undefined && lastName.length > 0 ? { lastName } : {}),
      passwordHash,
    }
    const now = yield* (yield* Clock).now()
    const record = consent._tag === "Given" ? consentRecord(id, consent.consent, now) : null
    // Conflict: someone registered this email in the meantime; nothing was written.
    return yield* contacts.register(portal.workspaceId, contact, record).pipe(
      Effect.map((stored): RegistrationResult => ({ _tag: "Registered", contactId: stored.id })),
      Effect.catchTag("Conflict", () => Effect.succeed(alreadyRegistered)),
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
        tokenHash: tokenHash(token),
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
