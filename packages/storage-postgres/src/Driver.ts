/**
 * The tiny driver interface both back ends implement (query, transaction, close), so the stores
 * hold one code path and one SQL dialect: `pg` (a Pool on a PostgreSQL server) or PGlite
 * (PostgreSQL in WASM, in-process, one connection). Stores never see which one they run on.
 */

export type Row = Record<string, unknown>

/** SQL text, or text with a name: a named prepared statement where the driver has them (`pg`). */
export type SqlText = string | { readonly text: string; readonly name?: string | undefined }

export interface Queryable {
  /** One statement with `$1…` parameters; returns its rows. */
  readonly query: <R extends Row = Row>(sql: SqlText, params?: ReadonlyArray<unknown>) => Promise<ReadonlyArray<R>>
  /** Several statements, no parameters (migrations, resets). */
  readonly exec: (sql: string) => Promise<void>
}

export interface Driver extends Queryable {
  readonly kind: "pg" | "pglite"
  /** Runs `body` in BEGIN … COMMIT on one connection; ROLLBACK when it throws. */
  readonly transaction: <A>(body: (tx: Queryable) => Promise<A>) => Promise<A>
  readonly close: () => Promise<void>
  /**
   * Hear NOTIFY on a channel (events.md: `portal_events`): PGlite's own listener, or a dedicated
   * connection on a PostgreSQL server that reconnects when dropped. Resolves to a stop function.
   * Optional: a driver without it (test proxies) gives only in-process wake-ups.
   */
  readonly listen?: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>
}

/** int8 / numeric come back as string (pg) or number (PGlite). */
export const toNumber = (value: unknown): number => {
  const n = typeof value === "number" ? value : Number(value)
  if (!Number.isFinite(n)) throw new TypeError(`Expected a number, got ${String(value)}`)
  return n
}
