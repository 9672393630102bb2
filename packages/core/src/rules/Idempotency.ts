/**
 * P-SEC-3 Idempotency keys are scoped to (workspace, caller, operation): the same key sent by
 * another customer, by an integration, or for another operation (a reply and a form submission)
 * is another key. Reusing a key in its scope with another payload is refused (409
 * `idempotency_key_reused`); only the same request again gets the first result back, so nobody
 * ever receives the result of someone else's request.
 * - The scope is "<caller>/<operation>": `contact:<id>/reply`, `contact:<id>/form.submit`,
 *   `agent:<id>/reply`, `integration/tickets.upsert`.
 * - The fingerprint is the SHA-256 of the payload in canonical JSON (object keys sorted, bytes
 *   as their own SHA-256), so the same request always has the same fingerprint.
 * The store keeps (workspace, scope, key) → (fingerprint, first result) and decides atomically.
 */
import { sha256, sha256Hex } from "./Sha256.ts"

/** The Conflict reason (and the API's code) of a key reused with another payload. */
export const IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"

/** A client's key, claimed by one caller for one operation, with its request's fingerprint. */
export interface IdempotencyClaim {
  /** "<caller>/<operation>", e.g. "contact:p1/reply". */
  readonly scope: string
  readonly key: string
  /** Hex SHA-256 of the request's payload in canonical JSON. */
  readonly fingerprint: string
}

export type IdempotencyCaller =
  | { readonly type: "contact"; readonly id: string }
  | { readonly type: "agent"; readonly id: string }
  | { readonly type: "integration" }

export type IdempotentOperation = "reply" | "form.submit" | "tickets.upsert" | "note"

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/** JSON with sorted object keys; byte arrays as `{ sha256 }`; undefined members left out. */
export const canonicalJson = (value: unknown): string => {
  if (value instanceof Uint8Array) return JSON.stringify({ sha256: hex(sha256(value)) })
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

export const scopeOf = (caller: IdempotencyCaller, operation: IdempotentOperation): string =>
  `${caller.type === "integration" ? "integration" : `${caller.type}:${caller.id}`}/${operation}`

/** The claim of `key` by `caller` for `operation` with this payload. */
export const idempotencyClaim = (
  caller: IdempotencyCaller,
  operation: IdempotentOperation,
  key: string,
  payload: unknown,
): IdempotencyClaim => ({ scope: scopeOf(caller, operation), key, fingerprint: sha256Hex(canonicalJson(payload)) })
