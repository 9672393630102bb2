/**
 * Batched multi-row inserts: one `INSERT … SELECT … FROM unnest($1::t[], $2::t[], …)` per batch,
 * one array parameter per column. It is fast on both drivers (PGlite has no COPY FROM STDIN over
 * the pg protocol) and never hits the 65,535-parameter limit of a VALUES list.
 */
import type { Queryable } from "./Driver.ts"

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
 * insertRows for rows keyed by (workspace_id, `key`) (the table's primary key; `key` one of
 * `columns`, of type text): a row whose key is already in the table, or comes twice in `rows`, is
 * not inserted (ON CONFLICT DO NOTHING: the transaction stays usable) and its key comes back, once
 * per skipped row. The streamed import leaves duplicate ids to the primary keys this way
 * (ImportStream.ts) instead of keeping millions of ids in memory.
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
  if (at < 0 || columns[at]?.type !== "text") throw new Error(`insertNewRows: no text column ${key}`)
  // The keys given less the keys inserted (a multiset difference): the skipped rows' keys.
  const sql = `WITH inserted AS (${insertSql(table, columns)} ON CONFLICT (workspace_id, ${key}) DO NOTHING RETURNING ${key} AS k)
    SELECT g.k COLLATE "C" AS k FROM unnest($${at + 1}::text[]) AS g(k) EXCEPT ALL SELECT k FROM inserted`
  const skipped: Array<string> = []
  for (let start = 0; start < rows.length; start += batchRows)
    for (const row of await tx.query<{ k: string }>(sql, paramsOf(columns, rows, start, batchRows))) skipped.push(row.k)
  return skipped
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
