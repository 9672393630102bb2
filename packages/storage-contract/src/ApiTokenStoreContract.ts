/**
 * ApiTokenStore: integration API tokens by workspace, stored as hashes. Create then list (newest
 * first, never a hash); lookup by hash alone, revoked tokens excluded; revoke for good (the first
 * time kept); workspaces isolated (the same token id in two workspaces are two tokens); the last
 * use written at most once a minute (API_TOKEN_USE_INTERVAL_MS), compared as instants, never for
 * a revoked token. With an `ApiTokenBackdoor`, writes are read back raw: the hash as given.
 */
import type { IsoTime } from "@portal/core/domain"
import { API_TOKEN_USE_INTERVAL_MS, type ApiToken, ApiTokenStore, type NewApiToken } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { type Backdoor, contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

/** A backdoor that can also read the raw token rows of a workspace (column names are the adapter's). */
export interface ApiTokenBackdoor extends Backdoor {
  readonly apiTokenRows: (workspaceId: string) => Promise<ReadonlyArray<Record<string, unknown>>>
}

const hasTokenRows = (backdoor: Backdoor | undefined): backdoor is ApiTokenBackdoor =>
  backdoor !== undefined && "apiTokenRows" in backdoor

const at = (t: string) => t as IsoTime
const API_TOKEN_KEYS = ["createdAt", "createdBy", "id", "lastUsedAt", "name", "revokedAt", "workspaceId"]

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "ApiTokenStore", makeLayer, options, (h) => {
    const wsA = `tokens-a-${h.nonce}` as ApiToken["workspaceId"]
    const wsB = `tokens-b-${h.nonce}` as ApiToken["workspaceId"]
    const newToken = (id: string, workspaceId = wsA, extra: Partial<NewApiToken> = {}): NewApiToken => ({
      id,
      workspaceId,
      name: `Token ${id}`,
      createdBy: "u1" as ApiToken["createdBy"],
      createdAt: at("2026-10-01T09:00:00Z"),
      tokenHash: `hash-${workspaceId}-${id}`,
      ...extra,
    })
    const stored = (t: NewApiToken, extra: Partial<ApiToken> = {}): ApiToken => {
      const { tokenHash: _, ...rest } = t
      return { ...rest, lastUsedAt: null, revokedAt: null, ...extra }
    }
    const create = (t: NewApiToken) => h.run(use(ApiTokenStore, (s) => s.create(t)))
    const list = (w = wsA) => h.run(use(ApiTokenStore, (s) => s.list(w)))
    const find = (hash: string) => h.run(use(ApiTokenStore, (s) => s.findActiveByHash(hash)))
    const revoke = (w: ApiToken["workspaceId"], id: string, time: string) =>
      h.run(use(ApiTokenStore, (s) => s.revoke(w, id, at(time))))
    const markUsed = (w: ApiToken["workspaceId"], id: string, time: string) =>
      h.run(use(ApiTokenStore, (s) => s.markUsed(w, id, at(time))))

    h.test("create then list returns every field as given, newest first, and never a hash", async () => {
      const first = newToken("c1", wsA, { name: "CRM sync", createdAt: at("2026-10-01T18:00:00+09:00") })
      const second = newToken("c2", wsA, { name: "請求連携", createdBy: "u2" as ApiToken["createdBy"] })
      await create(first)
      await create(second)
      const listed = await list()
      expect(listed.filter((t) => t.id === "c1" || t.id === "c2")).toEqual([stored(second), stored(first)])
      for (const token of listed) expect(Object.keys(token).sort()).toEqual(API_TOKEN_KEYS)
      expect(JSON.stringify(listed)).not.toContain(first.tokenHash)
      expect(JSON.stringify(listed)).not.toContain("hash-")
      const backdoor = options.backdoor
      if (hasTokenRows(backdoor)) {
        const raw = JSON.stringify(await backdoor.apiTokenRows(wsA))
        expect(raw).toContain(first.tokenHash)
        expect(raw).toContain(second.tokenHash)
      }
    })

    h.test("findActiveByHash finds a token of any workspace by its hash alone; an unknown hash is none", async () => {
      const a = newToken("f1", wsA)
      const b = newToken("f1", wsB)
      await create(a)
      await create(b)
      expect(await find(a.tokenHash)).toEqual(Option.some(stored(a)))
      expect(await find(b.tokenHash)).toEqual(Option.some(stored(b)))
      expect(await find(`unknown-${h.nonce}`)).toEqual(Option.none())
      expect(await find(a.tokenHash.toUpperCase())).toEqual(Option.none())
    })

    h.test(
      "a revoked token is never found again, stays listed with its time; revoking twice keeps the first",
      async () => {
        const t = newToken("r1")
        const other = newToken("r2")
        await create(t)
        await create(other)
        expect(await revoke(wsA, "r1", "2026-10-02T10:00:00+09:00")).toEqual(
          Option.some(stored(t, { revokedAt: at("2026-10-02T10:00:00+09:00") })),
        )
        expect(await find(t.tokenHash)).toEqual(Option.none())
        expect(await find(other.tokenHash)).toEqual(Option.some(stored(other)))
        expect(await revoke(wsA, "r1", "2026-10-03T00:00:00Z")).toEqual(
          Option.some(stored(t, { revokedAt: at("2026-10-02T10:00:00+09:00") })),
        )
        expect((await list()).find((x) => x.id === "r1")?.revokedAt).toBe("2026-10-02T10:00:00+09:00")
        expect(await revoke(wsA, `missing-${h.nonce}`, "2026-10-03T00:00:00Z")).toEqual(Option.none())
        const backdoor = options.backdoor
        if (hasTokenRows(backdoor))
          expect(JSON.stringify(await backdoor.apiTokenRows(wsA))).toContain("2026-10-02T10:00:00+09:00")
      },
    )

    h.test("a workspace never lists, revokes or marks another's token, even with the same id", async () => {
      const a = newToken("i1", wsA)
      const b = newToken("i1", wsB, { name: "B's token" })
      const onlyB = newToken("i2", wsB)
      await create(a)
      await create(b)
      await create(onlyB)
      const listedB = (await list(wsB)).filter((t) => t.id === "i1" || t.id === "i2")
      expect(listedB).toEqual([stored(onlyB), stored(b)])
      expect((await list(wsA)).some((t) => t.workspaceId !== wsA)).toBe(false)
      expect(await revoke(wsA, "i2", "2026-10-02T00:00:00Z")).toEqual(Option.none())
      expect(await markUsed(wsA, "i2", "2026-10-02T00:00:00Z")).toBe(false)
      expect(await find(onlyB.tokenHash)).toEqual(Option.some(stored(onlyB)))
      await revoke(wsB, "i1", "2026-10-02T00:00:00Z")
      expect(await find(b.tokenHash)).toEqual(Option.none())
      expect(await find(a.tokenHash)).toEqual(Option.some(stored(a)))
    })

    h.test(
      "markUsed writes the last use at most once a minute, comparing instants, never for a revoked token",
      async () => {
        const t = newToken("u1")
        await create(t)
        const lastUsed = async () =>
          (await find(t.tokenHash)).pipe(
            Option.map((x) => x.lastUsedAt),
            Option.getOrNull,
          )
        expect(await markUsed(wsA, "u1", "2026-10-01T09:00:00Z")).toBe(true)
        expect(await lastUsed()).toBe("2026-10-01T09:00:00Z")
        // 59.999 s later, written in another zone: too soon.
        expect(await markUsed(wsA, "u1", "2026-10-01T18:00:59.999+09:00")).toBe(false)
        expect(await lastUsed()).toBe("2026-10-01T09:00:00Z")
        // Earlier than the stored use: never moves back.
        expect(await markUsed(wsA, "u1", "2026-10-01T08:00:00Z")).toBe(false)
        const later = new Date(Date.parse("2026-10-01T09:00:00Z") + API_TOKEN_USE_INTERVAL_MS).toISOString()
        expect(await markUsed(wsA, "u1", later)).toBe(true)
        expect(await lastUsed()).toBe(later)
        expect(await markUsed(wsA, `missing-${h.nonce}`, "2026-10-01T10:00:00Z")).toBe(false)
        await revoke(wsA, "u1", "2026-10-01T10:00:00Z")
        expect(await markUsed(wsA, "u1", "2026-10-01T11:00:00Z")).toBe(false)
        expect((await list()).find((x) => x.id === "u1")?.lastUsedAt).toBe(later)
        const backdoor = options.backdoor
        if (hasTokenRows(backdoor)) expect(JSON.stringify(await backdoor.apiTokenRows(wsA))).toContain(later)
      },
    )

    h.test("a second token with the same hash, or the same id in its workspace, is refused", async () => {
      const t = newToken("d1")
      await create(t)
      expect(
        (await h.fail(use(ApiTokenStore, (s) => s.create(newToken("d2", wsB, { tokenHash: t.tokenHash })))))._tag,
      ).toBe("StorageError")
      expect(
        (await h.fail(use(ApiTokenStore, (s) => s.create(newToken("d1", wsA, { tokenHash: `other-${h.nonce}` })))))
          ._tag,
      ).toBe("StorageError")
      expect((await list()).filter((x) => x.id === "d1" || x.id === "d2")).toEqual([stored(t)])
      expect((await list(wsB)).some((x) => x.id === "d2")).toBe(false)
    })
  })
