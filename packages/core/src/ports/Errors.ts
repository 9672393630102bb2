/**
 * Typed errors of the use-cases and ports. The edge (packages/api) maps each `_tag` once.
 * P-VIS-4: a ticket the viewer may not see fails with the same `TicketNotFound` as a missing one.
 */
import { Data } from "effect"
import type { AgentTicketRow } from "../domain/AgentModels.ts"
import { type AccessDenialCode, type ActionRefusalCode, type FieldIssue, fieldIssue } from "../domain/Issues.ts"

export class TicketNotFound extends Data.TaggedError("TicketNotFound")<{ readonly ticketId: string }> {}
export class WorkspaceNotFound extends Data.TaggedError("WorkspaceNotFound")<{ readonly key: string }> {}
export class ContactNotFound extends Data.TaggedError("ContactNotFound")<{ readonly key: string }> {}
export class AttachmentNotFound extends Data.TaggedError("AttachmentNotFound")<{ readonly id: string }> {}
/**
 * A customer action the portal's settings or data do not allow (P-ACT-2..4, P-FORM-2/3):
 * `code` says why (ACTION_REFUSAL_CODES, translated by the portal), `reason` in English for
 * developers and logs. Nothing was written.
 */
export class ActionNotAllowed extends Data.TaggedError("ActionNotAllowed")<{
  readonly action: "reply" | "close" | "submitForm" | "participants" | "rate"
  readonly code: ActionRefusalCode
  readonly reason: string
}> {}
/** Input that breaks a rule; each issue names the field path it concerns and a code (domain/Issues.ts). */
export class ValidationFailed extends Data.TaggedError("ValidationFailed")<{
  readonly issues: ReadonlyArray<FieldIssue>
}> {}
export class Forbidden extends Data.TaggedError("Forbidden")<{ readonly reason: string }> {}
/**
 * Someone may not register or sign in this way (P-AUTH, P-CON-1, P-SET-4): `code` says why
 * (ACCESS_DENIAL_CODES, for the access denied page); `reason` is the older camelCase token
 * (`notInAudience`, `methodNotOffered` …) that the API and the SSO redirects keep sending.
 */
export class AccessDenied extends Data.TaggedError("AccessDenied")<{
  readonly code: AccessDenialCode
  readonly reason: string
}> {}
/** A write raced with another (e.g. settings saved with a stale version). Nothing was written. */
export class Conflict extends Data.TaggedError("Conflict")<{ readonly reason: string }> {}
/**
 * P-AGT-3: a change sent with a version of the ticket that is no longer its current one (another
 * agent, the customer or an integration changed it since). Nothing was written. `current` is the
 * ticket as it is now (added by the use-case), so the page can show what changed.
 */
export class TicketVersionConflict extends Data.TaggedError("TicketVersionConflict")<{
  readonly ticketId: string
  readonly currentVersion: number
  readonly current?: AgentTicketRow
}> {}
/**
 * A write named something the workspace does not have (a ticket's pipeline, stage, contact,
 * company or owner; a thread's ticket or inbox; a note's author …). Nothing was written.
 */
export class MissingReference extends Data.TaggedError("MissingReference")<{
  readonly kind: ReferenceKind
  readonly id: string
}> {}
export type ReferenceKind = "ticket" | "pipeline" | "stage" | "contact" | "company" | "agent" | "inbox" | "thread"
/** The issue of a missing reference, on the input field it came from (code `unknown_<kind>`). */
export const referenceIssue = (path: string, e: Pick<MissingReference, "kind" | "id">): FieldIssue =>
  fieldIssue(path, `unknown_${e.kind}`, `No ${e.kind} "${e.id}".`, { id: e.id })
/** Any failure of the storage below a port; `method` names the port method. */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly method: string
  readonly cause: unknown
}> {}
/** The database could not be reached (lost connection, restarted server); retrying later may work. */
export class StorageUnavailable extends Data.TaggedError("StorageUnavailable")<{
  readonly method: string
  readonly cause: unknown
}> {}
export class MailError extends Data.TaggedError("MailError")<{ readonly method: string; readonly cause: unknown }> {}
/**
 * A sign-in that failed, for any reason that must not be told apart (unknown email, no password
 * set, wrong password): telling them apart would reveal which emails have accounts.
 */
export class InvalidCredentials extends Data.TaggedError("InvalidCredentials") {}
/** An invitation or password-reset link that is unknown, expired or already used. */
export class InvalidToken extends Data.TaggedError("InvalidToken")<{
  readonly purpose: "invitation" | "passwordReset" | "registration" | "emailSignIn"
}> {}
/** Too many attempts in the current window (sign-in, emails sent); retry after the given delay. */
export class TooManyAttempts extends Data.TaggedError("TooManyAttempts")<{ readonly retryAfterSeconds: number }> {}
/** A setup step still missing before the portal can be enabled (P-SET-4). */
export type SetupStep = "domain" | "loginMethod" | "consent" | "pageTitle"

/** One missing step: an issue (path, code, message, params) and the checklist step it belongs to. */
export interface EnablementBlocker extends FieldIssue {
  readonly step: SetupStep
}

/** Enabling the portal before setup is complete (P-SET-4): every missing step, with its field path. */
export class SetupIncomplete extends Data.TaggedError("SetupIncomplete")<{
  readonly missing: ReadonlyArray<EnablementBlocker>
}> {}
