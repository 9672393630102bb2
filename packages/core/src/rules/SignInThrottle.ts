/**
 * How password sign-ins are throttled (P-SEC-4, P-SEC-8), for customers and agents alike:
 * - Only failures count. A failed attempt counts against its (account, client address) pair and
 *   against its client address; past either limit the attempt is refused (TooManyAttempts) before
 *   any lookup, for unknown emails too. A successful sign-in takes its hits back, so a rightful
 *   owner signing in again and again is never refused.
 * - The account's failures from every address never refuse anyone: they only slow each attempt
 *   on that account down (a delay that doubles past a few free failures, capped at a few
 *   seconds), waited before the password is checked, whatever the outcome, so the delay reveals
 *   nothing about the password. So ten wrong passwords for an email from one address leave the
 *   right password working from another address, a little slower.
 * - The client address is the socket's, or what the trusted proxies say (TRUST_PROXY). An IPv6
 *   address counts by its /64 network (one host usually has a whole /64 to rotate through), and
 *   an IPv4-mapped IPv6 address as its IPv4 address.
 */

export interface FailureLimit {
  /** Failures allowed in one window; the next attempt is refused until the window ends. */
  readonly limit: number
  readonly windowSeconds: number
}

export interface SlowDown {
  readonly windowSeconds: number
  /** Failures of the account (from any address) that cost no delay. */
  readonly freeFailures: number
  /** The delay after the free failures; it doubles with each further failure... */
  readonly firstDelayMs: number
  /** ...up to this. */
  readonly maxDelayMs: number
}

export interface SignInThrottlePolicy {
  readonly perAccountAndAddress: FailureLimit
  readonly perAddress: FailureLimit
  readonly perAccount: SlowDown
}

export const defaultSignInThrottle: SignInThrottlePolicy = {
  perAccountAndAddress: { limit: 10, windowSeconds: 15 * 60 },
  perAddress: { limit: 100, windowSeconds: 15 * 60 },
  perAccount: { windowSeconds: 15 * 60, freeFailures: 5, firstDelayMs: 500, maxDelayMs: 3000 },
}

/** The wait before checking a password, given the account's failures so far in the window. */
export const signInDelayMs = (failures: number, slow: SlowDown): number => {
  const over = failures - slow.freeFailures
  if (over < 0 || slow.firstDelayMs <= 0) return 0
  return Math.min(slow.maxDelayMs, slow.firstDelayMs * 2 ** Math.min(over, 30))
}

/** What a client address counts as: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64. */
export const clientAddressKey = (address: string): string => {
  const a = address.trim().toLowerCase()
  const mapped = /^(?:::ffff:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a)
  if (mapped?.[1] !== undefined) return mapped[1]
  if (!a.includes(":")) return a.length > 0 ? a : "unknown"
  const [head = "", tail] = a.replace(/%.*$/, "").split("::", 2)
  const left = head === "" ? [] : head.split(":")
  const right = tail === undefined || tail === "" ? [] : tail.split(":")
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => "0"), ...right]
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`
}
