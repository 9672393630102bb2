/**
 * The compiled row decoder (src/RowDecoder.ts) against `Schema.decodeUnknownSync`, the reference
 * it must equal: over the row schemas of the stores and schemas built for the AST cases the
 * compiler handles or hands back, good rows (sampled from each schema) and rows broken on
 * purpose (a key removed or added, a value replaced by one of the wrong type, NaN, null, an id
 * too long or with a control character, a number as text; at any depth).
 * - the compiled path's value, when it has one, is Schema's (same keys in the same order);
 * - "invalid" from the compiled path only where Schema refuses the row (a union relies on it);
 * - the decoder Sql.ts uses returns Schema's value or throws Schema's message.
 */
import { IsoTime, TicketId } from "@portal/core/domain"
import { Arbitrary, Effect, Schema, SchemaTransformation } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compiledPathOf, compileRowDecoder } from "../src/RowDecoder.ts"
import { Column } from "../src/Sql.ts"
import { AgentRowRow } from "../src/stores/AgentTickets.ts"
import { ReadRow } from "../src/stores/CallerStore.ts"
import { MailRow } from "../src/stores/OutboxStore.ts"
import {
  AgentRow,
  ContactRow,
  DomainRow,
  FormRow,
  InboxRow,
  ListRow as ListsRow,
  PipelineRow,
  SatisfactionRow,
  StageRow,
  ThreadRow,
  TicketRow,
  WorkspaceRow,
} from "../src/stores/Rows.ts"
import { SessionRow } from "../src/stores/SecurityStores.ts"
import { GetRow, ListRow, SummaryRow } from "../src/stores/TicketStore.ts"

const symbolKey = Symbol.for("portal.test.key")

/** The stores' rows: every one of them the compiler covers whole. */
const storeRows = {
  SummaryRow,
  ListRow,
  GetRow,
  ReadRow,
  AgentRowRow,
  MailRow,
  TicketRow,
  ThreadRow,
  ContactRow,
  SessionRow,
  WorkspaceRow,
  DomainRow,
  AgentRow,
  InboxRow,
  FormRow,
  ListsRow,
  PipelineRow,
  StageRow,
  SatisfactionRow,
} as const

/** AST cases the stores do not have yet: each either compiled or handed to Schema's parser. */
const caseRows = {
  Int8Chain: Schema.Struct({ n: Column.Int8, m: Schema.NullOr(Column.Int8.check(Schema.isInt())) }),
  BytesInside: Schema.Struct({ id: TicketId, bytes: Column.Bytes, maybe: Schema.NullOr(Column.Bytes) }),
  JsonText: Schema.Struct({
    doc: Schema.Union([
      Schema.Struct({ a: Schema.Number }),
      Schema.fromJsonString(Schema.Struct({ a: Schema.Number })),
    ]),
  }),
  CheckedKeys: Schema.Struct({ at: IsoTime, map: Schema.Record(TicketId, Schema.NonEmptyString) }),
  // "a" is decoded by both the field (to a number) and the index (as text): the field's value is kept.
  FieldsAndRecord: Schema.StructWithRest(Schema.Struct({ a: Schema.NumberFromString }), [
    Schema.Record(Schema.String, Schema.String),
  ]),
  OneOf: Schema.Struct({ v: Schema.Union([Schema.String, Schema.NonEmptyString], { mode: "oneOf" }) }),
  Tuple: Schema.Struct({
    pair: Schema.Tuple([Schema.String, Schema.Finite]),
    head: Schema.TupleWithRest(Schema.Tuple([Schema.String]), [Schema.Finite]),
  }),
  OddKeys: Schema.Struct({
    ["__proto__"]: Schema.optionalKey(Schema.String),
    [symbolKey]: Schema.Boolean,
    'a b"c': Schema.optionalKey(Schema.Number),
  }),
  // Decoding defaults: an absent key gets a value, in a field or in a union's member.
  Defaults: Schema.Struct({
    a: Schema.String.pipe(Schema.optionalKey, Schema.withDecodingDefaultKey(Effect.succeed("a default"))),
    b: Schema.optional(Schema.String).pipe(Schema.withDecodingDefault(Effect.succeed("b default"))),
    u: Schema.Union([
      Schema.Struct({ x: Schema.Number.pipe(Schema.optionalKey, Schema.withDecodingDefaultKey(Effect.succeed(7))) }),
      Schema.Struct({ y: Schema.optionalKey(Schema.String) }),
    ]),
  }),
  // A default down the encoding of a field decoded from text.
  DefaultBelow: Schema.Struct({
    n: Schema.String.pipe(
      Schema.optionalKey,
      Schema.withDecodingDefaultKey(Effect.succeed("5")),
      Schema.decodeTo(Schema.Number, SchemaTransformation.numberFromString),
    ),
  }),
  // Symbol keys keep the struct loop, with a decoding default too.
  OddDefaults: Schema.Struct({
    [symbolKey]: Schema.optionalKey(Schema.Boolean),
    d: Schema.String.pipe(Schema.optionalKey, Schema.withDecodingDefaultKey(Effect.succeed("d default"))),
  }),
  // Leaves the generated struct code tests in place, with values that are equal only loosely.
  Leaves: Schema.Struct({
    n: Schema.Literal(42),
    flag: Schema.Literal(true),
    s: Schema.NullOr(Schema.Literal("42")),
    nothing: Schema.Null,
    refused: Schema.Union([Schema.String, Schema.Null.check(Schema.makeFilter(() => "null refused here"))]),
  }),
  // Symbol keys keep the struct loop instead of generated code: with a record, too.
  OddKeysAndRecord: Schema.StructWithRest(Schema.Struct({ [symbolKey]: Schema.optionalKey(Schema.Boolean) }), [
    Schema.Record(Schema.String, Schema.Finite),
  ]),
  Optional: Schema.Struct({
    a: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
    b: Schema.optional(Schema.String),
    c: Schema.Unknown,
    d: Schema.Array(Schema.Literals([1, "one", true])),
  }),
  StructChecks: Schema.Struct({ lo: Schema.Finite, hi: Schema.Finite }).check(
    Schema.makeFilter((r) => r.lo <= r.hi || "lo above hi"),
  ),
} as const

const allRows: Record<string, Schema.Decoder<unknown>> = { ...storeRows, ...caseRows }

/** Values a broken row gets: wrong types, NaN, null, texts each schema refuses or takes. */
const odd: ReadonlyArray<unknown> = [
  null,
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  0,
  1.5,
  1,
  42,
  "42",
  "1e3",
  " 7",
  "0x10",
  "",
  "x",
  "open",
  "closed",
  "agent",
  "ja",
  "portal.settings",
  "2024-01-02T03:04:05Z",
  "2024-01-02",
  "a\u0000b",
  "\ud800",
  "y".repeat(300),
  true,
  false,
  10n,
  [],
  ["a"],
  [1, null],
  {},
  { a: "b" },
  { a: 1 },
  '{"a":1}',
  "{",
  new Uint8Array([1, 2]),
]

type Path = ReadonlyArray<number>

/** Replaces, removes or adds at the container that `path` leads to (indexes modulo sizes). */
const mutate = (value: unknown, path: Path, op: number, pick: number): unknown => {
  const replacement = odd[pick % odd.length]
  if (Array.isArray(value)) {
    if (value.length === 0) return op % 2 === 0 ? [replacement] : replacement
    const copy = [...value]
    const at = (path[0] ?? 0) % copy.length
    copy[at] = path.length > 1 ? mutate(copy[at], path.slice(1), op, pick) : op % 3 === 0 ? replacement : copy[at]
    if (op % 3 === 1) copy.splice(at, 1)
    if (op % 3 === 2) copy.push(replacement)
    return copy
  }
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    const copy: Record<PropertyKey, unknown> = { ...value }
    const keys = Reflect.ownKeys(copy)
    if (keys.length === 0) return op % 2 === 0 ? { extra: replacement } : replacement
    const key = keys[(path[0] ?? 0) % keys.length] as PropertyKey
    if (path.length > 1) copy[key] = mutate(copy[key], path.slice(1), op, pick)
    else if (op % 3 === 0) copy[key] = replacement
    else if (op % 3 === 1) delete copy[key]
    // An added key is sometimes one an id-keyed record skips ("", a control character, 300 characters).
    else
      copy[typeof replacement === "string" && op % 2 === 1 ? replacement : `extra_${pick}`] =
        odd[(pick * 7 + 3) % odd.length]
    return copy
  }
  return replacement
}

/** Same value, and the same keys in the same order at every depth. */
const expectSame = (actual: unknown, expected: unknown) => {
  expect(actual).toStrictEqual(expected)
  const keysOf = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(keysOf)
      : typeof v === "object" && v !== null && !(v instanceof Uint8Array)
        ? Reflect.ownKeys(v).map((k) => [String(k), keysOf((v as Record<PropertyKey, unknown>)[k])])
        : null
  expect(keysOf(actual)).toStrictEqual(keysOf(expected))
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }
const attempt = (f: () => unknown): Outcome => {
  try {
    return { ok: true, value: f() }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

/** Rows for the schemas whose type side no arbitrary can meet (a number field under a text index). */
const madeRows = new Map<Schema.Decoder<unknown>, ReadonlyArray<unknown>>([
  [caseRows.FieldsAndRecord, [{ a: "12", b: "x" }, { a: "-1.5" }, { b: "y", a: "1e3", c: "" }, { a: "x" }]],
])

const sampled = (Row: Schema.Decoder<unknown>, count: number): ReadonlyArray<unknown> =>
  Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(Row as Schema.Codec<unknown>), { count, seed: 9 }))

/**
 * GetRow's arbitrary meets its filters too rarely (ids and times in an array of threads besides the
 * ticket's own): its rows are the ticket's columns sampled apart, with 0–2 sampled threads and a
 * sampled rating or none.
 */
const getRows = (count: number): ReadonlyArray<unknown> => {
  const { threads: _t, satisfaction: _s, ...ticketFields } = GetRow.fields
  const tickets = sampled(Schema.Struct(ticketFields) as Schema.Decoder<unknown>, count)
  const threads = sampled(ThreadRow as Schema.Decoder<unknown>, count * 2)
  const ratings = sampled(SatisfactionRow as Schema.Decoder<unknown>, count)
  return tickets.map((ticket, i) =>
    Object.assign({}, ticket, {
      threads: threads.slice(2 * i, 2 * i + (i % 3)),
      satisfaction: i % 2 === 0 ? null : ratings[i],
    }),
  )
}

const samples = (Row: Schema.Decoder<unknown>, count: number): ReadonlyArray<unknown> =>
  madeRows.get(Row) ?? (Row === GetRow ? getRows(count) : sampled(Row, count))

const tally = { value: 0, invalid: 0, abandoned: 0 }

const once = <A>(f: (Row: Schema.Decoder<unknown>) => A) => {
  const made = new Map<Schema.Decoder<unknown>, A>()
  return (Row: Schema.Decoder<unknown>): A => {
    if (!made.has(Row)) made.set(Row, f(Row))
    return made.get(Row) as A
  }
}
const referenceOf = once((Row) => Schema.decodeUnknownSync(Row))
const compiledOf = once(compiledPathOf)
const usedOf = once(compileRowDecoder)

/** One row through the three decoders, the reference first. */
const agree = (Row: Schema.Decoder<unknown>, row: unknown) => {
  const reference = attempt(() => referenceOf(Row)(row))
  const compiled = compiledOf(Row)?.(row) ?? "abandoned"
  if (compiled === "invalid") {
    expect(reference.ok, "the compiled path refused a row Schema decodes").toBe(false)
  } else if (compiled !== "abandoned") {
    expect(reference.ok, "the compiled path decoded a row Schema refuses").toBe(true)
    if (reference.ok) expectSame(compiled.value, reference.value)
  }
  tally[compiled === "invalid" || compiled === "abandoned" ? compiled : "value"]++
  const used = attempt(() => usedOf(Row)(row))
  if (reference.ok) {
    expect(used.ok).toBe(true)
    if (used.ok) expectSame(used.value, reference.value)
  } else {
    expect(used).toStrictEqual(reference)
  }
  return compiled
}

describe("compiled row decoder", () => {
  for (const [name, Row] of Object.entries(storeRows)) {
    it(`${name}: good rows take the compiled path and decode as Schema does`, () => {
      expect(compiledPathOf(Row)).toBeDefined()
      for (const row of samples(Row, 60)) {
        const compiled = agree(Row, row)
        expect(compiled).toHaveProperty("value")
      }
    })
  }

  for (const [name, Row] of Object.entries(caseRows)) {
    it(`${name}: good rows decode as Schema does`, () => {
      for (const row of samples(Row, 60)) agree(Row, row)
    })
  }

  it("broken rows: the same value or the same message as Schema, at any depth", () => {
    const names = Object.keys(allRows)
    const good = new Map(names.map((name) => [name, samples(allRows[name] as Schema.Decoder<unknown>, 20)]))
    fc.assert(
      fc.property(
        fc.nat(names.length - 1),
        fc.nat(19),
        fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }),
        fc.nat(5),
        fc.nat(odd.length * 7),
        (which, sample, path, op, pick) => {
          const name = names[which] as string
          const Row = allRows[name] as Schema.Decoder<unknown>
          const rows = good.get(name) ?? []
          agree(Row, mutate(rows[sample % rows.length], path, op, pick))
        },
      ),
      { seed: 20261206, numRuns: 6000 },
    )
  })

  it("every column of every row, replaced by each odd value in turn, or removed", () => {
    for (const Row of Object.values(allRows)) {
      const row = samples(Row, 1)[0] as Record<PropertyKey, unknown>
      for (const key of Reflect.ownKeys(row)) {
        for (const value of odd) agree(Row, { ...row, [key]: value })
        const { [key]: _, ...rest } = row
        agree(Row, rest)
      }
    }
  })

  it("hand-made rows: numbers as text, NaN, null, extra and missing columns", () => {
    const row = samples(ListRow, 1)[0] as Record<string, unknown>
    for (const [key, value] of [
      ["sort_key", "1700000000000"],
      ["sort_key", Number.NaN],
      ["sort_key", Number.POSITIVE_INFINITY],
      ["ticket_id", ""],
      ["ticket_id", "t\u0001"],
      ["ticket_id", "t".repeat(256)],
      ["created_at", "yesterday"],
      ["stage_state", "archived"],
      ["owner_id", null],
      ["subject", null],
      ["extra", 1],
    ] as const) {
      agree(ListRow, { ...row, [key]: value })
    }
    const { subject: _, ...missing } = row
    expect(agree(ListRow, missing)).toBe("invalid")
    for (const key of ["t1", "", "t\u0000", "t".repeat(256), "__proto__"]) {
      agree(caseRows.CheckedKeys, { at: "2024-01-02T03:04:05Z", map: { t0: "x", [key]: "y" } })
      agree(caseRows.CheckedKeys, { at: "2024-01-02T03:04:05Z", map: { t0: "x", [key]: "" } })
    }
    expect(agree(caseRows.FieldsAndRecord, { a: "12", b: "x" })).toHaveProperty("value")
    for (const n of ["12", "-3", "1e3", "abc", "", " ", "Infinity", 7, Number.NaN, null]) {
      agree(caseRows.Int8Chain, { n, m: n })
    }
  })

  it("every kind of outcome is exercised", () => {
    expect(tally.value).toBeGreaterThan(1000)
    expect(tally.invalid).toBeGreaterThan(1000)
    expect(tally.abandoned).toBeGreaterThan(10)
  })
})
