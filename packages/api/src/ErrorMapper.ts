/**
 * The one place where core errors become API errors, by `_tag`, exhaustively (DESIGN.md).
 * - Every "not found" (missing or invisible, P-VIS-4) gets the same code and the same message,
 *   and carries no id: a customer cannot tell a ticket that exists from one that does not.
 * - Anything unexpected becomes INTERNAL_SERVER_ERROR with a fixed message: no stack, no cause.
 * - Input problems keep core's machine-readable `code` (and `params`) next to the English
 *   `message`, so the admin screens translate them (domain/Issues.ts VALIDATION_CODES).
 * - Refusals (ActionNotAllowed, AccessDenied) carry core's `refusalCode` (ACTION_REFUSAL_CODES,
 *   ACCESS_DENIAL_CODES), so the portal says why in the customer's language. It is not named
 *   `code`: tRPC's `data.code` is the error's own code (PRECONDITION_FAILED, FORBIDDEN …).
 */

import {
  type AccessDenialCode,
  type ActionRefusalCode,
  type AgentTicketRow,
  type FieldIssue,
  fieldIssue,
  type InvalidDocument,
  TICKET_VERSION_CONFLICT,
} from "@portal/core/domain"
import {
  type AccessDenied,
  type ActionNotAllowed,
  type AttachmentNotFound,
  type Conflict,
  type ContactNotFound,
  type EnablementBlocker,
  type Forbidden,
  type InvalidCredentials,
  type InvalidToken,
  type MailError,
  type MissingReference,
  referenceIssue,
  type SetupIncomplete,
  type StorageError,
  type StorageUnavailable,
  type TicketNotFound,
  type TicketVersionConflict,
  type TooManyAttempts,
  type ValidationFailed,
  type WorkspaceNotFound,
} from "@portal/core/ports"
import { TRPCError } from "@trpc/server"
import { getHTTPStatusCodeFromError } from "@trpc/server/http"

export type CoreError =
  | TicketNotFound
  | TicketVersionConflict
  | WorkspaceNotFound
  | ContactNotFound
  | AttachmentNotFound
  | ActionNotAllowed
  | ValidationFailed
  | Forbidden
  | AccessDenied
  | Conflict
  | StorageError
  | StorageUnavailable
  | MailError
  | InvalidDocument
  | MissingReference
  | InvalidCredentials
  | InvalidToken
  | TooManyAttempts
  | SetupIncomplete

export const NOT_FOUND_MESSAGE = "Not found"
export const INTERNAL_MESSAGE = "Internal server error"

/** One input problem as the client sees it: core's FieldIssue (path, code, message, params?). */
export type ApiIssue = FieldIssue

export interface ErrorData {
  readonly issues?: ReadonlyArray<ApiIssue>
  readonly reason?: string
  readonly action?: string
  /** Why an action or an entry was refused (ActionNotAllowed, AccessDenied): a stable core code. */
  readonly refusalCode?: ActionRefusalCode | AccessDenialCode
  readonly retryAfterSeconds?: number
  /** P-SET-4: each missing step with its path, code, message (and params). */
  readonly missingSteps?: ReadonlyArray<EnablementBlocker>
  /** P-AGT-3 (`reason: "ticket_version_conflict"`): the ticket's version now, and its row as it is now. */
  readonly currentVersion?: number
  readonly current?: AgentTicketRow
}

/** The public part of issues: exactly path, code, message and params (nothing else a value may carry). */
const publicIssue = <I extends FieldIssue>(issue: I): FieldIssue =>
  fieldIssue(issue.path, issue.code, issue.message, issue.params)
const publicStep = (step: EnablementBlocker): EnablementBlocker => ({ step: step.step, ...publicIssue(step) })

const invalidInput = (issues: ReadonlyArray<FieldIssue>) =>
  new PortalApiError("BAD_REQUEST", "The input is not valid", { issues: issues.map(publicIssue) })

/** An API error carrying the public data the error formatter copies into the response. */
export class PortalApiError extends TRPCError {
  readonly publicData: ErrorData
  constructor(code: TRPCError["code"], message: string, publicData: ErrorData = {}, cause?: unknown) {
    // `cause` is for the server's log only; the error formatter never sends it.
    super(cause === undefined ? { code, message } : { code, message, cause })
    this.publicData = publicData
  }
}

/** The HTTP status of an API error, as tRPC answers it (NOT_FOUND 404, SERVICE_UNAVAILABLE 503 …). */
export const httpStatusOf = (error: PortalApiError): number => getHTTPStatusCodeFromError(error)

/**
 * The body a plain HTTP route (`/files`) sends for an API error: the same fixed message tRPC's
 * clients get (NOT_FOUND_MESSAGE, INTERNAL_MESSAGE …), never a cause or a stack.
 */
export const httpBodyOf = (error: PortalApiError): { readonly error: string } => ({ error: error.message })

const assertNever = (x: never): never => {
  throw new Error(`unmapped error ${String(x)}`)
}

/** Map a typed core error to the API error the client sees. */
export const toApiError = (error: CoreError): PortalApiError => {
  switch (error._tag) {
    case "TicketNotFound":
    case "WorkspaceNotFound":
    case "ContactNotFound":
    case "AttachmentNotFound":
      return new PortalApiError("NOT_FOUND", NOT_FOUND_MESSAGE)
    case "ValidationFailed":
      return invalidInput(error.issues)
    case "MissingReference":
      return invalidInput([referenceIssue(error.kind, error)])
    case "InvalidDocument":
      return new PortalApiError("BAD_REQUEST", "The document is not valid", {
        issues: error.issues.map((message) => fieldIssue("", "invalid_document", message)),
      })
    case "ActionNotAllowed":
      return new PortalApiError("PRECONDITION_FAILED", error.reason, {
        action: error.action,
        refusalCode: error.code,
        reason: error.reason,
      })
    case "Forbidden":
      return new PortalApiError("FORBIDDEN", "Forbidden", { reason: error.reason })
    case "AccessDenied":
      return new PortalApiError("FORBIDDEN", "Access denied", { refusalCode: error.code, reason: error.reason })
    case "Conflict":
      return new PortalApiError("CONFLICT", error.reason, { reason: error.reason })
    case "TicketVersionConflict":
      return new PortalApiError("CONFLICT", "The ticket was changed by someone else", {
        reason: TICKET_VERSION_CONFLICT,
        currentVersion: error.currentVersion,
        ...(error.current === undefined ? {} : { current: error.current }),
      })
    case "StorageUnavailable":
      return new PortalApiError("SERVICE_UNAVAILABLE", "The service is temporarily unavailable", {}, error)
    case "TooManyAttempts":
      return new PortalApiError("TOO_MANY_REQUESTS", "Too many attempts. Try again later.", {
        retryAfterSeconds: error.retryAfterSeconds,
      })
    case "InvalidCredentials":
      // One answer for unknown email, no password and wrong password (no account enumeration).
      return new PortalApiError("UNAUTHORIZED", "The email or password is not correct", {
        reason: "invalidCredentials",
      })
    case "InvalidToken":
      return new PortalApiError("BAD_REQUEST", "This link is invalid or has expired", {
        reason: `invalidToken:${error.purpose}`,
      })
    case "SetupIncomplete":
      return new PortalApiError("PRECONDITION_FAILED", "The portal setup is not complete", {
        reason: "setupIncomplete",
        missingSteps: error.missing.map(publicStep),
      })
    case "StorageError":
    case "MailError":
      return new PortalApiError("INTERNAL_SERVER_ERROR", INTERNAL_MESSAGE, {}, error)
    default:
      return assertNever(error)
  }
}

const KNOWN_TAGS = new Set<string>([
  "TicketNotFound",
  "WorkspaceNotFound",
  "ContactNotFound",
  "AttachmentNotFound",
  "ValidationFailed",
  "InvalidDocument",
  "MissingReference",
  "ActionNotAllowed",
  "Forbidden",
  "AccessDenied",
  "Conflict",
  "TicketVersionConflict",
  "StorageUnavailable",
  "TooManyAttempts",
  "InvalidCredentials",
  "InvalidToken",
  "SetupIncomplete",
  "StorageError",
  "MailError",
])

/** Map anything thrown or failed: known `_tag`s by `toApiError`, the rest to a bare 500. */
export const toApiErrorUnknown = (error: unknown): PortalApiError => {
  if (error instanceof PortalApiError) return error
  const tag = typeof error === "object" && error !== null && "_tag" in error ? (error as { _tag: unknown })._tag : null
  if (typeof tag === "string" && KNOWN_TAGS.has(tag)) return toApiError(error as CoreError)
  return new PortalApiError("INTERNAL_SERVER_ERROR", INTERNAL_MESSAGE, {}, error)
}
