/**
 * CallerStore (issue 9): a request's caller in one read — host → workspace, domain and versioned
 * settings; the token's session on that workspace only; its contact with list memberships and
 * whether it takes part in a ticket (P-EXT-1), or its agent with permissions (P-SET-1). The adapter's
 * read must answer exactly what core's `composedCallerStore` answers from the single ports, in every
 * case: unknown host, no token, an unknown token, another workspace's session, a contact, an agent,
 * a removed contact or agent, a host in another case.
 */
import {
  CallerStore,
  ContactStore,
  composedCallerStore,
  type Session,
  SessionStore,
  TicketStore,
  WorkspaceStore,
} from "@portal/core/ports"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import { fixtures, LATER } from "./Fixtures.ts"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "CallerStore", makeLayer, options, (h) => {
    const f = fixtures(h, "caller")
    const both = async (host: string, tokenHash: string | null) => {
      const adapter = await h.run(use(CallerStore, (s) => s.read(host, tokenHash)))
      const composed = await h.run(Effect.flatMap(composedCallerStore, (s) => s.read(host, tokenHash)))
      // The composed store does not read participation (undefined): compare everything else.
      const strip = (r: typeof adapter) =>
        Option.map(r, (x) => ({
          ...x,
          contact: Option.map(x.contact, ({ participant: _, ...rest }) => rest),
        }))
      expect(strip(adapter)).toEqual(strip(composed))
      return adapter
    }
    const sessionOf = (workspaceId: string, hash: string, subject: Session["subject"]): Session => ({
      tokenHash: `${hash}-${h.nonce}`,
      workspaceId: workspaceId as Session["workspaceId"],
      subject,
      createdAt: "2026-10-01T09:00:00Z" as Session["createdAt"],
      lastSeenAt: "2026-10-01T09:30:00Z" as Session["lastSeenAt"],
      absoluteExpiresAt: "2026-10-02T09:00:00Z" as Session["absoluteExpiresAt"],
    })
    const create = (s: Session) => h.run(use(SessionStore, (store) => store.create(s)))

    h.test("an unknown or empty host is none; a known host without a token is its portal and no session", async () => {
      const ws = await f.workspace()
      const host = ws.domains[0]!.host
      expect(await both(`nowhere-${h.nonce}.test`, null)).toEqual(Option.none())
      expect(await both("", null)).toEqual(Option.none())
      const read = Option.getOrThrow(await both(host, null))
      expect(read.workspaceId).toBe(ws.id)
      expect(read.domain).toEqual(ws.domains[0])
      expect(read.settings.version).toBeGreaterThan(0)
      expect(read.session).toEqual(Option.none())
      expect(read.contact).toEqual(Option.none())
      expect(read.agent).toEqual(Option.none())
      // P-DOM-1: the host matches case-insensitively, as findByHost does.
      expect(Option.getOrThrow(await both(host.toUpperCase(), null)).workspaceId).toBe(ws.id)
      expect(Option.getOrThrow(await both(host, `unknown-${h.nonce}`)).session).toEqual(Option.none())
    })

    h.test("a contact's session: the contact, its lists, and whether it takes part in a ticket", async () => {
      const ws = await f.workspace()
      const host = ws.domains[0]!.host
      const ken = sessionOf(ws.id, "ken", { type: "contact", id: "p1" })
      const yuki = sessionOf(ws.id, "yuki", { type: "contact", id: "p2" })
      await create(ken)
      await create(yuki)
      const k = Option.getOrThrow(await both(host, ken.tokenHash))
      expect(k.session).toEqual(Option.some(ken))
      const kc = Option.getOrThrow(k.contact)
      expect(kc.contact.id).toBe("p1")
      expect(kc.listIds).toEqual(["l1"])
      expect(k.agent).toEqual(Option.none())
      expect(Option.getOrThrow(Option.getOrThrow(await both(host, yuki.tokenHash)).contact).listIds).toEqual([])
      // P-EXT-1: false until the contact takes part in a ticket (an adapter may not tell: undefined).
      expect(kc.participant === undefined || kc.participant === false).toBe(true)
      await h.run(
        use(TicketStore, (s) =>
          s.changeParticipants({
            workspaceId: ws.id,
            ticketId: "t2" as never,
            add: ["p1" as never],
            remove: [],
            max: 20,
            at: LATER,
            eventId: `caller-cc-${h.nonce}`,
          }),
        ),
      )
      const after = Option.getOrThrow(Option.getOrThrow(await both(host, ken.tokenHash)).contact).participant
      expect(after === undefined || after === true).toBe(true)
    })

    h.test("an agent's session carries its permissions; a removed subject has no contact or agent", async () => {
      const ws = await f.workspace()
      const host = ws.domains[0]!.host
      const admin = sessionOf(ws.id, "hana", { type: "agent", id: "u1" })
      await create(admin)
      const read = Option.getOrThrow(await both(host, admin.tokenHash))
      const agent = Option.getOrThrow(read.agent)
      expect(agent.agentId).toBe("u1")
      expect(agent.permissions).toEqual(ws.agents.find((a) => a.id === "u1")?.permissions ?? [])
      expect(read.contact).toEqual(Option.none())
      // Sessions whose subject does not exist (any more): the session, without a subject.
      const ghostContact = sessionOf(ws.id, "ghost-c", { type: "contact", id: "p-none" })
      const ghostAgent = sessionOf(ws.id, "ghost-a", { type: "agent", id: "u-none" })
      // An agent id given as a contact (and the reverse) is not that subject.
      const crossed = sessionOf(ws.id, "crossed", { type: "contact", id: "u1" })
      for (const s of [ghostContact, ghostAgent, crossed]) {
        await create(s)
        const r = Option.getOrThrow(await both(host, s.tokenHash))
        expect(r.session).toEqual(Option.some(s))
        expect(r.contact).toEqual(Option.none())
        expect(r.agent).toEqual(Option.none())
      }
      expect(Option.isSome(await h.run(use(ContactStore, (s) => s.findById(ws.id, "p1" as never))))).toBe(true)
    })

    h.test("another workspace's session is no session on this host (never read across tenants)", async () => {
      const a = await f.workspace()
      const b = await f.workspace()
      const theirs = sessionOf(b.id, "theirs", { type: "contact", id: "p1" })
      await create(theirs)
      const onA = Option.getOrThrow(await both(a.domains[0]!.host, theirs.tokenHash))
      expect(onA.workspaceId).toBe(a.id)
      expect(onA.session).toEqual(Option.none())
      expect(onA.contact).toEqual(Option.none())
      const onB = Option.getOrThrow(await both(b.domains[0]!.host, theirs.tokenHash))
      expect(onB.session).toEqual(Option.some(theirs))
      const found = await h.run(use(WorkspaceStore, (s) => s.findByHost(b.domains[0]!.host)))
      expect(Option.map(found, (x) => x.workspaceId)).toEqual(Option.some(b.id))
    })
  })
