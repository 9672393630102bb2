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
  const names = columns.map((c) => c.name).join(", ")
  const aliases = columns.map((_, i) => `c${i}`)
  const select = columns.map((c, i) => (c.expr === undefined ? `u.c${i}` : c.expr(`u.c${i}`))).join(", ")
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ")
  // ORDER BY ordinality: rows get their identity `ord` in the order given.
  const sql = `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases.join(", ")}, n) ORDER BY u.n`
  for (let start = 0; start < rows.length; start += batchRows) {
    const batch = rows.slice(start, start + batchRows)
    const params = columns.map((_, i) => batch.map((row) => row[i] ?? null))
    await tx.query(sql, params)
  }
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
