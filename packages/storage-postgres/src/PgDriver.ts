/**
 * The `pg` driver: a connection Pool on a PostgreSQL server (DATABASE_URL).
 * A connection the server drops (restart, pg_terminate_backend) is discarded by the pool; the
 * next query opens a new one, so the adapter works again once the database is back. A connection
 * that dies inside a transaction fails that transaction (a failed COMMIT is never acknowledged) and
 * is discarded, never the process (P-DATA-3; test/Reconnect.test.ts, apps/server's multi-node test).
 */
import pg from "pg"
import type { Driver, Queryable, Row, SqlText } from "./Driver.ts"
import { assignOwn, generatedFunction } from "./Generated.ts"

export interface PgDriverOptions {
  readonly connectionString: string
  readonly max?: number
  readonly connectionTimeoutMillis?: number
}

/** pg sends Buffers as bytea; a plain Uint8Array must become one first. */
const prepare = (params: ReadonlyArray<unknown> | undefined): Array<unknown> =>
  (params ?? []).map((p) =>
    p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p,
  )

type RowBuilder = (values: ReadonlyArray<unknown>) => Row

/**
 * A function that makes one row object from one array row, its keys written out as an object
 * literal: `(v) => ({ "ticket_id": v[0], "subject": v[1], … })`. The keys are the column names
 * PostgreSQL described, as JSON string literals (never code); a repeated name keeps its first
 * place and its last value, and `__proto__` is an own property, both as `pg` makes its row
 * objects. Why: `pg` makes each row by spreading a prebuilt object (`{ ...empty }`) and storing
 * every column by name, and in a process that reads many row shapes (the portal's ~100
 * statements) those spreads and stores are megamorphic: V8 takes its slow path for every row.
 * `bench:rows` (bench/rows.ts): the ticket list's 26 rows cost 21 µs that way once the process
 * has read 60 other shapes, 11 µs this way (docs/http-bench.md, "Ninth session"). Each literal
 * here is one site with one shape. Undefined where code generation is refused (Generated.ts).
 */
export const compileRowBuilder = (names: ReadonlyArray<string>): RowBuilder | undefined => {
  const last = new Map<string, number>()
  for (let i = 0; i < names.length; i++) last.set(names[i] as string, i)
  const entries = [...last].map(
    ([name, i]) => `${name === "__proto__" ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: v[${i}]`,
  )
  return generatedFunction(["v"], `return { ${entries.join(", ")} }`) as RowBuilder | undefined
}

/** The same rows by a loop (where code generation is refused, and past the bound below). */
export const loopRowBuilder =
  (names: ReadonlyArray<string>): RowBuilder =>
  (values) => {
    const row: Row = {}
    for (let i = 0; i < names.length; i++) assignOwn(row, names[i] as string, values[i])
    return row
  }

/** Compiled builders by column list; past the bound, a list is built by `loopRowBuilder`. */
const builders = new Map<string, RowBuilder>()
const MAX_BUILDERS = 2000

/**
 * Row objects from `pg`'s array rows, through the column list's compiled builder: the objects
 * `pg` itself makes (test/PgRows.test.ts compares both builders with `pg` over generated column
 * lists).
 */
export const rowObjects = <R extends Row>(
  fields: ReadonlyArray<{ readonly name: string }>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
): Array<R> => {
  let key = ""
  // A column name never holds NUL (PostgreSQL refuses it in identifiers and text).
  for (let i = 0; i < fields.length; i++) key += `${(fields[i] as { readonly name: string }).name}\u0000`
  let build = builders.get(key)
  if (build === undefined) {
    const names = fields.map((f) => f.name)
    if (builders.size < MAX_BUILDERS) {
      build = compileRowBuilder(names) ?? loopRowBuilder(names)
      builders.set(key, build)
    } else build = loopRowBuilder(names)
  }
  const out = new Array<R>(rows.length)
  for (let i = 0; i < rows.length; i++) out[i] = build(rows[i] as ReadonlyArray<unknown>) as R
  return out
}

/**
 * A named statement is prepared once per connection and then only bound and executed: the hot
 * reads skip parsing and planning (PostgreSQL keeps custom plans for the first five runs, then a
 * generic one when it costs no more). An unnamed one is parsed and planned on every call.
 * Rows come back as arrays (`rowMode: "array"`) and become objects in `rowObjects`.
 */
const queryable = (client: pg.Pool | pg.PoolClient): Queryable => ({
  query: async <R extends Row = Row>(sql: SqlText, params?: ReadonlyArray<unknown>) => {
    const result = await client.query<Array<unknown>>(
      typeof sql === "string" || sql.name === undefined
        ? { text: typeof sql === "string" ? sql : sql.text, values: prepare(params), rowMode: "array" }
        : { name: sql.name, text: sql.text, values: prepare(params), rowMode: "array" },
    )
    return rowObjects<R>(result.fields, result.rows)
  },
  exec: async (sql: string) => {
    await client.query(sql)
  },
})

export const makePgDriver = (options: PgDriverOptions): Driver => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    idleTimeoutMillis: 30_000,
  })
  // An idle client whose connection dies emits "error" on the pool; without a listener Node
  // would crash the process. The pool already removes that client, nothing else to do.
  pool.on("error", () => {})
  // Every connection also listens for its own errors from the moment the pool opens it, for its
  // whole life. The pool listens only while a client is idle, and whoever checks it out listens
  // only from when it gets it, which for `pool.connect()` (the transactions) is a promise
  // continuation, a microtask later. A client handed over inside the socket read that ended the
  // previous query (its ReadyForQuery makes the pool give it to the next waiter) is listened to by
  // nobody for the rest of that read: when the same read also holds the FATAL of a
  // pg_terminate_backend (both in one chunk: a busy process reads its socket late), Node threw
  // "Unhandled 'error' event" and the process died (P-DATA-3; test/Reconnect.test.ts). A client
  // that failed this way is no longer queryable: its holder's next statement fails, and the pool
  // discards it on release.
  pool.on("connect", (client) => {
    client.on("error", () => {})
  })
  const base = queryable(pool)
  return {
    kind: "pg",
    ...base,
    transaction: async (body) => {
      const client = await pool.connect()
      let broken: unknown
      // A connection that dies between two statements (pg_terminate_backend, a restart) emits
      // "error" (the listener above keeps that from crashing the process); remember it here: the
      // next statement fails (so the transaction fails, never acknowledged), and the client is
      // discarded, never given back to the pool.
      const onError = (error: unknown) => {
        broken = error
      }
      client.on("error", onError)
      try {
        await client.query("BEGIN")
        const result = await body(queryable(client))
        await client.query("COMMIT")
        return result
      } catch (error) {
        try {
          await client.query("ROLLBACK")
        } catch (rollbackError) {
          broken = rollbackError // the connection is gone: do not give it back to the pool
        }
        throw error
      } finally {
        client.off("error", onError)
        client.release(broken === undefined ? undefined : broken instanceof Error ? broken : new Error(String(broken)))
      }
    },
    close: () => pool.end(),
    listen: (channel, onPayload) => listenOn(options, channel, onPayload),
  }
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). A dropped
 * connection is reopened after a second, for as long as the listener is not stopped; a
 * notification sent while it was down is missed, which consumers tolerate (they read the events
 * table after their own cursor, and poll).
 */
const listenOn = async (
  options: PgDriverOptions,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<() => Promise<void>> => {
  let stopped = false
  let client: pg.Client | null = null
  let retry: NodeJS.Timeout | null = null
  const connect = async (): Promise<void> => {
    const c = new pg.Client({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    })
    const reconnect = () => {
      if (client === c) client = null
      c.end().catch(() => {})
      if (!stopped && retry === null)
        retry = setTimeout(() => {
          retry = null
          connect().catch(() => {})
        }, 1000)
    }
    c.on("error", reconnect)
    c.on("end", () => {
      if (!stopped && client === c) reconnect()
    })
    c.on("notification", (n) => {
      if (n.channel === channel && n.payload !== undefined) onPayload(n.payload)
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      client = c
    } catch {
      reconnect()
    }
  }
  await connect()
  return async () => {
    stopped = true
    if (retry !== null) clearTimeout(retry)
    const c = client
    client = null
    await c?.end().catch(() => {})
  }
}
