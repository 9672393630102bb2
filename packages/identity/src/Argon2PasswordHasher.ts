/**
 * core's `PasswordHasher` port over argon2id (@node-rs/argon2; the `argon2` package's prebuilds
 * crash on this platform, DESIGN.md).
 *
 * Parameters are OWASP's first argon2id recommendation (ASVS 5 / Password Storage Cheat Sheet):
 * m = 47104 KiB (46 MiB), t = 1, p = 1. They are encoded in every hash (`$argon2id$v=19$m=…,t=…,p=…$…`),
 * so a later change of policy still verifies old hashes; `needsRehash` tells the caller when to
 * re-hash a password it has just verified.
 */
import { type Algorithm, hash, parseOptions, verify } from "@node-rs/argon2"
import { PasswordHasher } from "@portal/core/ports"
import { Effect, Layer } from "effect"

/** `Algorithm.Argon2id`; the enum is `const` in an ambient module, unusable under isolatedModules. */
const ARGON2ID = 2 as Algorithm

export interface Argon2Params {
  /** KiB */
  readonly memoryCost: number
  readonly timeCost: number
  readonly parallelism: number
}

export const OWASP_ARGON2ID: Argon2Params = { memoryCost: 47_104, timeCost: 1, parallelism: 1 }

export const makeArgon2Hasher = (params: Argon2Params = OWASP_ARGON2ID) => {
  const options = { algorithm: ARGON2ID, ...params, outputLen: 32 }
  return PasswordHasher.of({
    // Argon2 pre-hashes the input with BLAKE2b, so a long password costs little more; the HTTP
    // layer's body limit bounds it.
    hash: (password) => Effect.promise(() => hash(password, options)),
    // Never fails: a malformed or foreign hash string simply does not match.
    verify: (hashed, password) =>
      !hashed.startsWith("$argon2")
        ? Effect.succeed(false)
        : Effect.promise(() => verify(hashed, password).catch(() => false)),
  })
}

/** The `PasswordHasher` layer used in production. */
export const layerArgon2: Layer.Layer<PasswordHasher> = Layer.succeed(PasswordHasher, makeArgon2Hasher())

/** true when `hashed` is not argon2id with at least `params` (or cannot be parsed). */
export const needsRehash = (hashed: string, params: Argon2Params = OWASP_ARGON2ID): boolean => {
  try {
    const o = parseOptions(hashed)
    return (
      o.algorithm !== ARGON2ID ||
      o.memoryCost < params.memoryCost ||
      o.timeCost < params.timeCost ||
      o.parallelism < params.parallelism
    )
  } catch {
    return true
  }
}
