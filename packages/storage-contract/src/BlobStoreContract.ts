/**
 * BlobStore: bytes come back exactly, per workspace and key; a put to the same key replaces.
 * `deleteOrphans` removes exactly the workspace's blobs that no attachment references and that
 * were stored before the cutoff: referenced blobs (imported and replied ones), blobs stored after
 * the cutoff and other workspaces' blobs all survive. The cutoff is taken between two puts with a
 * pause either side, so the test does not depend on how fast the store is.
 */
import type { AttachmentId, IsoTime, WorkspaceId } from "@portal/core/domain"
import { BlobStore, TicketStore } from "@portal/core/ports"
import { Option } from "effect"
import { expect } from "vitest"
import { demoDocument, importDoc } from "./Documents.ts"
import { fixtures, message, replyTo } from "./Fixtures.ts"
import { contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "BlobStore", makeLayer, options, (h) => {
    const ws = `blobs-${h.nonce}` as never
    const other = `blobs-other-${h.nonce}` as never
    const f = fixtures(h, "blobs")
    const get = (w: WorkspaceId, key: string) =>
      h.run(use(BlobStore, (b) => b.get(w, key))).then(Option.map((bytes) => Array.from(bytes)))
    const put = (w: WorkspaceId, key: string, bytes: ReadonlyArray<number> = [1]) =>
      h.run(use(BlobStore, (b) => b.put(w, key, new Uint8Array(bytes))))
    const deleteOrphans = (w: WorkspaceId, storedBefore: IsoTime) =>
      h.run(use(BlobStore, (b) => b.deleteOrphans(w, storedBefore)))
    /** A cutoff strictly after everything stored so far and before everything stored next. */
    const cutoff = async (): Promise<IsoTime> => {
      await pause(30)
      const at = new Date().toISOString() as IsoTime
      await pause(30)
      return at
    }

    h.test("put then get returns the same bytes, all 256 values and empty included", async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i)
      await h.run(use(BlobStore, (b) => b.put(ws, "files/all.bin", all)))
      await h.run(use(BlobStore, (b) => b.put(ws, "files/empty.bin", new Uint8Array())))
      expect(await get(ws, "files/all.bin")).toEqual(Option.some(Array.from(all)))
      expect(await get(ws, "files/empty.bin")).toEqual(Option.some([]))
      expect(await get(ws, "files/missing.bin")).toEqual(Option.none())
    })

    h.test("blobs are per workspace, and a second put to a key replaces the bytes", async () => {
      await put(ws, "k", [1])
      await put(other, "k", [2, 2])
      await put(ws, "k", [3, 3, 3])
      expect(await get(ws, "k")).toEqual(Option.some([3, 3, 3]))
      expect(await get(other, "k")).toEqual(Option.some([2, 2]))
    })

    h.test(
      "deleteOrphans removes old unreferenced blobs only; referenced, young and other workspaces' stay",
      async () => {
        const id = `blobs-gc-${h.nonce}` as WorkspaceId
        const other = `blobs-gc-other-${h.nonce}` as WorkspaceId // blobs only, no workspace
        const neighbour = (await f.workspace()).id
        // Referenced: the imported attachments' blobs, and the blob of a reply's attachment.
        const secrets = await h.run(importDoc(demoDocument(id)))
        const imported = await Promise.all(
          [...secrets.attachmentIds.values()]
            .flat()
            .map((a) => h.run(use(TicketStore, (s) => s.attachment(id, a))).then(Option.getOrThrow)),
        )
        expect(imported.length).toBeGreaterThan(0)
        await put(id, "upload/replied", [7, 7])
        const attachment = { id: "att-gc-1" as AttachmentId, name: "a.txt", contentType: "text/plain", size: 2 }
        const msg = message("gc-r1", { attachments: [{ ...attachment, blobKey: "upload/replied" }] })
        await h.run(use(TicketStore, (s) => s.reply(replyTo(id, "t2", "th2", msg, "gc-k1", "gc-e1"))))
        // Orphans stored before the cutoff (one of them put again after it), in both workspaces.
        for (const key of ["upload/failed-1", "upload/failed-2", "upload/retried"]) await put(id, key)
        await put(neighbour, "upload/failed-1")
        await put(other, "upload/failed-1")
        const storedBefore = await cutoff()
        await put(id, "upload/young", [5])
        await put(id, "upload/retried", [6])
        const before = await h.counts(id)

        expect(await deleteOrphans(id, storedBefore)).toBe(2)
        expect(await get(id, "upload/failed-1")).toEqual(Option.none())
        expect(await get(id, "upload/failed-2")).toEqual(Option.none())
        expect(await get(id, "upload/young")).toEqual(Option.some([5]))
        expect(await get(id, "upload/retried")).toEqual(Option.some([6]))
        expect(await get(id, "upload/replied")).toEqual(Option.some([7, 7]))
        for (const a of imported) expect(Option.isSome(await get(id, a.blobKey))).toBe(true)
        expectCounts(before, await h.counts(id), { blobs: -2 })
        // Other workspaces are untouched; a second run finds nothing more.
        expect(await get(neighbour, "upload/failed-1")).toEqual(Option.some([1]))
        expect(await get(other, "upload/failed-1")).toEqual(Option.some([1]))
        expect(await deleteOrphans(id, storedBefore)).toBe(0)
        // The same blobs go once the cutoff passes them; the referenced ones never do.
        const later = await cutoff()
        expect(await deleteOrphans(id, later)).toBe(2)
        expect(await get(id, "upload/replied")).toEqual(Option.some([7, 7]))
        for (const a of imported) expect(Option.isSome(await get(id, a.blobKey))).toBe(true)
        expect(await deleteOrphans(other, later)).toBe(1)
        expect(await deleteOrphans(neighbour, later)).toBe(1)
        expect(await deleteOrphans(`no-such-${h.nonce}` as WorkspaceId, later)).toBe(0)
      },
    )
  })
