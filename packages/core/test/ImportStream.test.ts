/**
 * The streamed import's rules (makeDocumentImport) say what the whole-document ones
 * (checkWorkspaceDocument) say: for the demo and for documents broken at random (a bad value,
 * a missing or unknown key, a duplicate id, a dangling reference, a control character), in any
 * key order, both accept or both refuse with the same issues. IdSet is a Set of strings.
 */
import { readFileSync } from "node:fs"
import { Effect, Exit, Layer, Option } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { IdSet } from "../src/domain/IdSet.ts"
import { IdGenerator, PasswordHasher } from "../src/ports/index.ts"
import { checkWorkspaceDocument, isStreamedSection, makeDocumentImport } from "../src/usecases/index.ts"

type Json = Record<string, unknown>
const demo = () => JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8")) as Json

const layer = Layer.mergeAll(
  Layer.succeed(PasswordHasher, { hash: (p) => Effect.succeed(`hashed:${p}`), verify: () => Effect.succeed(false) }),
  Layer.succeed(IdGenerator, { next: (prefix) => Effect.succeed(`${prefix}-1`) }),
)

/** The issues of the streamed checks, the document given key by key and record by record. */
const streamed = async (doc: Json): Promise<ReadonlyArray<string> | "ok"> => {
  const session = makeDocumentImport()
  for (const [key, value] of Object.entries(doc))
    if (isStreamedSection(key) && Array.isArray(value)) {
      for (const [i, record] of value.entries()) session.record(key, i, record)
      session.endSection(key)
    } else session.section(key, value)
  const exit = await Effect.runPromiseExit(Effect.provide(session.finish(), layer))
  return Exit.isSuccess(exit) ? "ok" : Option.getOrThrow(Exit.findErrorOption(exit)).issues
}

const whole = async (doc: Json): Promise<ReadonlyArray<string> | "ok"> => {
  const exit = await Effect.runPromiseExit(checkWorkspaceDocument(doc))
  return Exit.isSuccess(exit) ? "ok" : Option.getOrThrow(Exit.findErrorOption(exit)).issues
}

const sorted = (r: ReadonlyArray<string> | "ok") => (r === "ok" ? r : [...r].sort())

/** One random change to a copy of the demo. */
const breakage = fc.oneof(
  fc.record({
    kind: fc.constant("value"),
    section: fc.constantFrom("tickets", "threads", "contacts", "notes", "agents", "pipelines"),
    field: fc.constantFrom("id", "subject", "text", "email", "ticketId", "pipelineId", "kind", "name", "stages"),
    value: fc.constantFrom<unknown>(null, 7, "", "t1", "p1", "x\u0000y", "ghost", [], {}, "a".repeat(2_100)),
  }),
  fc.record({
    kind: fc.constant("drop"),
    section: fc.constantFrom("tickets", "threads", "contacts", "agents", "portal", "notes"),
  }),
  fc.record({ kind: fc.constant("extra"), key: fc.constantFrom("colour", "tickets2") }),
  fc.record({
    kind: fc.constant("duplicate"),
    section: fc.constantFrom("tickets", "threads", "contacts", "notes", "companies"),
  }),
)

const applied = (doc: Json, change: Json, pick: number): Json => {
  const copy = structuredClone(doc)
  const items = (section: string) => (Array.isArray(copy[section]) ? (copy[section] as Array<Json>) : [])
  switch (change.kind) {
    case "value": {
      const list = items(change.section as string)
      const item = list[pick % list.length]
      if (item !== undefined) item[change.field as string] = change.value
      break
    }
    case "drop":
      delete copy[change.section as string]
      break
    case "extra":
      copy[change.key as string] = []
      break
    case "duplicate": {
      const list = items(change.section as string)
      const item = list[pick % list.length]
      if (item !== undefined) list.push(structuredClone(item))
      break
    }
  }
  return copy
}

const reordered = (doc: Json, keys: ReadonlyArray<number>): Json =>
  Object.fromEntries(
    Object.entries(doc)
      .map((e, i) => [e, keys[i] ?? i] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([e]) => e),
  )

describe("streamed import checks", () => {
  it("accept the demo, in any key order", async () => {
    const doc = demo()
    expect(await whole(doc)).toBe("ok")
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(20), { minLength: 14, maxLength: 14 }), async (keys) => {
        expect(await streamed(reordered(doc, keys))).toBe("ok")
      }),
      { numRuns: 20 },
    )
  })

  it("P-SEC-7: refuse a broken document with the issues (JSON paths, ids) the whole-document checks give", async () => {
    const doc = demo()
    await fc.assert(
      fc.asyncProperty(
        fc.array(breakage as fc.Arbitrary<Json>, { minLength: 1, maxLength: 3 }),
        fc.nat(50),
        fc.array(fc.nat(20), { minLength: 15, maxLength: 15 }),
        async (changes, pick, keys) => {
          const broken = changes.reduce((d, c) => applied(d, c, pick), doc)
          const expected = await whole(broken)
          expect(sorted(await streamed(reordered(broken, keys)))).toEqual(sorted(expected))
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe("IdSet", () => {
  it("holds exactly the strings a Set holds (Latin-1, wide, long, empty)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 10 }),
            fc.string({ unit: "binary", maxLength: 200 }),
            fc.constantFrom("", "é", "é".repeat(130)),
          ),
          { maxLength: 400 },
        ),
        fc.array(fc.string({ unit: "binary", maxLength: 10 }), { maxLength: 50 }),
        (added, probes) => {
          const ids = new IdSet()
          const set = new Set<string>()
          const wrong: Array<string> = []
          for (const s of added) {
            if (ids.add(s) === set.has(s)) wrong.push(`add ${JSON.stringify(s)}`)
            set.add(s)
          }
          for (const s of [...added, ...probes]) if (ids.has(s) !== set.has(s)) wrong.push(`has ${JSON.stringify(s)}`)
          expect(wrong).toEqual([])
          expect(ids.size).toBe(set.size)
        },
      ),
      { numRuns: 100 },
    )
  }, 30_000)
})
