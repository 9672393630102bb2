/**
 * Row objects: `pg`'s own (object mode: a spread of a prebuilt object, then a keyed store per
 * column) against array rows made into objects by PgDriver's `rowObjects` (one compiled object
 * literal per column list). No database: pg's `Result` is fed the RowDescription and DataRow
 * values of the HTTP bench's ticket list (15 text columns, 26 rows). `BENCH_SHAPES` other
 * column lists are read first and in between, as in the portal's process, which reads about a
 * hundred statements' shapes: that is what turns pg's spreads and stores megamorphic.
 *
 *   pnpm --filter @portal/storage-postgres bench:rows          # 0 and 60 other shapes, both ways
 */
import { createRequire } from "node:module"
import { rowObjects } from "../src/PgDriver.ts"

const require = createRequire(import.meta.url)
const Result = require("pg/lib/result.js") as new (
  rowMode?: string,
) => {
  fields: ReadonlyArray<{ readonly name: string }>
  rows: Array<unknown>
  addFields: (fields: ReadonlyArray<{ name: string; dataTypeID: number; format: string }>) => void
  parseRow: (values: ReadonlyArray<string>) => unknown
  addRow: (row: unknown) => void
}

const LIST_COLUMNS = [
  "ticket_id",
  "subject",
  "created_at",
  "last_activity_at",
  "pipeline_id",
  "stage_id",
  "stage_label",
  "stage_state",
  "sort_key",
  "requester_id",
  "requester_email",
  "requester_first_name",
  "requester_last_name",
  "owner_id",
  "owner_name",
]
const otherColumns = (k: number) => Array.from({ length: 5 + (k % 20) }, (_, i) => `col_${k}_${i}`)

const read = (mode: "object" | "array", names: ReadonlyArray<string>, rows: number): ReadonlyArray<unknown> => {
  const result = new Result(mode === "array" ? "array" : undefined)
  result.addFields(names.map((name) => ({ name, dataTypeID: 25, format: "text" })))
  const values = names.map((_, i) => `value ${i} of a row`)
  for (let i = 0; i < rows; i++) result.addRow(result.parseRow(values))
  return mode === "array" ? rowObjects(result.fields, result.rows as Array<Array<unknown>>) : result.rows
}

const measure = (mode: "object" | "array", shapes: number): number => {
  for (let k = 0; k < shapes; k++) for (let j = 0; j < 200; j++) read(mode, otherColumns(k), 3)
  for (let i = 0; i < 2000; i++) read(mode, LIST_COLUMNS, 26)
  const n = 20_000
  let rows = 0
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    rows += read(mode, LIST_COLUMNS, 26).length
    if (shapes > 0 && i % 10 === 0) read(mode, otherColumns(i % shapes), 1)
  }
  const used = process.cpuUsage(start)
  if (rows !== n * 26) throw new Error("rows lost")
  return (used.user + used.system) / n
}

// Each measurement in a process of its own: the shapes a run has seen stay in V8's feedback.
const [mode, shapes] = [process.argv[2], process.argv[3]]
if (mode === "object" || mode === "array") {
  console.log(
    `${mode.padEnd(6)} ${String(shapes).padStart(3)} other shapes: ${measure(mode, Number(shapes)).toFixed(1)} µs per 26-row list result`,
  )
} else {
  const { execFileSync } = await import("node:child_process")
  for (const n of [0, 60])
    for (const m of ["object", "array"])
      process.stdout.write(
        execFileSync(process.execPath, [...process.execArgv, process.argv[1] as string, m, String(n)]),
      )
}
