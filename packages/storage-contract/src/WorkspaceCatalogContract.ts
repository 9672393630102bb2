/**
 * WorkspaceStore's single catalog writes: agents and their password hashes (agent sign-in,
 * `portal create-agent`), domains (P-DOM-1, P-DOM-4), branding (P-BRAND-3), companies and lists
 * (integration API).
 * Each write is all-or-nothing: a refused one leaves the exported document and the raw rows
 * (backdoor) exactly as they were. Hosts are unique across workspaces, compared case-insensitively.
 */
import type { Domain, WorkspaceId } from "@portal/core/domain"
import { ContactStore, MissingReference, SettingsStore, WorkspaceStore } from "@portal/core/ports"
import { type Effect, Option } from "effect"
import { expect } from "vitest"
import { testHash } from "./Documents.ts"
import { fixtures } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "WorkspaceStore catalog writes", makeLayer, options, (h) => {
    const f = fixtures(h, "catalog")
    const ws = <A, E>(f: (s: WorkspaceStore["Service"]) => Effect.Effect<A, E>) => h.run(use(WorkspaceStore, f))
    const catalog = async (id: WorkspaceId) => Option.getOrThrow(await h.run(use(WorkspaceStore, (s) => s.catalog(id))))
    const hashOf = (id: WorkspaceId, agentId: string) =>
      h.run(use(WorkspaceStore, (s) => s.agentPasswordHash(id, agentId as never)))

    h.test("agentPasswordHash gives the stored hash; none for an unknown agent or workspace", async () => {
      const { id } = await f.workspace()
      expect(await hashOf(id, "u1")).toEqual(Option.some(testHash("admin-demo-2026")))
      expect(await hashOf(id, "nobody")).toEqual(Option.none())
      expect(await hashOf("no-such-workspace" as WorkspaceId, "u1")).toEqual(Option.none())
    })

    h.test("upsertAgent adds an agent, replaces one by id, and a null hash keeps the password", async () => {
      const { id } = await f.workspace()
      const before = await h.counts(id)
      const agent = {
        id: "u9" as never,
        name: "New Agent",
        email: "new@acme.test",
        permissions: ["portal.settings" as const],
      }
      await ws((s) => s.upsertAgent(id, agent, "hash-9"))
      expect((await catalog(id)).agents.find((a) => a.id === "u9")).toEqual(agent)
      expect(await hashOf(id, "u9")).toEqual(Option.some("hash-9"))
      await ws((s) => s.upsertAgent(id, { id: "u9" as never, name: "Renamed", email: "r@acme.test" }, null))
      expect((await catalog(id)).agents.find((a) => a.id === "u9")).toEqual({
        id: "u9",
        name: "Renamed",
        email: "r@acme.test",
      })
      expect(await hashOf(id, "u9")).toEqual(Option.some("hash-9"))
      await ws((s) => s.upsertAgent(id, { id: "u1" as never, name: "Admin", email: "admin@acme.test" }, "hash-1"))
      expect(await hashOf(id, "u1")).toEqual(Option.some("hash-1"))
      expect((await catalog(id)).agents.map((a) => a.id)).toEqual(["u1", "u2", "u3", "u9"])
      expectCounts(before, await h.counts(id), { agents: 1 })
      expect(
        await h.fail(use(WorkspaceStore, (s) => s.upsertAgent("no-such-ws" as WorkspaceId, agent, null))),
      ).toMatchObject({
        _tag: expect.stringMatching(/^Storage/),
      })
    })

    h.test("setDomains replaces the domains; hosts resolve to the workspace case-insensitively", async () => {
      const { id, domains } = await f.workspace()
      const before = await h.counts(id)
      const next: ReadonlyArray<Domain> = [
        { host: `new.${id}.contract.test`, language: "ja" },
        { host: `www.${id}.contract.test`, language: "en" },
      ]
      await ws((s) => s.setDomains(id, next))
      expect((await catalog(id)).domains).toEqual(next)
      const found = await h.run(use(WorkspaceStore, (s) => s.findByHost(`NEW.${id}.contract.test`)))
      expect(found).toEqual(Option.some({ workspaceId: id, domain: next[0] }))
      expect(await h.run(use(WorkspaceStore, (s) => s.findByHost(domains[0]!.host)))).toEqual(Option.none())
      expectCounts(before, await h.counts(id), { domains: next.length - domains.length })
    })

    h.test(
      "setDomains with a host of another workspace is a Conflict; a twice-listed host fails; nothing changes",
      async () => {
        const other = await f.workspace()
        const { id } = await f.workspace()
        const before = await f.snapshot(id)
        const clash = [
          { host: `fresh.${id}.contract.test`, language: "en" as const },
          { host: other.domains[0]!.host.toUpperCase(), language: "en" as const },
        ]
        expect(await h.fail(use(WorkspaceStore, (s) => s.setDomains(id, clash)))).toMatchObject({ _tag: "Conflict" })
        const twice = [clash[0]!, { ...clash[0]!, host: clash[0]!.host.toUpperCase() }]
        expect(await h.fail(use(WorkspaceStore, (s) => s.setDomains(id, twice)))).toMatchObject({
          _tag: expect.stringMatching(/^Storage/),
        })
        expect(await f.snapshot(id)).toEqual(before)
        const stillOther = await h.run(use(WorkspaceStore, (s) => s.findByHost(other.domains[0]!.host)))
        expect(Option.map(stillOther, (x) => x.workspaceId)).toEqual(Option.some(other.id))
        expect(await h.run(use(WorkspaceStore, (s) => s.findByHost(clash[0]!.host)))).toEqual(Option.none())
      },
    )

    h.test("setBranding replaces the branding whole; the export shows it and no row moves", async () => {
      const { id, workspace } = await f.workspace()
      const before = await f.snapshot(id)
      const branding = {
        primaryColor: "#C2185B",
        accentColor: "#f48fb1",
        logoUrl: "https://cdn.acme.test/logo.svg?v=2&x=ü",
        faviconUrl: "/favicon.ico",
      }
      await ws((s) => s.setBranding(id, branding))
      const after = await f.snapshot(id)
      expect(after.document).toEqual({ ...before.document, workspace: { ...workspace, branding } })
      expect((await catalog(id)).workspace).toEqual({ ...workspace, branding })
      expectCounts(before.counts, after.counts)
      expect(after.events).toEqual(before.events)
      await ws((s) => s.setBranding(id, { accentColor: "#000000" }))
      expect((await f.snapshot(id)).document.workspace).toEqual({ ...workspace, branding: { accentColor: "#000000" } })
      await ws((s) => s.setBranding(id, {}))
      expect((await catalog(id)).workspace).toEqual({ ...workspace, branding: {} })
      expect(
        await h.fail(use(WorkspaceStore, (s) => s.setBranding("no-such-ws" as WorkspaceId, branding))),
      ).toMatchObject({ _tag: expect.stringMatching(/^Storage/) })
    })

    h.test("upsertCompany adds a company, then renames it", async () => {
      const { id } = await f.workspace()
      const before = await h.counts(id)
      expect(await ws((s) => s.upsertCompany(id, { id: "c9" as never, name: "Umbrella" }))).toEqual({ created: true })
      expect(await ws((s) => s.upsertCompany(id, { id: "c1" as never, name: "Globex Inc." }))).toEqual({
        created: false,
      })
      const doc = (await f.snapshot(id)).document
      expect(doc.companies).toEqual([
        { id: "c1", name: "Globex Inc." },
        { id: "c2", name: "Initech" },
        { id: "c9", name: "Umbrella" },
      ])
      expectCounts(before, await h.counts(id), { companies: 1 })
    })

    h.test(
      "upsertList creates a list or replaces its name and members; an unknown member changes nothing",
      async () => {
        const { id } = await f.workspace()
        const lists = (contactId: string) => h.run(use(ContactStore, (s) => s.listIdsOf(id, contactId as never)))
        expect(
          await ws((s) => s.upsertList(id, { id: "l9" as never, name: "VIP", contactIds: ["p2", "p4"] as never })),
        ).toEqual({
          created: true,
        })
        expect(await lists("p4")).toEqual(["l9"])
        expect(
          await ws((s) => s.upsertList(id, { id: "l1" as never, name: "Priority", contactIds: ["p2"] as never })),
        ).toEqual({
          created: false,
        })
        expect(await lists("p1")).toEqual([])
        expect(await lists("p2")).toEqual(["l1", "l9"])
        expect((await catalog(id)).lists).toEqual([
          { id: "l1", name: "Priority" },
          { id: "l9", name: "VIP" },
        ])
        const before = await f.snapshot(id)
        const bad = { id: "l1" as never, name: "Broken", contactIds: ["p1", "ghost"] as never }
        const error = await h.fail(use(WorkspaceStore, (s) => s.upsertList(id, bad)))
        expect(error).toEqual(new MissingReference({ kind: "contact", id: "ghost" }))
        expect(await f.snapshot(id)).toEqual(before)
      },
    )
    h.test(
      "issue 9: every catalog write raises the catalog version read with the settings; a settings save after one is no conflict",
      async () => {
        const { id } = await f.workspace()
        const versions = async () => {
          const read = Option.getOrThrow(await h.run(use(SettingsStore, (s) => s.get(id))))
          return { settings: read.version, catalog: read.catalogVersion ?? 0 }
        }
        const writes: Array<[string, Effect.Effect<unknown, unknown, WorkspaceStore>]> = [
          [
            "upsertAgent",
            use(WorkspaceStore, (s) =>
              s.upsertAgent(id, { id: "u8" as never, name: "A", email: "a8@acme.test" }, null),
            ),
          ],
          ["setBranding", use(WorkspaceStore, (s) => s.setBranding(id, { accentColor: "#112233" }))],
          ["upsertCompany", use(WorkspaceStore, (s) => s.upsertCompany(id, { id: "c8" as never, name: "Initech" }))],
          [
            "upsertList",
            use(WorkspaceStore, (s) => s.upsertList(id, { id: "l8" as never, name: "L", contactIds: [] })),
          ],
          [
            "setDomains",
            use(WorkspaceStore, (s) => s.setDomains(id, [{ host: `v-${id}.test`, language: "en" } as Domain])),
          ],
        ]
        for (const [name, write] of writes) {
          const before = await versions()
          await h.run(write as never)
          const after = await versions()
          expect(after.catalog, name).toBeGreaterThan(before.catalog)
          expect(after.settings, name).toBe(before.settings)
        }
        const read = Option.getOrThrow(await h.run(use(SettingsStore, (s) => s.get(id))))
        const saved = await h.run(use(SettingsStore, (s) => s.save(id, read.settings, read.version)))
        expect(saved).toBe(read.version + 1)
        expect((await versions()).catalog).toBe(read.catalogVersion ?? 0)
      },
    )
  })
