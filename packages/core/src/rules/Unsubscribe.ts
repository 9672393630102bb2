/**
 * P-NOT-3: the one-click unsubscribe link of every notification. Its token names the workspace
 * and the contact and carries an HMAC-SHA256 of both under the server secret (PORTAL_SECRET), so
 * it works without signing in and cannot be made for another contact. It never expires: an old
 * email's link still unsubscribes (RFC 8058 asks for that).
 * Token: base64url(JSON [workspaceId, contactId]) "." 32 hex digits of the MAC (128 bits).
 */
import type { ContactId, WorkspaceId } from "../domain/Ids.ts"
import { hmacSha256 } from "./Hmac.ts"

const encoder = new TextEncoder()
const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/** HMAC-SHA256 (Hmac.ts) as lowercase hex. */
export const hmacSha256Hex = (key: string, message: string): string => toHex(hmacSha256(key, message))

/** Compares two strings in time that depends only on their lengths. */
const sameText = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

const base64url = (text: string): string => {
  const bytes = encoder.encode(text)
  let bin = ""
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const fromBase64url = (text: string): string | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"))
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))
  } catch {
    return null
  }
}

const MAC_HEX = 32
const macOf = (secret: string, payload: string) => hmacSha256Hex(`unsubscribe\n${secret}`, payload).slice(0, MAC_HEX)

export const unsubscribeToken = (secret: string, workspaceId: WorkspaceId, contactId: ContactId): string => {
  const payload = base64url(JSON.stringify([workspaceId, contactId]))
  return `${payload}.${macOf(secret, payload)}`
}

/** The (workspace, contact) a token names, or null for anything forged, changed or malformed. */
export const verifyUnsubscribeToken = (
  secret: string,
  token: string,
): { readonly workspaceId: WorkspaceId; readonly contactId: ContactId } | null => {
  if (token.length > 1000) return null
  const dot = token.lastIndexOf(".")
  if (dot <= 0) return null
  const payload = token.slice(0, dot)
  if (!sameText(token.slice(dot + 1), macOf(secret, payload))) return null
  const json = fromBase64url(payload)
  if (json === null) return null
  try {
    const value: unknown = JSON.parse(json)
    if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "string" && v !== ""))
      return null
    return { workspaceId: value[0] as WorkspaceId, contactId: value[1] as ContactId }
  } catch {
    return null
  }
}
