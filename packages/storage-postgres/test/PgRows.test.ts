/**
 * The `pg` driver reads rows as arrays and makes the row objects itself (PgDriver.ts
 * `rowObjects`: one compiled object literal per column list, or a loop past the bound). The
 * objects must be exactly the ones `pg` makes — same own keys in the same order, same values,
 * a repeated column name keeping its first place and its last value, `__proto__` an own
 * property and never the prototype — for any column names PostgreSQL may describe (quotes,
 * backslashes, line separators, `?column?`), checked over generated column lists against pg's
 * own `Result`, and against a real server where one is reachable.
 */
import { createRequire } from "node:module"
import fc from "fast-check"
import pg from "pg"
import { describe, expect, it } from "vitest"
import { compileRowBuilder, loopRowBuilder, makePgDriver, rowObjects } from "../src/PgDriver.ts"
import { probeServer, TEST_DATABASE_URL } from "./support/Databases.ts"

const require = createRequire(import.meta.url)
/** pg's own row maker (object mode), fed a RowDescription of text columns and text values. */
const PgResult = require("pg/lib/result.js") as new () => {
  addFields: (fields: ReadonlyArray<{ name: string; dataTypeID: number; format: string }>) => void
  parseRow: (values: ReadonlyArray<string | null>) => Record<string, unknown>
}
const pgRow = (names: ReadonlyArray<string>, values: ReadonlyArray<string | null>) => {
  const result = new PgResult()
  result.addFields(names.map((name) => ({ name, dataTypeID: 25, format: "text" })))
  return result.parseRow(values)
}

/** Everything observable of a row object: prototype, own keys in order, descriptors. */
const shapeOf = (row: object) => ({
  proto: Object.getPrototypeOf(row),
  keys: Reflect.ownKeys(row),
  descriptors: Object.getOwnPropertyDescriptors(row),
})

const columnName = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "toString",
    "?column?",
    "a",
    "ticket_id",
    'we"ird',
    "back\\slash",
    "line\u2028sep",
    "0",
    "1e3",
    "$1",
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes("\u0000")),
)
const rowCase = fc
  .array(columnName, { minLength: 1, maxLength: 16 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.option(fc.string(), { nil: null }), { minLength: names.length, maxLength: names.length }),
    ),
  )

describe("row objects from array rows (PgDriver rowObjects)", () => {
  it("are the objects pg makes, for generated column lists (compiled and loop builders)", () => {
    fc.assert(
      fc.property(rowCase, ([names, values]) => {
        const expected = shapeOf(pgRow(names, values))
        expect(
          shapeOf((compileRowBuilder(names) as NonNullable<ReturnType<typeof compileRowBuilder>>)(values)),
        ).toEqual(expected)
        expect(shapeOf(loopRowBuilder(names)(values))).toEqual(expected)
        expect(
          shapeOf(
            rowObjects(
              names.map((name) => ({ name })),
              [values],
            )[0] as object,
          ),
        ).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it("never run a column name as code, and never set the prototype", () => {
    const names = ["__proto__", '"}); throw new Error("x"); ({"', "constructor"]
    const row = (compileRowBuilder(names) as NonNullable<ReturnType<typeof compileRowBuilder>>)(["p", "q", "r"])
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
    expect(Object.keys(row)).toEqual(names)
    expect(Object.values(row)).toEqual(["p", "q", "r"])
  })

  it("keep a repeated column's first place and its last value, as pg does", () => {
    const names = ["a", "b", "a"]
    expect(
      Object.entries(
        rowObjects(
          names.map((name) => ({ name })),
          [["1", "2", "3"]],
        )[0] as object,
      ),
    ).toEqual([
      ["a", "3"],
      ["b", "2"],
    ])
  })
})

const server = await probeServer()

describe.skipIf(!server.ok)("row objects on the PostgreSQL server", () => {
  const url = TEST_DATABASE_URL
  it("are what a plain pg client reads, named and unnamed, with typed columns", async () => {
    const text = `SELECT 1::int8 AS a, 2::int4 AS a, 'x' AS "__proto__", 'y' AS "we""ird", NULL::text AS n,
      '{"k":[1,2]}'::json AS j, ARRAY['p','q'] AS arr, true AS b, 1`
    const driver = makePgDriver({ connectionString: url, max: 1 })
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const expected = (await client.query(text)).rows.map(shapeOf)
      expect((await driver.query(text)).map(shapeOf)).toEqual(expected)
      expect((await driver.query({ name: "pg_rows_test", text })).map(shapeOf)).toEqual(expected)
      expect((await driver.query({ name: "pg_rows_test", text })).map(shapeOf)).toEqual(expected)
      const inTx = await driver.transaction((tx) => tx.query(text))
      expect(inTx.map(shapeOf)).toEqual(expected)
    } finally {
      await client.end()
      await driver.close()
    }
  })
})

describe("pg as installed (patches/pg@8.23.1.patch)", () => {
  it("builds no empty row object for array rows, and still does for object rows", () => {
    const PatchedResult = PgResult as unknown as new (
      rowMode?: string,
    ) => { addFields: (f: unknown) => void; _prebuiltEmptyResultObject: unknown }
    const fields = [{ name: "a", dataTypeID: 25, format: "text" }]
    const arrays = new PatchedResult("array")
    arrays.addFields(fields)
    // An upgrade of pg that drops the patch fails here: re-apply it (pnpm patch pg) or remove it.
    expect(arrays._prebuiltEmptyResultObject).toBeNull()
    const objects = new PatchedResult()
    objects.addFields(fields)
    expect(objects._prebuiltEmptyResultObject).toEqual({ a: null })
  })

  it("copies a plain query config by spread, and still copies the caller's config (never mutates it)", () => {
    const utils = require("pg/lib/utils.js") as {
      normalizeQueryConfig: (config: object, values?: unknown) => Record<string, unknown>
    }
    const plain = { name: "n", text: "SELECT $1", rowMode: "array" }
    const copy = utils.normalizeQueryConfig(plain, ["v"])
    expect(copy).not.toBe(plain)
    expect(copy).toEqual({ name: "n", text: "SELECT $1", rowMode: "array", values: ["v"] })
    expect(plain).toEqual({ name: "n", text: "SELECT $1", rowMode: "array" })
    // An upgrade of pg that drops the patch fails here (the unpatched copy has the source's getter).
    const withGetter = Object.defineProperty({ text: "SELECT 1" }, "name", { get: () => "g", enumerable: true })
    expect(Object.getOwnPropertyDescriptor(utils.normalizeQueryConfig(withGetter), "name")?.value).toBe("g")
    // Not a plain object (a class instance): copied as pg always did, with its prototype.
    class Config {
      readonly text = "SELECT 2"
    }
    const instance = utils.normalizeQueryConfig(new Config())
    expect(Object.getPrototypeOf(instance)).toBe(Config.prototype)
  })
})

describe("row objects where code generation is refused", () => {
  it("are still pg's objects (node --disallow-code-generation-from-strings: the loop builder)", async () => {
    const { execFileSync } = await import("node:child_process")
    const script = `
      const { rowObjects } = await import(${JSON.stringify(new URL("../src/PgDriver.ts", import.meta.url).href)})
      const rows = rowObjects([{ name: "a" }, { name: "__proto__" }, { name: "a" }], [["1", "2", "3"]])
      console.log(JSON.stringify([Object.getPrototypeOf(rows[0]) === Object.prototype, Object.entries(rows[0])]))`
    const out = execFileSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8", cwd: new URL("..", import.meta.url).pathname },
    )
    expect(JSON.parse(out)).toEqual([
      true,
      [
        ["a", "3"],
        ["__proto__", "2"],
      ],
    ])
  })
})
