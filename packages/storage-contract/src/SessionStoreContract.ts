/** SessionStore (P-AUTH-6): sessions by token hash; touch moves lastSeenAt; remove ends them. */
import { type Session, SessionStore } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "SessionStore", makeLayer, options, (h) => {
    const session = (tokenHash: string): Session => ({
      tokenHash: `${tokenHash}-${h.nonce}`,
      workspaceId: "sessions-ws" as Session["workspaceId"],
      subject: { type: "contact", id: "p1" },
      createdAt: "2026-10-01T09:00:00Z" as Session["createdAt"],
      lastSeenAt: "2026-10-01T09:00:00Z" as Session["lastSeenAt"],
      absoluteExpiresAt: "2026-10-02T09:00:00+09:00" as Session["absoluteExpiresAt"],
    })
    const get = (tokenHash: string) => h.run(use(SessionStore, (s) => s.get(tokenHash)))

    h.test("create then get returns the session as stored; an unknown hash is none", async () => {
      const s1 = session("a")
      const s2 = { ...session("b"), subject: { type: "agent" as const, id: "u1" } }
      await h.run(use(SessionStore, (s) => s.create(s1)))
      await h.run(use(SessionStore, (s) => s.create(s2)))
      expect(await get(s1.tokenHash)).toEqual(Option.some(s1))
      expect(await get(s2.tokenHash)).toEqual(Option.some(s2))
      expect(await get(`unknown-${h.nonce}`)).toEqual(Option.none())
    })

    h.test("touch moves lastSeenAt only; remove deletes only that session", async () => {
      const s1 = session("c")
      const s2 = session("d")
      await h.run(use(SessionStore, (s) => s.create(s1)))
      await h.run(use(SessionStore, (s) => s.create(s2)))
      await h.run(use(SessionStore, (s) => s.touch(s1.tokenHash, "2026-10-01T09:30:00.250Z" as Session["lastSeenAt"])))
      expect(await get(s1.tokenHash)).toEqual(Option.some({ ...s1, lastSeenAt: "2026-10-01T09:30:00.250Z" }))
      expect(await get(s2.tokenHash)).toEqual(Option.some(s2))
      await h.run(use(SessionStore, (s) => s.remove(s1.tokenHash)))
      expect(await get(s1.tokenHash)).toEqual(Option.none())
      expect(await get(s2.tokenHash)).toEqual(Option.some(s2))
    })

    h.test("removeAllOf ends every session of one subject in one workspace, and no other", async () => {
      const ken = { type: "contact" as const, id: `ken-${h.nonce}` }
      const mine = [session("e"), session("f")].map((s1) => ({ ...s1, subject: ken }))
      const agentSameId = { ...session("g"), subject: { ...ken, type: "agent" as const } }
      const otherContact = { ...session("h"), subject: { type: "contact" as const, id: "p2" } }
      const otherWorkspace = {
        ...mine[0]!,
        tokenHash: `i-${h.nonce}`,
        workspaceId: "sessions-ws-2" as Session["workspaceId"],
      }
      const all = [...mine, agentSameId, otherContact, otherWorkspace]
      for (const s1 of all) await h.run(use(SessionStore, (s) => s.create(s1)))
      const before = await h.counts("sessions-ws")
      await h.run(use(SessionStore, (s) => s.removeAllOf(session("x").workspaceId, ken)))
      for (const s1 of mine) expect(await get(s1.tokenHash)).toEqual(Option.none())
      for (const s1 of [agentSameId, otherContact, otherWorkspace])
        expect(await get(s1.tokenHash)).toEqual(Option.some(s1))
      if (options.backdoor !== undefined)
        expect((await h.counts("sessions-ws")).sessions).toBe((before.sessions ?? 0) - 2)
      await h.run(use(SessionStore, (s) => s.removeAllOf(session("x").workspaceId, { type: "contact", id: "nobody" })))
    })
  })
