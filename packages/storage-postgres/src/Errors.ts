/**
 * Every failure below a port becomes a typed value: StorageUnavailable when the database cannot
 * be reached (the caller may retry later), StorageError for anything else. A transaction body
 * can also abort with a domain error (e.g. Conflict) by throwing `Abort`.
 */
import { StorageError, StorageUnavailable } from "@portal/core/ports"

/** SQLSTATE classes and codes meaning "the server went away or is not there yet". */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "08007",
])
const UNAVAILABLE_NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
])
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /PGlite is closed/i,
]

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const code = (error as { code?: unknown }).code
  return typeof code === "string" ? code : undefined
}

export const isUnavailable = (error: unknown): boolean => {
  const code = codeOf(error)
  if (
    code !== undefined &&
    (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith("08") || UNAVAILABLE_NODE_CODES.has(code))
  )
    return true
  // AggregateError (e.g. ECONNREFUSED on ::1 and 127.0.0.1) carries the real causes.
  if (error instanceof AggregateError) return error.errors.some(isUnavailable)
  const message = error instanceof Error ? error.message : ""
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))
}

export const toStoreError = (method: string, cause: unknown): StorageError | StorageUnavailable =>
  isUnavailable(cause) ? new StorageUnavailable({ method, cause }) : new StorageError({ method, cause })

/** Thrown inside a transaction body to roll back and fail with a domain error instead. */
export class Abort<E> {
  constructor(readonly error: E) {}
}

/** SQLSTATE 23505: a unique constraint refused the row. */
export const isUniqueViolation = (error: unknown, constraint?: string): boolean =>
  codeOf(error) === "23505" &&
  (constraint === undefined || (error as { constraint?: unknown }).constraint === constraint)
