/**
 * Short-lived state that travels with the browser between the start of an SSO sign-in and its
 * end (the OIDC cookie, the SAML RelayState): JSON, base64url, and an HMAC-SHA256 with the
 * server's secret (PORTAL_SECRET; every node must share it). Expired, altered or foreign state
 * reads as null. Nothing secret goes in it except what only this browser needs (PKCE verifier).
 */
import { createHmac, timingSafeEqual } from "node:crypto"

const mac = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest("base64url")

export const sealState = (
  secret: string,
  purpose: string,
  value: Record<string, unknown>,
  ttlSeconds: number,
): string => {
  const payload = Buffer.from(JSON.stringify({ p: purpose, exp: Date.now() + ttlSeconds * 1000, v: value })).toString(
    "base64url",
  )
  return `${payload}.${mac(secret, payload)}`
}

export const openState = (
  secret: string,
  purpose: string,
  sealed: string | undefined,
): Record<string, unknown> | null => {
  if (sealed === undefined || sealed.length > 8192) return null
  const dot = sealed.indexOf(".")
  if (dot <= 0) return null
  const payload = sealed.slice(0, dot)
  const given = Buffer.from(sealed.slice(dot + 1))
  const expected = Buffer.from(mac(secret, payload))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  try {
    const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      p?: unknown
      exp?: unknown
      v?: unknown
    }
    if (parsed.p !== purpose || typeof parsed.exp !== "number" || parsed.exp < Date.now()) return null
    return typeof parsed.v === "object" && parsed.v !== null ? (parsed.v as Record<string, unknown>) : null
  } catch {
    return null
  }
}
