/**
 * P-SEC-8: registration and the reset request do the same work whether or not the email has a
 * login. Every call to the stores, the password hasher and the mail queue is traced; the traces
 * of the branches must be the same calls in the same order (the mail queue returns at once, so
 * which mail is queued, or whether one is, costs nothing measurable).
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { ContactStore, MailQueue, PasswordHasher, SecurityStore } from "../../src/ports/index.ts"
import { type RegistrationInput, register, requestPasswordReset } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { makeWorld, success, type World } from "../support/World.ts"

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

/** Run `program` in `w` with every store, hasher and mail queue call logged. */
const trace = async <A, E, R>(w: World, program: Effect.Effect<A, E, R>) => {
  const log: Array<string> = []
  const wrapped = Effect.gen(function* () {
    const contacts = yield* ContactStore
    const security = yield* SecurityStore
    const hasher = yield* PasswordHasher
    const queue = yield* MailQueue
    return yield* (program as Effect.Effect<A, E, ContactStore | SecurityStore | PasswordHasher | MailQueue>).pipe(
      Effect.provideService(ContactStore, traced("contacts", contacts, log)),
      Effect.provideService(SecurityStore, traced("security", security, log)),
      Effect.provideService(PasswordHasher, traced("hasher", hasher, log)),
      Effect.provideService(MailQueue, traced("mail", queue, log)),
    )
  })
  success(await w.run(wrapped as never))
  return log
}

const registration = (email: string): RegistrationInput => ({
  email,
  password: "long enough pw",
  firstName: "Probe",
  lastName: "",
  consent: true,
})

describe("P-SEC-8 the same work whether or not an email has a login", () => {
  it("P-SEC-8 registration: a new email, a contact without a login and a login make the same calls", async () => {
    const w = makeWorld(fixture())
    const fresh = await trace(w, register(w.portal, registration("fresh@person.test")))
    const noLogin = await trace(w, register(w.portal, registration("mia@globex.test")))
    const login = await trace(w, register(w.portal, registration("ken@globex.test")))
    expect(fresh).toEqual([
      "hasher.hash",
      "contacts.findByEmail",
      "security.hitRateLimit",
      "security.createPendingRegistration",
      "mail.enqueue",
    ])
    expect(noLogin).toEqual(fresh)
    expect(login).toEqual(fresh)
  })
  it("P-SEC-8 reset request: a login and an unknown email (or one without a login) make the same store calls", async () => {
    const w = makeWorld(fixture())
    const login = await trace(w, requestPasswordReset(w.portal, "ken@globex.test"))
    const unknown = await trace(w, requestPasswordReset(w.portal, "nobody@globex.test"))
    const noLogin = await trace(w, requestPasswordReset(w.portal, "mia@globex.test"))
    const stores = (log: Array<string>) => log.filter((c) => !c.startsWith("mail."))
    expect(stores(login)).toEqual([
      "security.hitRateLimit",
      "contacts.findByEmail",
      "contacts.listIdsOf",
      "security.createToken",
    ])
    expect(stores(unknown)).toEqual(stores(login))
    expect(stores(noLogin)).toEqual(stores(login))
    // Only the login's mail is queued; queueing returns at once (MailQueue), nothing is sent inline.
    expect(login.filter((c) => c.startsWith("mail."))).toEqual(["mail.enqueue"])
    expect(unknown.filter((c) => c.startsWith("mail."))).toEqual([])
    expect(w.state.outbox.map((m) => m.to)).toEqual(["ken@globex.test"])
  })
})
