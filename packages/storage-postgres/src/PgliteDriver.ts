/**
 * The embedded driver: PGlite (PostgreSQL in WASM) in this process, persisted to a data folder
 * (PORTAL_DATA_DIR, default `.data/`) or kept in memory for tests. PGlite has one connection; it
 * queues concurrent queries itself and a transaction holds the connection until it ends.
 * Only one process may open a data folder at a time.
 */
import { mkdirSync } from "node:fs"
import { PGlite } from "@electric-sql/pglite"
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm"
import type { Driver, Queryable, Row } from "./Driver.ts"

/** A data folder path, or "memory" for a database that lives as long as the driver. */
export type PgliteLocation = string | "memory"

const queryable = (db: Pick<PGlite, "query" | "exec">): Queryable => ({
  query: async <R extends Row = Row>(sql: string, params?: ReadonlyArray<unknown>) =>
    (await db.query<R>(sql, params === undefined ? [] : [...params])).rows,
  exec: async (sql: string) => {
    await db.exec(sql)
  },
})

export const makePgliteDriver = async (location: PgliteLocation): Promise<Driver> => {
  if (location !== "memory") mkdirSync(location, { recursive: true })
  const db =
    location === "memory" ? new PGlite({ extensions: { pg_trgm } }) : new PGlite(location, { extensions: { pg_trgm } })
  await db.waitReady
  return {
    kind: "pglite",
    ...queryable(db),
    transaction: (body) => db.transaction((tx) => body(queryable(tx))),
    close: () => db.close(),
    listen: async (channel, onPayload) => {
      const stop = await db.listen(channel, onPayload)
      return async () => {
        await stop()
      }
    },
  }
}
