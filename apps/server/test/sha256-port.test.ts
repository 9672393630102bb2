/**
 * Session and link tokens are hashed through core's Sha256Hasher port (P-AUTH-6: the store keeps
 * only the hash): the server provides node:crypto, core falls back to its own JavaScript, and both
 * give the same hash, so sessions made by either are found by the other.
 */
import { createHash } from "node:crypto"
import { Sha256Hasher } from "@portal/core/ports"
import { sha256Hex } from "@portal/core/rules"
import { hashToken, tokenHash } from "@portal/core/usecases"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { layerSystemLive } from "../src/System.ts"

const TOKENS = ["", "abc", "x".repeat(1000), "セッション-🔑", "A-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"]

describe("the Sha256Hasher port (P-AUTH-6)", () => {
  it("is node:crypto in the server's layers and core's JavaScript without them, with equal hashes", () => {
    const hasher = Effect.gen(function* () {
      return yield* Sha256Hasher
    })
    const live = Effect.runSync(hasher.pipe(Effect.provide(layerSystemLive)))
    const fallback = Effect.runSync(hasher)
    expect(fallback.hex).toBe(sha256Hex)
    expect(live.hex).not.toBe(sha256Hex)
    for (const token of TOKENS) {
      const node = createHash("sha256").update(token, "utf8").digest("hex")
      expect(live.hex(token)).toBe(node)
      expect(Effect.runSync(hashToken(token).pipe(Effect.provide(layerSystemLive)))).toBe(node)
      expect(Effect.runSync(hashToken(token))).toBe(node)
      expect(tokenHash(token)).toBe(node)
    }
  })
})
