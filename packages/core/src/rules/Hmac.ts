/**
 * HMAC-SHA256 (RFC 2104) over core's own SHA-256 (Sha256.ts), synchronous and pure, and a
 * constant-time comparison of two MACs. Why not node:crypto / WebCrypto: `@portal/core` imports
 * nothing but `effect`, and the rules that sign (the reply address of P-NOT-5) must stay pure,
 * synchronous functions of their inputs. Tested against node:crypto and RFC 4231's vectors.
 */
import { sha256 } from "./Sha256.ts"

const BLOCK = 64
const utf8 = new TextEncoder()

const bytesOf = (value: Uint8Array | string): Uint8Array => (typeof value === "string" ? utf8.encode(value) : value)

/** HMAC-SHA256 of `message` under `key` (strings are taken as UTF-8). 32 bytes. */
export const hmacSha256 = (key: Uint8Array | string, message: Uint8Array | string): Uint8Array => {
  let k = bytesOf(key)
  if (k.length > BLOCK) k = sha256(k)
  const inner = new Uint8Array(BLOCK)
  const outer = new Uint8Array(BLOCK)
  for (let i = 0; i < BLOCK; i++) {
    const b = k[i] ?? 0
    inner[i] = b ^ 0x36
    outer[i] = b ^ 0x5c
  }
  const m = bytesOf(message)
  const innerInput = new Uint8Array(BLOCK + m.length)
  innerInput.set(inner)
  innerInput.set(m, BLOCK)
  const innerHash = sha256(innerInput)
  const outerInput = new Uint8Array(BLOCK + innerHash.length)
  outerInput.set(outer)
  outerInput.set(innerHash, BLOCK)
  return sha256(outerInput)
}

/**
 * Whether two byte strings are equal, in time that depends only on their lengths (which are
 * public: a MAC's length is fixed by the format), never on where they first differ.
 */
export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
