/**
 * Rows decoded, not cast (DESIGN.md): every read names the Schema of its row, in the style of
 * Effect's `SqlSchema.findAll` / `findOne`. A row that does not decode (a column of the wrong
 * type, a value the domain refuses) throws a RowDecodeError, which `Database.run` /
 * `Database.transaction` turn into a StorageError naming the port method: a defect the caller
 * sees as a typed StoreError, never a crash and never a wrongly typed value in the rules.
 *
 * A `Statement` may carry a name: on the `pg` driver it is then a named prepared statement,
 * parsed and planned once per connection (the hot reads, Statements in stores/Rows.ts); PGlite
 * runs the text as before.
 */
import { createHash } from "node:crypto"
import { Schema } from "effect"
import type { Queryable, SqlText } from "./Driver.ts"
import { compileRowDecoder } from "./RowDecoder.ts"

/** SQL text, optionally named (a prepared statement on the `pg` driver). One name, one text. */
export type Statement = Exclude<SqlText, string>

export type Sql = SqlText

/** The schema of one row: decodes the driver's plain object, needs no service. */
export type RowSchema<A> = Schema.Decoder<A>

export const textOf = (sql: Sql): string => (typeof sql === "string" ? sql : sql.text)

/** A short label of a statement for messages: its name, or the start of its text. */
const labelOf = (sql: Sql): string =>
  typeof sql !== "string" && sql.name !== undefined ? sql.name : textOf(sql).replace(/\s+/g, " ").slice(0, 80)

/** A row the schema refused: which statement, and the schema's own message (column and reason). */
export class RowDecodeError extends Error {
  override readonly name = "RowDecodeError"
  constructor(
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    super(`a row of "${statement}" does not decode: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

const decoders = new WeakMap<object, (row: unknown) => unknown>()

/** `Schema.decodeUnknownSync(Row)`, with the compiled fast path of RowDecoder.ts for good rows. */
const decoderOf = <A>(Row: RowSchema<A>): ((row: unknown) => A) => {
  let decode = decoders.get(Row)
  if (decode === undefined) {
    decode = compileRowDecoder(Row)
    decoders.set(Row, decode)
  }
  return decode as (row: unknown) => A
}

/** Decodes rows with `Row`; throws RowDecodeError on the first row that does not decode. */
export const decodeRows = <A>(Row: RowSchema<A>, sql: Sql, rows: ReadonlyArray<unknown>): Array<A> => {
  const decode = decoderOf(Row)
  const out = new Array<A>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    try {
      out[i] = decode(rows[i])
    } catch (cause) {
      throw new RowDecodeError(labelOf(sql), cause)
    }
  }
  return out
}

/** One row already read (a RETURNING row, a row read for another purpose), decoded with `Row`. */
export const decodeRow = <A>(Row: RowSchema<A>, sql: Sql, row: unknown): A => decodeRows(Row, sql, [row])[0] as A

/** Every row of the statement, decoded. */
export const findAll = async <A>(
  q: Queryable,
  Row: RowSchema<A>,
  sql: Sql,
  params?: ReadonlyArray<unknown>,
): Promise<Array<A>> => decodeRows(Row, sql, await q.query(sql, params))

/** The first row of the statement, decoded; undefined when there is none. */
export const findOne = async <A>(
  q: Queryable,
  Row: RowSchema<A>,
  sql: Sql,
  params?: ReadonlyArray<unknown>,
): Promise<A | undefined> => {
  const rows = await q.query(sql, params)
  return rows.length === 0 ? undefined : decodeRows(Row, sql, [rows[0]])[0]
}

/** Column schemas for what the two drivers hand back differently. */
export const Column = {
  /** int8 / bigint / count(*): a string on `pg`, a number on PGlite. */
  Int8: Schema.Union([Schema.Finite, Schema.NumberFromString.check(Schema.isFinite())]),
  /** bytea: a Buffer on `pg`, a Uint8Array on PGlite (Buffer is one). */
  Bytes: Schema.Uint8Array,
  NullableText: Schema.NullOr(Schema.String),
} as const

const generated = new Map<string, Statement>()
/** Distinct texts named so far stay below this; past it, new texts run unnamed. */
const MAX_GENERATED = 500

/**
 * A statement whose text is built (the ticket list: one text per view, sort, status and filter
 * shape), named after a hash of its text so that one name never means two texts.
 */
export const namedText = (prefix: string, text: string): Sql => {
  const known = generated.get(text)
  if (known !== undefined) return known
  if (generated.size >= MAX_GENERATED) return text
  const statement = { name: `${prefix}_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`, text }
  generated.set(text, statement)
  return statement
}
