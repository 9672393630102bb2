/**
 * P-NOT-5 The address a customer answers a notification at: `reply+<token>@<reply domain>`.
 * - The token names the workspace, the ticket and the contact the notification was for, and carries
 *   an HMAC-SHA256 of the three under the server's secret (PORTAL_SECRET), truncated to 80 bits:
 *   nobody without the secret can make a token for another ticket or contact, and a token made for
 *   one contact verifies for no other. Nothing is stored: the address is a pure function of the
 *   three ids and the secret, so every notification about a ticket to a contact names the same one.
 * - The encoding is RFC 4648 base32 in lower case (a-z, 2-7), since MTAs and mail clients may change
 *   the case of a local part: parsing lower-cases first. Payload: each id as its UTF-8 length
 *   (LEB128) and bytes, in the order workspace, ticket, contact; then the 10-byte MAC. Base32 with
 *   non-zero padding bits is refused, so one token has one spelling and any changed character fails.
 * - Parsing never throws and compares the MAC in constant time (Hmac.ts); anything that is not a
 *   well-formed token signed by this secret is null. Whether the contact may still see the ticket,
 *   and whether the sender is that contact, are the inbound use-case's checks, not this rule's.
 * - The local part is 6 + ceil(8·(bytes + 10)/5) characters: 40 for the demo's ids ("acme", "t1",
 *   "p1"). RFC 5321 caps a local part at 64 octets; ids totalling up to about 20 bytes stay under it,
 *   longer ones still work with the common MTAs (Postfix, Exim), which do not enforce that cap.
 */
import type { ContactId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import { constantTimeEqual, hmacSha256 } from "./Hmac.ts"

export const REPLY_LOCAL_PREFIX = "reply+"
/** The MAC's length in bytes (80 bits: an online guess at SMTP speed never lands). */
export const REPLY_MAC_BYTES = 10
/** Tokens longer than this are refused before decoding (three ids of 255 characters fit). */
export const REPLY_TOKEN_MAX_LENGTH = 2000
const ID_MAX_BYTES = 255 * 4
const CONTEXT = "portal/reply-address/v1\u0000"

export interface ReplyAddressTarget {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly contactId: ContactId
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
const utf8 = new TextEncoder()
const utf8Strict = new TextDecoder("utf-8", { fatal: true })

/** RFC 4648 base32, lower case, without padding. */
export const base32Encode = (bytes: Uint8Array): string => {
  let out = ""
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

/** The bytes of lower-case unpadded base32; null for any other character, length or non-zero padding. */
export const base32Decode = (text: string): Uint8Array | null => {
  const rem = text.length % 8
  if (rem === 1 || rem === 3 || rem === 6) return null
  const out = new Uint8Array(Math.floor((text.length * 5) / 8))
  let buffer = 0
  let bits = 0
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const v = ALPHABET.indexOf(text[i] as string)
    if (v < 0) return null
    buffer = ((buffer << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      out[n++] = (buffer >>> (bits - 8)) & 0xff
      bits -= 8
    }
  }
  // The leftover bits are padding: canonical base32 leaves them zero.
  if ((buffer & ((1 << bits) - 1)) !== 0) return null
  return out
}

const pushLength = (out: Array<number>, n: number) => {
  let v = n
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v >>>= 7
  }
  out.push(v)
}

const payloadOf = (target: ReplyAddressTarget): Uint8Array => {
  const out: Array<number> = []
  for (const id of [target.workspaceId, target.ticketId, target.contactId]) {
    const bytes = utf8.encode(id)
    pushLength(out, bytes.length)
    out.push(...bytes)
  }
  return Uint8Array.from(out)
}

const macOf = (secret: string, payload: Uint8Array): Uint8Array => {
  const context = utf8.encode(CONTEXT)
  const message = new Uint8Array(context.length + payload.length)
  message.set(context)
  message.set(payload, context.length)
  return hmacSha256(secret, message).subarray(0, REPLY_MAC_BYTES)
}

/** The token for a (workspace, ticket, contact) under the secret. */
export const replyToken = (secret: string, target: ReplyAddressTarget): string => {
  const payload = payloadOf(target)
  const mac = macOf(secret, payload)
  const all = new Uint8Array(payload.length + mac.length)
  all.set(payload)
  all.set(mac, payload.length)
  return base32Encode(all)
}

/** The reply address a notification names in Reply-To (the domain lower-cased). */
export const replyAddress = (secret: string, target: ReplyAddressTarget, replyDomain: string): string =>
  `${REPLY_LOCAL_PREFIX}${replyToken(secret, target)}@${replyDomain.trim().toLowerCase()}`

/** Three length-prefixed UTF-8 ids, exactly filling the payload; null otherwise. */
const idsOf = (payload: Uint8Array): [string, string, string] | null => {
  const ids: Array<string> = []
  let at = 0
  for (let k = 0; k < 3; k++) {
    let length = 0
    let shift = 0
    for (;;) {
      if (at >= payload.length || shift > 14) return null
      const b = payload[at++] as number
      length |= (b & 0x7f) << shift
      shift += 7
      if ((b & 0x80) === 0) break
    }
    if (length === 0 || length > ID_MAX_BYTES || at + length > payload.length) return null
    try {
      ids.push(utf8Strict.decode(payload.subarray(at, at + length)))
    } catch {
      return null
    }
    at += length
  }
  return at === payload.length ? (ids as [string, string, string]) : null
}

/** The (workspace, ticket, contact) a token was made for, if this secret signed it; else null. */
export const verifyReplyToken = (secret: string, token: string): ReplyAddressTarget | null => {
  if (token.length === 0 || token.length > REPLY_TOKEN_MAX_LENGTH) return null
  const bytes = base32Decode(token.toLowerCase())
  if (bytes === null || bytes.length <= REPLY_MAC_BYTES) return null
  const payload = bytes.subarray(0, bytes.length - REPLY_MAC_BYTES)
  const mac = bytes.subarray(bytes.length - REPLY_MAC_BYTES)
  if (!constantTimeEqual(mac, macOf(secret, payload))) return null
  const ids = idsOf(payload)
  if (ids === null) return null
  const [workspaceId, ticketId, contactId] = ids
  return {
    workspaceId: workspaceId as WorkspaceId,
    ticketId: ticketId as TicketId,
    contactId: contactId as ContactId,
  }
}

/**
 * An address split into its token and domain when its local part is `reply+<token>` (any case, angle
 * brackets allowed); null otherwise. This checks the form only: verify the token with verifyReplyToken.
 */
export const replyAddressParts = (address: string): { readonly token: string; readonly domain: string } | null => {
  let a = address.trim()
  if (a.startsWith("<") && a.endsWith(">")) a = a.slice(1, -1)
  const at = a.lastIndexOf("@")
  if (at <= 0) return null
  const local = a.slice(0, at).toLowerCase()
  const domain = a.slice(at + 1).toLowerCase()
  if (!local.startsWith(REPLY_LOCAL_PREFIX) || domain.length === 0) return null
  return { token: local.slice(REPLY_LOCAL_PREFIX.length), domain }
}

/** P-NOT-5 The target and domain of a reply address signed by this secret; null for anything else. */
export const parseReplyAddress = (
  secret: string,
  address: string,
): (ReplyAddressTarget & { readonly domain: string }) | null => {
  const parts = replyAddressParts(address)
  if (parts === null) return null
  const target = verifyReplyToken(secret, parts.token)
  return target === null ? null : { ...target, domain: parts.domain }
}
