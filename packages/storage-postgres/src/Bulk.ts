/**
 * Batched multi-row inserts: one `INSERT … SELECT … FROM unnest($1::t[], $2::t[], …)` per batch,
 * one array parameter per column. It is fast on both drivers (PGlite has no COPY FROM STDIN over
 * the pg protocol) and never hits the 65,535-parameter limit of a VALUES list.
 */
import type { Queryable } from "./Driver.ts"
import { isUniqueViolation } from "./Errors.ts"

/**
 * A column of the target table and the array type its values travel in. `expr` turns the
 * unnested value `v` into the stored one (e.g. `v::jsonb`, `decode(v, 'base64')`).
 */
export interface BulkColumn {
  readonly name: string
  readonly type: "text" | "int4" | "int8" | "bool"
  readonly expr?: (v: string) => string
}

export const BATCH_ROWS = 5_000

export const insertRows = async (
  tx: Queryable,
  table: string,
  columns: ReadonlyArray<BulkColumn>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  batchRows = BATCH_ROWS,
): Promise<void> => {
  const sql = insertSql(table, columns)
  for (let start = 0; start < rows.length; start += batchRows)
    await tx.query(sql, paramsOf(columns, rows, start, batchRows))
}

/**
 * insertRows for rows keyed by (workspace_id, `key`) (the table's primary key; `key` one of its
 * text columns), reporting the keys already there — in the table or twice in `rows` — instead of
 * failing with the driver's unique violation. Plain INSERTs inside a savepoint (no ON CONFLICT: a
 * speculative insertion per row made the 1,000,000-ticket import slower); on a unique violation
 * the savepoint is rolled back and one query names the keys (never the server's message, whose
 * words depend on its `lc_messages`). The streamed import leaves duplicate ids to the primary keys
 * this way (ImportStream.ts) instead of keeping millions of ids in memory.
 */
export const insertNewRows = async (
  tx: Queryable,
  table: string,
  columns: ReadonlyArray<BulkColumn>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  key: string,
  batchRows = BATCH_ROWS,
): Promise<ReadonlyArray<string>> => {
  const at = columns.findIndex((c) => c.name === key)
  const wsAt = columns.findIndex((c) => c.name === "workspace_id")
  if (at < 0 || columns[at]?.type !== "text" || wsAt < 0) throw new Error(`insertNewRows: no text column ${key}`)
  await tx.query("SAVEPOINT portal_new_rows")
  try {
    await insertRows(tx, table, columns, rows, batchRows)
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    await tx.query("ROLLBACK TO SAVEPOINT portal_new_rows")
    const keys = rows.map((r) => String(r[at]))
    const seen = new Set<string>()
    const twice: Array<string> = []
    for (const k of keys) {
      if (seen.has(k)) twice.push(k)
      seen.add(k)
    }
    const present = await tx.query<{ k: string }>(
      `SELECT ${key} AS k FROM ${table} WHERE workspace_id = $1 AND ${key} = ANY($2::text[])`,
      [rows[0]?.[wsAt], keys],
    )
    const duplicates = [...new Set([...present.map((r) => String(r.k)), ...twice])]
    if (duplicates.length === 0) throw error // another unique index: not a duplicate id
    return duplicates
  }
  await tx.query("RELEASE SAVEPOINT portal_new_rows")
  return []
}

const insertSql = (table: string, columns: ReadonlyArray<BulkColumn>) => {
  const names = columns.map((c) => c.name).join(", ")
  const aliases = columns.map((_, i) => `c${i}`)
  const select = columns.map((c, i) => (c.expr === undefined ? `u.c${i}` : c.expr(`u.c${i}`))).join(", ")
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ")
  // ORDER BY ordinality: rows get their identity `ord` in the order given.
  return `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases.join(", ")}, n) ORDER BY u.n`
}

/** One array parameter per column, of rows[start, start + count). */
const paramsOf = (
  columns: ReadonlyArray<BulkColumn>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  start: number,
  count: number,
): Array<Array<unknown>> => {
  const end = Math.min(rows.length, start + count)
  return columns.map((_, i) => {
    const values = new Array<unknown>(end - start)
    for (let r = start; r < end; r++) values[r - start] = rows[r]?.[i] ?? null
    return values
  })
}

/** A text[] value as a PostgreSQL array literal, for a text column later cast with `::text[]`. */
export const arrayLiteral = (values: ReadonlyArray<string>): string =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`

/** The instant a `*_ms` column holds: core's `timeMs` (Date.parse), whole milliseconds. */
export const msOf = (time: string): number => {
  const ms = Date.parse(time)
  if (!Number.isFinite(ms)) throw new RangeError(`Not a valid time: "${time}"`)
  return ms
}
