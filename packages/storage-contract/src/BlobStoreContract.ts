/** BlobStore: bytes come back exactly, per workspace and key; a put to the same key replaces. */
import { BlobStore } from "@portal/core"
import { Option } from "effect"
import { expect } from "vitest"
import { contractSuite, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "BlobStore", makeLayer, options, (h) => {
    const ws = `blobs-${h.nonce}` as never
    const other = `blobs-other-${h.nonce}` as never
    const get = (w: never, key: string) =>
      h.run(use(BlobStore, (b) => b.get(w, key))).then(Option.map((bytes) => Array.from(bytes)))

    h.test("put then get returns the same bytes, all 256 values and empty included", async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i)
      await h.run(use(BlobStore, (b) => b.put(ws, "files/all.bin", all)))
      await h.run(use(BlobStore, (b) => b.put(ws, "files/empty.bin", new Uint8Array())))
      expect(await get(ws, "files/all.bin")).toEqual(Option.some(Array.from(all)))
      expect(await get(ws, "files/empty.bin")).toEqual(Option.some([]))
      expect(await get(ws, "files/missing.bin")).toEqual(Option.none())
    })

    h.test("blobs are per workspace, and a second put to a key replaces the bytes", async () => {
      await h.run(use(BlobStore, (b) => b.put(ws, "k", new Uint8Array([1]))))
      await h.run(use(BlobStore, (b) => b.put(other, "k", new Uint8Array([2, 2]))))
      await h.run(use(BlobStore, (b) => b.put(ws, "k", new Uint8Array([3, 3, 3]))))
      expect(await get(ws, "k")).toEqual(Option.some([3, 3, 3]))
      expect(await get(other, "k")).toEqual(Option.some([2, 2]))
    })
  })
