/**
 * The streamed import (ImportStream.ts, `portal import`) against the whole-document one, on
 * PGlite and the PostgreSQL server: the same stored workspace for the demo and for generated
 * documents (any chunking of the text, any key order), export → streamed import → export gives
 * the same document (P-DATA-1), and a document refused late (a bad last record, a reference to
 * a record that never comes) changes nothing at all.
 */
import { randomBytes, scryptSync } from "node:crypto"
import { readFileSync } from "node:fs"
import { InvalidDocument } from "@portal/core/domain"
import { PasswordHasher } from "@portal/core/ports"
import { exportWorkspace, importWorkspace } from "@portal/core/usecases"
import { layerIdGeneratorTest } from "@portal/storage-memory"
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { generate } from "../bench/import.ts"
import { tableCounts } from "../src/Backdoor.ts"
import { writeDocumentText } from "../src/Cli.ts"
import type { Driver } from "../src/Driver.ts"
import { importChunks } from "../src/ImportStream.ts"
import { eachDriver, runOn } from "./support/Drivers.ts"

type Doc = Record<string, unknown> & { workspace: { id: string } }
const demo = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../demo/${file}`, import.meta.url), "utf8")) as Doc

/** The text in pieces of `size` characters (the tokenizer must resume anywhere). */
async function* piecesOf(text: string, size: number): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size)
}

/**
 * Hashes in argon2id's PHC form (scrypt underneath, fast), so that an export, which carries
 * them, can be imported again (the import accepts stored logins in that form only).
 */
const b64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "")
const phcHasher = Layer.succeed(PasswordHasher, {
  hash: (password) =>
    Effect.sync(() => {
      const salt = randomBytes(16)
      const hash = scryptSync(password, salt, 32, { N: 1024 })
      return `$argon2id$v=19$m=19456,t=2,p=1$${b64(salt)}$${b64(hash)}`
    }),
  verify: () => Effect.succeed(false),
})

const streamImport = (driver: Driver, text: string, size = 1 << 16) =>
  driver.transaction((tx) =>
    importChunks(tx, piecesOf(text, size), { passwordHasher: phcHasher, idGenerator: layerIdGeneratorTest }),
  )

const wholeImport = (driver: Driver, raw: unknown) =>
  runOn(driver, importWorkspace(raw).pipe(Effect.provide(Layer.merge(phcHasher, layerIdGeneratorTest))))

const exported = (driver: Driver, id: string) => runOn(driver, exportWorkspace(id)) as Promise<Doc>

/** The streamed export's text (`portal export`). */
const exportedText = async (driver: Driver, id: string) => {
  let text = ""
  await writeDocumentText(driver, id, async (piece) => {
    text += piece
  })
  return text
}

/** An export without what each import decided anew: login hashes (salted) and attachment ids. */
const undecided = (doc: Doc) => {
  const copy = structuredClone(doc) as Doc & {
    agents: Array<Record<string, unknown>>
    contacts: Array<Record<string, unknown>>
    threads: Array<{ messages: Array<{ attachments?: Array<Record<string, unknown>> }> }>
  }
  for (const person of [...copy.agents, ...copy.contacts]) delete person.passwordHash
  for (const m of copy.threads.flatMap((t) => t.messages)) for (const file of m.attachments ?? []) delete file.id
  return copy
}

/** The same document with its top-level keys in another order. */
const reordered = (doc: Doc, order: ReadonlyArray<number>) => {
  const entries = Object.entries(doc)
  return Object.fromEntries(
    entries
      .map((e, i) => [e, order[i] ?? i] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([e]) => e),
  )
}

eachDriver("streamed import", (shared) => {
  for (const file of ["acme.en.json", "sakura.ja.json"]) {
    it(`P-DATA-1: the demo ${file} streamed is stored as the whole-document import stores it; export → streamed import → export is identical`, async () => {
      const driver = await shared.get()
      const raw = demo(file)
      await wholeImport(driver, raw)
      const whole = await exported(driver, raw.workspace.id)
      const summary = await streamImport(driver, JSON.stringify(raw, null, 2), 4096)
      expect(summary.counts.tickets).toBe((raw.tickets as Array<unknown>).length)
      const streamed = await exported(driver, raw.workspace.id)
      expect(undecided(streamed)).toEqual(undecided(whole))
      // The export carries the hashes and ids: a streamed re-import keeps every one of them.
      await streamImport(driver, JSON.stringify(streamed), 777)
      expect(await exported(driver, raw.workspace.id)).toEqual(streamed)
      expect(await exportedText(driver, raw.workspace.id)).toBe(`${JSON.stringify(streamed, null, 2)}\n`)
    }, 60_000)
  }

  it("P-DATA-1: generated documents, cut anywhere and in any key order, stream to the same workspace", async () => {
    const driver = await shared.get()
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 14, maxLength: 14 }),
        async (tickets, size, order) => {
          const raw = generate(tickets) as Doc
          await wholeImport(driver, raw)
          const whole = await exported(driver, "bench")
          await streamImport(driver, JSON.stringify(reordered(raw, order)), size)
          const streamed = await exported(driver, "bench")
          expect(undecided(streamed)).toEqual(undecided(whole))
          await streamImport(driver, JSON.stringify(streamed), size)
          expect(await exported(driver, "bench")).toEqual(streamed)
          // The streamed export writes exactly the text the whole-document export wrote.
          expect(await exportedText(driver, "bench")).toBe(`${JSON.stringify(streamed, null, 2)}\n`)
        },
      ),
      { numRuns: 4 },
    )
  }, 60_000)

  it("a bad last record, or a reference to a record that never comes, is refused with its path and changes nothing", async () => {
    const driver = await shared.get()
    await wholeImport(driver, generate(40))
    const before = await exported(driver, "bench")
    const counts = await tableCounts(driver)
    const refusal = async (doc: unknown) => {
      const error = await streamImport(driver, JSON.stringify(doc), 999).then(
        () => new Error("imported"),
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(InvalidDocument)
      expect(await exported(driver, "bench")).toEqual(before)
      expect(await tableCounts(driver)).toEqual(counts)
      return (error as InvalidDocument).issues
    }
    type Gen = Doc & {
      threads: Array<{ ticketId: string; messages: Array<{ text: string; kind: string }> }>
      notes: Array<{ ticketId: string }>
    }
    // A control character in the last message of the last thread (the rules: P-SEC-7).
    const late = generate(300) as Gen
    const last = late.threads[299]?.messages[2]
    if (last !== undefined) last.text = "bad\u0000text"
    expect((await refusal(late)).join("\n")).toMatch(/^threads\[299\]\.messages\[2\]\.text: /m)
    // A shape error in the last record.
    const shape = generate(300) as Gen
    const kindOf = shape.threads[299]?.messages[0]
    if (kindOf !== undefined) kindOf.kind = "fax"
    expect((await refusal(shape)).join("\n")).toMatch(/^threads\[299\]\.messages\[0\]\.kind: /m)
    // Threads and notes before the tickets they reference: the missing ticket is named at the end.
    const early = generate(300) as Gen
    const first = early.threads[0]
    if (first !== undefined) first.ticketId = "t-ghost"
    const note = early.notes[29]
    if (note !== undefined) note.ticketId = "t-ghost-2"
    const { threads, notes, tickets, ...rest } = early
    expect(await refusal({ threads, notes, ...rest, tickets })).toEqual([
      'thread "th0" references missing ticket "t-ghost"',
      'note "n29" references missing ticket "t-ghost-2"',
    ])
  }, 60_000)
})
