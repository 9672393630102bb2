import { PasswordHasher } from "@portal/core/ports"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { layerArgon2, makeArgon2Hasher, needsRehash } from "../src/index.ts"

const run = <A>(f: (h: PasswordHasher["Service"]) => Effect.Effect<A>) =>
  Effect.runPromise(PasswordHasher.use(f).pipe(Effect.provide(layerArgon2)))

describe("layerArgon2", () => {
  it("hashes with argon2id and the OWASP parameters, and verifies the password", async () => {
    const hashed = await run((h) => h.hash("correct horse battery staple"))
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(await run((h) => h.verify(hashed, "correct horse battery staple"))).toBe(true)
    expect(needsRehash(hashed)).toBe(false)
  })

  it("salts every hash", async () => {
    const [a, b] = await run((h) => Effect.all([h.hash("same"), h.hash("same")]))
    expect(a).not.toBe(b)
  })

  it("refuses a wrong password, including one that differs by case or a trailing space", async () => {
    const hashed = await run((h) => h.hash("Secret-Passw0rd"))
    for (const wrong of ["secret-passw0rd", "Secret-Passw0rd ", "", "Secret-Passw0r"]) {
      expect(await run((h) => h.verify(hashed, wrong))).toBe(false)
    }
  })

  it("answers false, never fails, on a malformed or foreign hash", async () => {
    const hashed = await run((h) => h.hash("pw"))
    const malformed = [
      "",
      "not a hash",
      "$argon2id$v=19$m=47104,t=1,p=1$",
      `${hashed.slice(0, -5)}@@@@@`,
      "$2b$10$abcdefghijklmnopqrstuuMIy7gn1Ytv8Tdbdc8AKcSmIFKwYQvKW", // bcrypt
      hashed.replace("m=47104", "m=99999999999"),
    ]
    for (const h of malformed) {
      expect(await run((x) => x.verify(h, "pw"))).toBe(false)
    }
  })

  it("verifies a hash made with other parameters and flags it for re-hashing", async () => {
    const weak = await Effect.runPromise(
      makeArgon2Hasher({ memoryCost: 19_456, timeCost: 2, parallelism: 1 }).hash("pw"),
    )
    expect(weak).toContain("m=19456,t=2,p=1")
    expect(await run((h) => h.verify(weak, "pw"))).toBe(true)
    expect(needsRehash(weak)).toBe(true)
    expect(needsRehash("garbage")).toBe(true)
  })
})
