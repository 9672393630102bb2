/**
 * A statement-recording driver wrapper for the HTTP benchmark (bench/http-bench.ts): every SQL
 * statement the portal's stores send is counted, and while recording is on, kept with its
 * parameters and its transaction (BEGIN/COMMIT, which the driver sends itself, are recorded as
 * statements of their own). The same-statements baseline replays what it records.
 */
import type { Driver, Queryable } from "@portal/storage-postgres"

export interface Statement {
  readonly text: string
  /** The name of a named prepared statement, when the portal sent it as one. */
  readonly name?: string
  readonly params: ReadonlyArray<unknown>
  /** The number of the transaction it ran in (1, 2, … per recording), or 0 outside one. */
  readonly tx: number
}

export interface Recorder {
  /** Statements sent so far (BEGIN and COMMIT included). */
  statements: number
  /** Non-null while recording. */
  recording: Array<Statement> | null
  transactions: number
}

export const makeRecorder = (): Recorder => ({ statements: 0, recording: null, transactions: 0 })

const recorded = (q: Queryable, r: Recorder, tx: number): Queryable => ({
  query: (sql, params) => {
    r.statements++
    r.recording?.push(
      typeof sql === "string"
        ? { text: sql, params: [...(params ?? [])], tx }
        : { text: sql.text, ...(sql.name === undefined ? {} : { name: sql.name }), params: [...(params ?? [])], tx },
    )
    return q.query(sql, params)
  },
  exec: (text) => {
    r.statements++
    r.recording?.push({ text, params: [], tx })
    return q.exec(text)
  },
})

export const recordingDriver = (d: Driver, r: Recorder): Driver => ({
  ...recorded(d, r, 0),
  kind: d.kind,
  transaction: (body) => {
    const tx = r.recording === null ? 0 : ++r.transactions
    r.statements++
    r.recording?.push({ text: "BEGIN", params: [], tx })
    return d
      .transaction((q) => body(recorded(q, r, tx)))
      .finally(() => {
        r.statements++
        r.recording?.push({ text: "COMMIT", params: [], tx })
      })
  },
  close: () => d.close(),
})

/** Run `f` with recording on: the statements it sent, in order. */
export const recordDuring = async (r: Recorder, f: () => Promise<unknown>): Promise<ReadonlyArray<Statement>> => {
  r.recording = []
  r.transactions = 0
  try {
    await f()
    return r.recording
  } finally {
    r.recording = null
  }
}
