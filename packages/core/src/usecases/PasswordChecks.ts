/**
 * What every password sign-in (contacts and agents) does the same way, so that nobody can learn
 * from the answers or their timing whether an email has an account:
 * - the throttle of rules/SignInThrottle.ts (P-SEC-4), before any lookup, for unknown emails too:
 *   the attempt counts against (account, client address) and the client address, refused past
 *   either limit; it waits the delay the account's failures from every address call for; a
 *   success takes its hits back (`succeeded`), so only failures count. The limits and delays come
 *   from `SignInThrottle` (defaults in the rule; the server's ApiConfig sets them);
 * - exactly one password verification whatever the case: with no stored hash (unknown email, no
 *   password set) the password is verified against a dummy hash made once by the same hasher,
 *   so it costs as much as a wrong password, and the answer is false.
 */
import { Context, Duration, Effect } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import { TooManyAttempts } from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import { Clock, PasswordHasher } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"
import {
  clientAddressKey,
  defaultSignInThrottle,
  type SignInThrottlePolicy,
  signInDelayMs,
} from "../rules/SignInThrottle.ts"

/** The throttle's limits and delays (P-SEC-4); the defaults unless the host provides others. */
export const SignInThrottle = Context.Reference<SignInThrottlePolicy>("@portal/core/SignInThrottle", {
  defaultValue: () => defaultSignInThrottle,
})

type Hasher = PasswordHasher["Service"]
const dummyHashes = new WeakMap<Hasher, string>()

/** A hash of a fixed throwaway password, made once per hasher (so with the same cost settings). */
const dummyHash = (hasher: Hasher): Effect.Effect<string> =>
  Effect.suspend(() => {
    const known = dummyHashes.get(hasher)
    if (known !== undefined) return Effect.succeed(known)
    return Effect.tap(hasher.hash("portal-dummy-password-for-timing"), (hash) =>
      Effect.sync(() => dummyHashes.set(hasher, hash)),
    )
  })

/** Does the password match the stored hash? false, after the same work, when there is none. */
export const verifyStoredPassword = (
  storedHash: string | null,
  password: string,
): Effect.Effect<boolean, never, PasswordHasher> =>
  Effect.gen(function* () {
    const hasher = yield* PasswordHasher
    const ok = yield* hasher.verify(storedHash ?? (yield* dummyHash(hasher)), password)
    return storedHash !== null && ok
  })

/** One password sign-in attempt, as the throttle sees it. */
export interface SignInAttempt {
  /** "contact" or "agent": their attempts count apart. */
  readonly scope: "contact" | "agent"
  readonly workspaceId: WorkspaceId
  /** The email as typed; it is normalized here. */
  readonly email: string
  /** The client address (socket, or trusted proxy). */
  readonly clientAddress: string
}

export interface AdmittedAttempt {
  /** The password was right: take this attempt's hits back (successes do not count). */
  readonly succeeded: Effect.Effect<void, StoreError>
}

/**
 * P-SEC-4: count the attempt as a failure until it succeeds; refuse it (TooManyAttempts) past the
 * limit of its client address or of its (account, client address) pair; then wait the delay the
 * account's failures from every address call for. The same for known and unknown emails.
 */
export const admitSignInAttempt = (
  attempt: SignInAttempt,
): Effect.Effect<AdmittedAttempt, TooManyAttempts | StoreError, SecurityStore | Clock> =>
  Effect.gen(function* () {
    const policy = yield* SignInThrottle
    const store = yield* SecurityStore
    const now = yield* (yield* Clock).now()
    const address = clientAddressKey(attempt.clientAddress)
    const account = `${attempt.scope}:${attempt.workspaceId}:${attempt.email.trim().toLowerCase()}`
    const perAddress = `signin-address:${address}`
    const perPair = `signin:${account}:${address}`
    const perAccount = `signin-account:${account}`
    const counted: Array<readonly [string, number]> = []
    for (const [key, limit] of [
      [perAddress, policy.perAddress],
      [perPair, policy.perAccountAndAddress],
    ] as const) {
      const rate = yield* store.hitRateLimit(key, limit.windowSeconds, limit.limit, now)
      if (!rate.allowed) return yield* new TooManyAttempts({ retryAfterSeconds: rate.retryAfterSeconds })
      counted.push([key, limit.windowSeconds])
    }
    const slow = policy.perAccount
    const failures = yield* store.hitRateLimit(perAccount, slow.windowSeconds, Number.MAX_SAFE_INTEGER, now)
    counted.push([perAccount, slow.windowSeconds])
    const delay = signInDelayMs(failures.count - 1, slow)
    if (delay > 0) yield* Effect.sleep(Duration.millis(delay))
    return {
      succeeded: Effect.forEach(counted, ([key, windowSeconds]) => store.undoRateLimitHit(key, windowSeconds, now), {
        discard: true,
      }),
    }
  })
