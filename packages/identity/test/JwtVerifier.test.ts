import { createHmac, generateKeyPairSync } from "node:crypto"
import type { JwtConfig } from "@portal/core/domain"
import { Effect, Exit } from "effect"
import { type CryptoKey, exportSPKI, generateKeyPair, SignJWT } from "jose"
import { beforeAll, describe, expect, it } from "vitest"
import { type ClaimOnce, type SsoIdentity, type SsoRejectReason, verifyPortalJwt } from "../src/index.ts"

const NOW = new Date("2026-10-01T09:00:00Z")
const nowS = Math.floor(NOW.getTime() / 1000)
const SECRET = "a-portal-only-secret-of-at-least-32-bytes!"
const hsConfig: JwtConfig = { algorithm: "HS256", secret: SECRET }

const memoryClaims = () => {
  const seen = new Map<string, string>()
  return {
    seen,
    claimOnce: async (key: string, expiresAt: string) => {
      if (seen.has(key)) return false
      seen.set(key, expiresAt)
      return true
    },
  }
}

let jtiCounter = 0
const claims = (over: Record<string, unknown> = {}) => ({
  email: "Ken@Globex.test",
  name: "Ken Ito",
  sub: "user-42",
  jti: `jti-${++jtiCounter}`,
  iat: nowS,
  exp: nowS + 300,
  ...over,
})

const sign = (key: Uint8Array | CryptoKey, alg: string, body: Record<string, unknown>) =>
  new SignJWT(body as never).setProtectedHeader({ alg }).sign(key)

const verify = async (token: string, config: JwtConfig, claimOnce: ClaimOnce = memoryClaims().claimOnce) =>
  Effect.runPromiseExit(verifyPortalJwt(token, config, { now: NOW, claimOnce }))

const expectIdentity = (exit: Exit.Exit<SsoIdentity, unknown>): SsoIdentity => {
  if (Exit.isFailure(exit)) throw new Error(`expected success, got ${JSON.stringify(exit.cause)}`)
  return exit.value
}
const expectRejected = (exit: Exit.Exit<unknown, { reason: SsoRejectReason }>, reason: SsoRejectReason) => {
  expect(Exit.isFailure(exit)).toBe(true)
  if (Exit.isFailure(exit)) {
    expect(JSON.stringify(exit.cause)).toContain(`"reason":"${reason}"`)
  }
}

const secretBytes = new TextEncoder().encode(SECRET)
let rsa: { privateKey: CryptoKey; pem: string }
let ec: { privateKey: CryptoKey; pem: string }

beforeAll(async () => {
  const r = await generateKeyPair("RS256", { extractable: true })
  rsa = { privateKey: r.privateKey, pem: await exportSPKI(r.publicKey) }
  const e = await generateKeyPair("ES256", { extractable: true })
  ec = { privateKey: e.privateKey, pem: await exportSPKI(e.publicKey) }
})

describe("verifyPortalJwt: valid tokens", () => {
  it("accepts HS256 and returns the identity with a lower-cased email", async () => {
    const c = memoryClaims()
    const body = claims()
    const id = expectIdentity(await verify(await sign(secretBytes, "HS256", body), hsConfig, c.claimOnce))
    expect(id).toEqual({
      protocol: "jwt",
      email: "ken@globex.test",
      name: "Ken Ito",
      subjectId: "user-42",
      tokenId: body.jti,
      expiresAt: new Date((nowS + 300) * 1000).toISOString(),
    })
    expect([...c.seen.keys()]).toEqual([body.jti])
  })

  it("accepts RS256 and ES256 with the configured public key", async () => {
    const rs = await verify(await sign(rsa.privateKey, "RS256", claims()), {
      algorithm: "RS256",
      publicKeyPem: rsa.pem,
    })
    expect(expectIdentity(rs).email).toBe("ken@globex.test")
    const es = await verify(await sign(ec.privateKey, "ES256", claims()), { algorithm: "ES256", publicKeyPem: ec.pem })
    expect(expectIdentity(es).email).toBe("ken@globex.test")
  })

  it("tolerates 30 s of clock skew on exp, not more", async () => {
    expectIdentity(await verify(await sign(secretBytes, "HS256", claims({ exp: nowS - 20 })), hsConfig))
    expectRejected(await verify(await sign(secretBytes, "HS256", claims({ exp: nowS - 40 })), hsConfig), "expired")
  })
})

describe("verifyPortalJwt: refusals", () => {
  it("refuses a token signed with another key", async () => {
    const other = new TextEncoder().encode("another-secret-another-secret-another")
    expectRejected(await verify(await sign(other, "HS256", claims()), hsConfig), "badSignature")
    const { privateKey } = await generateKeyPair("RS256")
    expectRejected(
      await verify(await sign(privateKey, "RS256", claims()), { algorithm: "RS256", publicKeyPem: rsa.pem }),
      "badSignature",
    )
  })

  it("refuses alg none", async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url")
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`
    expectRejected(await verify(unsigned, hsConfig), "badSignature")
    expectRejected(await verify(unsigned, { algorithm: "RS256", publicKeyPem: rsa.pem }), "badSignature")
  })

  it("refuses algorithm confusion: HS256 signed with the configured RS256 public key PEM", async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url")
    const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims())}`
    const mac = createHmac("sha256", rsa.pem).update(input).digest("base64url")
    expectRejected(await verify(`${input}.${mac}`, { algorithm: "RS256", publicKeyPem: rsa.pem }), "badSignature")
  })

  it("refuses a token of another algorithm than the configured one (RS256 token, ES256 config)", async () => {
    const token = await sign(rsa.privateKey, "RS256", claims())
    expectRejected(await verify(token, { algorithm: "ES256", publicKeyPem: ec.pem }), "badSignature")
  })

  it("refuses an expired token, a token not yet valid, and one that lives too long", async () => {
    expectRejected(await verify(await sign(secretBytes, "HS256", claims({ exp: nowS - 3600 })), hsConfig), "expired")
    expectRejected(await verify(await sign(secretBytes, "HS256", claims({ nbf: nowS + 600 })), hsConfig), "notYetValid")
    expectRejected(await verify(await sign(secretBytes, "HS256", claims({ exp: nowS + 86_400 })), hsConfig), "invalid")
  })

  it("refuses a token without exp, without email, with a non-email, or without jti", async () => {
    const { exp: _e, ...noExp } = claims()
    expectRejected(await verify(await sign(secretBytes, "HS256", noExp), hsConfig), "missingClaim")
    const { email: _m, ...noEmail } = claims()
    expectRejected(await verify(await sign(secretBytes, "HS256", noEmail), hsConfig), "missingClaim")
    expectRejected(
      await verify(await sign(secretBytes, "HS256", claims({ email: "not-an-email" })), hsConfig),
      "missingClaim",
    )
    const { jti: _j, ...noJti } = claims()
    expectRejected(await verify(await sign(secretBytes, "HS256", noJti), hsConfig), "missingClaim")
  })

  it("refuses a replayed jti, and fails closed when the single-use store fails", async () => {
    const c = memoryClaims()
    const token = await sign(secretBytes, "HS256", claims())
    expectIdentity(await verify(token, hsConfig, c.claimOnce))
    expectRejected(await verify(token, hsConfig, c.claimOnce), "replayed")
    const broken = async () => {
      throw new Error("store down")
    }
    expectRejected(await verify(await sign(secretBytes, "HS256", claims()), hsConfig, broken), "unavailable")
    const effectClaim = () => Effect.succeed(false)
    expectRejected(await verify(await sign(secretBytes, "HS256", claims()), hsConfig, effectClaim), "replayed")
  })

  it("refuses garbage and an unreadable configured key", async () => {
    expectRejected(await verify("not.a.jwt", hsConfig), "malformed")
    expectRejected(await verify("", hsConfig), "malformed")
    const token = await sign(rsa.privateKey, "RS256", claims())
    expectRejected(
      await verify(token, { algorithm: "RS256", publicKeyPem: "-----BEGIN PUBLIC KEY-----\nxx" }),
      "invalid",
    )
    // An RSA key configured as ES256 never verifies anything.
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString()
    expectRejected(
      await verify(await sign(ec.privateKey, "ES256", claims()), { algorithm: "ES256", publicKeyPem: pem }),
      "badSignature",
    )
  })
})
