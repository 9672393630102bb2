import { readFileSync } from "node:fs"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { decodeWorkspaceDocument, encodeWorkspaceDocument } from "../src/domain/index.ts"

describe("the demo workspaces", () => {
  for (const file of ["acme.en.json", "sakura.ja.json"]) {
    it(`${file} decodes and encodes back to the same document`, async () => {
      const raw = JSON.parse(readFileSync(new URL(`../../../demo/${file}`, import.meta.url), "utf8"))
      const doc = await Effect.runPromise(decodeWorkspaceDocument(raw))
      expect(encodeWorkspaceDocument(doc)).toEqual(raw)
    })
  }
})
