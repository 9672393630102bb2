/**
 * Secret tokens for sessions, invitations and password resets.
 * - A token is 32 random bytes (256 bits) from the platform's CSPRNG, base64url-encoded: it goes
 *   in a cookie or a link and cannot be guessed.
 * - Stores keep only `tokenHash(token)` (SHA-256, hex): a leaked database row cannot be replayed
 *   as a session or a link. SHA-256 without salt is right here because the token is already
 *   high-entropy; passwords, which are not, go through PasswordHasher instead.
 * `globalThis.crypto` is the Web Crypto object Node 20 and browsers provide; core imports no `node:`.
 */
import { Effect } from "effect"
import { type IsoTime, timeMs } from "../domain/Ids.ts"
import { Sha256Hasher } from "../ports/System.ts"
import { sha256Hex } from "../rules/Sha256.ts"

export const TOKEN_BYTES = 32

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/** Bytes as unpadded base64url (RFC 4648 §5). */
export const base64url = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2
    for (let c = 0; c < chars; c++) out += BASE64URL[(n >>> (18 - 6 * c)) & 63]
  }
  return out
}

/** A fresh unguessable token. */
export const randomToken: Effect.Effect<string> = Effect.sync(() => {
  const bytes = new Uint8Array(TOKEN_BYTES)
  globalThis.crypto.getRandomValues(bytes)
  return base64url(bytes)
})

/** What the stores keep instead of the token, computed by core's own SHA-256 (tests, pure code). */
export const tokenHash = (token: string): string => sha256Hex(token)

/** What the stores keep instead of the token, through the platform's SHA-256 (the Sha256Hasher port): use-cases use this. */
export const hashToken = (token: string): Effect.Effect<string> =>
  Effect.gen(function* () {
    return (yield* Sha256Hasher).hex(token)
  })

/** An instant `ms` milliseconds after `time`, as an IsoTime in UTC. */
export const addMs = (time: IsoTime, ms: number): IsoTime => new Date(timeMs(time) + ms).toISOString()
