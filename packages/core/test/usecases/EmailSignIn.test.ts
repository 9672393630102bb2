/**
 * P-EXT-6 sign-in by emailed link, over the core's stub world: the setting, the single-use
 * 15-minute link (hashed, on the configured origin, with a safe `next`), the same answer and the
 * same store work for every email (P-SEC-8), the rate limit, and the other links it ends (P-SEC-5).
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { ContactStore, MailQueue, SecurityStore } from "../../src/ports/index.ts"
import {
  requestPasswordReset,
  requestSignInLink,
  SIGN_IN_LINK_PATH,
  signInLinkMail,
  signInLinkOf,
  signInWithLink,
  tokenHash,
} from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { failure, makeWorld, success, type World } from "../support/World.ts"

const linkOf = (text: string | undefined) => new URL(/https:\S+/.exec(text ?? "")?.[0] ?? "https://x")
const tokenOf = (text: string | undefined) => linkOf(text).searchParams.get("token") ?? ""

const world = (on = true, edit: (d: Record<string, never>) => void = () => {}) =>
  makeWorld(
    fixture((d) => {
      if (on) (d.portal as Record<string, unknown>).emailSignIn = true
      edit(d as never)
    }),
  )

const traced = <S extends object>(name: string, service: S, log: Array<string>): S =>
  new Proxy(service, {
    get: (target, key) => {
      const value = Reflect.get(target, key)
      return typeof value === "function"
        ? (...args: Array<unknown>) => {
            log.push(`${name}.${String(key)}`)
            return value.apply(target, args)
          }
        : value
    },
  })

const trace = async (w: World, program: Effect.Effect<unknown, unknown, never>) => {
  const log: Array<string> = []
  const wrapped = Effect.gen(function* () {
    const contacts = yield* ContactStore
    const security = yield* SecurityStore
    const queue = yield* MailQueue
    return yield* (program as Effect.Effect<unknown, unknown, ContactStore | SecurityStore | MailQueue>).pipe(
      Effect.provideService(ContactStore, traced("contacts", contacts, log)),
      Effect.provideService(SecurityStore, traced("security", security, log)),
      Effect.provideService(MailQueue, traced("mail", queue, log)),
    )
  })
  success(await w.run(wrapped as never))
  return log
}

describe("sign-in by emailed link (P-EXT-6)", () => {
  it("P-EXT-6 the link signs the contact in once; its token is stored hashed, valid 15 minutes", async () => {
    const w = world()
    success(await w.run(requestSignInLink(w.portal, " KEN@globex.test", null)))
    expect(w.state.outbox.map((m) => m.to)).toEqual(["ken@globex.test"])
    const mail = w.state.outbox[0]
    const link = linkOf(mail?.text)
    expect(link.origin + link.pathname).toBe(`https://support.acme.test${SIGN_IN_LINK_PATH}`)
    const token = tokenOf(mail?.text)
    expect(token).toHaveLength(43)
    // Only the hash is kept, with its purpose and the 15-minute expiry.
    expect(w.state.tokens.has(token)).toBe(false)
    expect(w.state.tokens.get(tokenHash(token))).toMatchObject({
      purpose: "emailSignIn",
      contactId: "p1",
      expiresAt: "2026-10-05T12:15:00.000Z",
    })
    expect(mail?.text).toContain("expires in 15 minutes")
    expect(success(await w.run(signInWithLink(w.portal, token)))).toEqual({ contactId: "p1" })
    expect(failure(await w.run(signInWithLink(w.portal, token)))).toMatchObject({
      _tag: "InvalidToken",
      purpose: "emailSignIn",
    })
  })

  it("P-EXT-6 an expired link (after 15 minutes) and an unknown token are refused", async () => {
    const w = world()
    success(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))
    const token = tokenOf(w.state.outbox[0]?.text)
    w.state.now = "2026-10-05T12:15:00Z"
    expect(failure(await w.run(signInWithLink(w.portal, token)))._tag).toBe("InvalidToken")
    expect(failure(await w.run(signInWithLink(w.portal, "no-such-token")))._tag).toBe("InvalidToken")
    const fresh = world()
    success(await fresh.run(requestSignInLink(fresh.portal, "ken@globex.test", null)))
    fresh.state.now = "2026-10-05T12:14:59Z"
    expect(success(await fresh.run(signInWithLink(fresh.portal, tokenOf(fresh.state.outbox[0]?.text))))).toEqual({
      contactId: "p1",
    })
  })

  it("P-EXT-6 P-SEC-5 using a link ends the contact's other links, sign-in and reset alike", async () => {
    const w = world()
    success(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))
    success(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))
    success(await w.run(requestPasswordReset(w.portal, "ken@globex.test")))
    const [older, newer] = w.state.outbox.slice(0, 2).map((m) => tokenOf(m.text))
    const reset = tokenOf(w.state.outbox[2]?.text)
    success(await w.run(signInWithLink(w.portal, newer ?? "")))
    expect(failure(await w.run(signInWithLink(w.portal, older ?? "")))._tag).toBe("InvalidToken")
    expect(w.state.tokens.get(tokenHash(reset))?.used).toBe(true)
  })

  it("P-EXT-6 P-SEC-8 unknown emails, contacts without a login or outside the groups: the same answer and work, no mail", async () => {
    const w = world(true, (d) => {
      ;(d as unknown as { portal: { access: unknown } }).portal.access = {
        method: "membership",
        registration: "accessGroups",
        listIds: ["l1"],
      }
    })
    const stores = (log: Array<string>) => log.filter((c) => !c.startsWith("mail."))
    const login = await trace(w, requestSignInLink(w.portal, "ken@globex.test", null) as never)
    const unknown = await trace(w, requestSignInLink(w.portal, "nobody@globex.test", null) as never)
    const noLogin = await trace(w, requestSignInLink(w.portal, "mia@globex.test", null) as never)
    const outside = await trace(w, requestSignInLink(w.portal, "zed@initech.test", null) as never)
    expect(stores(login)).toEqual([
      "security.hitRateLimit",
      "contacts.findByEmail",
      "contacts.listIdsOf",
      "security.createToken",
    ])
    for (const other of [unknown, noLogin, outside]) expect(stores(other)).toEqual(stores(login))
    expect(login.filter((c) => c.startsWith("mail."))).toEqual(["mail.enqueue"])
    for (const other of [unknown, noLogin, outside]) expect(other.filter((c) => c.startsWith("mail."))).toEqual([])
    expect(w.state.outbox.map((m) => m.to)).toEqual(["ken@globex.test"])
  })

  it("P-EXT-6 at most 3 links per email per hour; the answer stays the same", async () => {
    const w = world()
    for (let i = 0; i < 5; i++) success(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))
    expect(w.state.outbox).toHaveLength(3)
    w.state.now = "2026-10-05T13:00:00Z"
    success(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))
    expect(w.state.outbox).toHaveLength(4)
  })

  it("P-EXT-6 P-SEC-1 the link keeps only a safe next path of the portal's origin", () => {
    const portal = { baseUrl: "https://support.acme.test" }
    const next = (n: string | null) => linkOf(signInLinkOf(portal, "tok", n)).searchParams.get("next")
    expect(next("/tickets/t1?x=1")).toBe("/tickets/t1?x=1")
    expect(next("https://support.acme.test/tickets")).toBe("/tickets")
    for (const bad of ["https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)", "/", null])
      expect(next(bad)).toBeNull()
    expect(linkOf(signInLinkOf(portal, "tok", "/tickets")).searchParams.get("token")).toBe("tok")
  })

  it("P-EXT-6 off by default: no link is offered and both steps are refused (email_sign_in_off)", async () => {
    const w = world(false)
    expect(failure(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))).toMatchObject({
      _tag: "AccessDenied",
      code: "email_sign_in_off",
    })
    expect(failure(await w.run(signInWithLink(w.portal, "whatever")))).toMatchObject({
      _tag: "AccessDenied",
      code: "email_sign_in_off",
    })
    expect(w.state.outbox).toHaveLength(0)
  })

  it("P-EXT-6 a contact removed from the access groups after the mail is refused at use", async () => {
    const w = world()
    success(await w.run(requestSignInLink(w.portal, "ken@globex.test", null)))
    const token = tokenOf(w.state.outbox[0]?.text)
    w.state.settings = {
      ...w.state.settings,
      access: { method: "membership", registration: "accessGroups", listIds: ["no-such-list"] },
    } as never
    expect(failure(await w.run(signInWithLink(w.portal, token)))).toMatchObject({ _tag: "AccessDenied" })
  })

  it("P-EXT-6 the mail in English and Japanese", () => {
    const vars = { to: "ken@globex.test", portalName: "Acme Support", link: "https://support.acme.test/x?token=t" }
    const en = signInLinkMail("en", vars)
    expect(en.subject).toBe("Your sign-in link for Acme Support")
    expect(en.text).toContain("This link works once and expires in 15 minutes.")
    const ja = signInLinkMail("ja", vars)
    expect(ja.subject).toBe("Acme Support サインイン用リンク")
    expect(ja.text).toContain("15分で失効します")
    expect(ja.html).toContain('lang="ja"')
  })
})
