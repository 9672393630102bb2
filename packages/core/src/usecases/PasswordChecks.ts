/**
 * What every password sign-in (contacts and agents) does the same way, so that nobody can learn
 * from the answers or their timing whether an email has an account:
 * - attempts are counted per key (workspace and email) before any lookup; past the limit,
 *   TooManyAttempts, for unknown emails too;
 * - exactly one password verification whatever the case: with no stored hash (unknown email, no
 *   password set) the password is verified against a dummy hash made once by the same hasher,
 *   so it costs as much as a wrong password, and the answer is false.
 */
import { Effect } from "effect"
import { TooManyAttempts } from "../ports/Errors.ts"
import { SecurityStore } from "../ports/SecurityStore.ts"
import { Clock, PasswordHasher } from "../ports/System.ts"
import type { StoreError } from "../ports/WorkspaceStore.ts"

export const SIGN_IN_WINDOW_SECONDS = 15 * 60
export const SIGN_IN_ATTEMPTS_PER_WINDOW = 10

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

/** Count one sign-in attempt of `key` in the current window; TooManyAttempts past the limit. */
export const countSignInAttempt = (
  key: string,
): Effect.Effect<void, TooManyAttempts | StoreError, SecurityStore | Clock> =>
  Effect.gen(function* () {
    const now = yield* (yield* Clock).now()
    const rate = yield* (yield* SecurityStore).hitRateLimit(
      key,
      SIGN_IN_WINDOW_SECONDS,
      SIGN_IN_ATTEMPTS_PER_WINDOW,
      now,
    )
    if (!rate.allowed) return yield* new TooManyAttempts({ retryAfterSeconds: rate.retryAfterSeconds })
  })
