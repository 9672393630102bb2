// The test helpers for Clock, IdGenerator and PasswordHasher, and the import use-case end to end
// over the memory adapter (demo document in, same document out, passwords only as hashes).
import { readFileSync } from "node:fs"
import type { IsoTime, WorkspaceId } from "@portal/core/domain"
import { Clock, ContactStore, IdGenerator, PasswordHasher } from "@portal/core/ports"
import { exportWorkspace, importWorkspace } from "@portal/core/usecases"
import { Effect, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { layerMemory, layerSystemTest, TestClock } from "../src/index.ts"

const run = <A, E>(effect: Effect.Effect<A, E, Layer.Success<typeof layer>>, layer = makeLayer()) =>
  Effect.runPromise(Effect.provide(effect, layer))
const makeLayer = () => Layer.mergeAll(layerMemory, layerSystemTest({ now: "2026-10-01T09:00:00Z" as IsoTime }))
const layer = makeLayer()

describe("layerSystemTest", () => {
  it("has a clock that stands still until set or advanced", async () => {
    const times = await run(
      Effect.gen(function* () {
        const clock = yield* Clock
        const control = yield* TestClock
        const first = yield* clock.now()
        const again = yield* clock.now()
        yield* control.advance(1500)
        const advanced = yield* clock.now()
        yield* control.set("2027-01-01T00:00:00+09:00" as IsoTime)
        return [first, again, advanced, yield* clock.now()]
      }),
    )
    expect(times).toEqual([
      "2026-10-01T09:00:00.000Z",
      "2026-10-01T09:00:00.000Z",
      "2026-10-01T09:00:01.500Z",
      "2026-12-31T15:00:00.000Z",
    ])
  })

  it("counts ids and hashes passwords reversibly-but-distinctly, per build", async () => {
    const program = Effect.gen(function* () {
      const ids = yield* IdGenerator
      const hasher = yield* PasswordHasher
      const hash = yield* hasher.hash("secret")
      return {
        ids: [yield* ids.next("msg"), yield* ids.next("thread")],
        hashIsPlain: hash === "secret",
        ok: yield* hasher.verify(hash, "secret"),
        wrong: yield* hasher.verify(hash, "Secret"),
      }
    })
    expect(await run(program)).toEqual({ ids: ["msg-1", "thread-2"], hashIsPlain: false, ok: true, wrong: false })
    expect((await run(program)).ids).toEqual(["msg-1", "thread-2"])
  })
})

describe("importWorkspace and exportWorkspace over the memory store", () => {
  it("imports the demo, keeps passwords only as verifiable hashes and exports the same document", async () => {
    const raw = JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))
    const result = await run(
      Effect.gen(function* () {
        const summary = yield* importWorkspace(raw)
        const contacts = yield* ContactStore
        const hasher = yield* PasswordHasher
        const ken = Option.getOrThrow(yield* contacts.findByEmail("acme" as WorkspaceId, "ken@globex.test"))
        const verified = yield* hasher.verify(ken.passwordHash ?? "", "customer-demo-2026")
        return { summary, verified, exported: yield* exportWorkspace("acme") }
      }),
      layer,
    )
    expect(result.summary.workspaceId).toBe("acme")
    expect(result.verified).toBe(true)
    // P-DATA-1: every login comes back as its hash, every attachment with its id.
    const exported = result.exported as typeof raw
    for (const person of [...raw.contacts, ...raw.agents]) {
      const back = [...exported.contacts, ...exported.agents].find((p: { id: string }) => p.id === person.id)
      if (person.password === undefined) expect(back.passwordHash).toBeUndefined()
      else expect(back.passwordHash).toMatch(/^test-only\$/)
      delete person.password
      delete back.passwordHash
    }
    for (const thread of exported.threads)
      for (const message of thread.messages)
        for (const file of message.attachments ?? []) {
          expect(file.id).toMatch(/^att-/)
          delete file.id
        }
    expect(exported).toEqual(raw)
  })
})
