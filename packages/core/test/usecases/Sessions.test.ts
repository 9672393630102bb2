import { Option } from "effect"
import { describe, expect, it } from "vitest"
import { endSession, resolveSession, startSession, tokenHash } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { makeWorld, success } from "../support/World.ts"

describe("sessions (P-AUTH-6)", () => {
  const subject = { workspaceId: "acme" as never, type: "contact" as const, id: "p1" }
  it("P-AUTH-6 a session stores only the token's hash and resolves while in use", async () => {
    const w = makeWorld(fixture())
    const { token, session } = success(await w.run(startSession(subject)))
    expect([...w.state.sessions.keys()]).toEqual([tokenHash(token)])
    expect(session.absoluteExpiresAt).toBe("2026-10-12T12:00:00.000Z")
    w.state.now = "2026-10-05T12:19:00Z"
    expect(Option.getOrNull(success(await w.run(resolveSession(token, 20))))?.lastSeenAt).toBe("2026-10-05T12:19:00Z")
    w.state.now = "2026-10-05T12:38:00Z"
    expect(Option.isSome(success(await w.run(resolveSession(token, 20))))).toBe(true)
  })
  it("P-AUTH-6 a read writes the last-seen time at most once a minute", async () => {
    const w = makeWorld(fixture())
    const { token } = success(await w.run(startSession(subject)))
    const stored = () => w.state.sessions.get(tokenHash(token))?.lastSeenAt
    const started = stored()
    w.state.now = "2026-10-05T12:00:59Z"
    expect(Option.getOrNull(success(await w.run(resolveSession(token, 20))))?.lastSeenAt).toBe(started)
    expect(stored()).toBe(started)
    w.state.now = "2026-10-05T12:01:00Z"
    expect(Option.getOrNull(success(await w.run(resolveSession(token, 20))))?.lastSeenAt).toBe("2026-10-05T12:01:00Z")
    expect(stored()).toBe("2026-10-05T12:01:00Z")
  })
  it("P-AUTH-6 an idle session expires and is removed", async () => {
    const w = makeWorld(fixture())
    const { token } = success(await w.run(startSession(subject)))
    w.state.now = "2026-10-05T12:20:00Z"
    expect(Option.isNone(success(await w.run(resolveSession(token, 20))))).toBe(true)
    expect(w.state.sessions.size).toBe(0)
  })
  it("P-AUTH-6 sign-out removes the session; unknown tokens resolve to none", async () => {
    const w = makeWorld(fixture())
    const { token } = success(await w.run(startSession(subject)))
    success(await w.run(endSession(token)))
    expect(Option.isNone(success(await w.run(resolveSession(token, 60))))).toBe(true)
    expect(Option.isNone(success(await w.run(resolveSession("forged", 60))))).toBe(true)
  })
})
