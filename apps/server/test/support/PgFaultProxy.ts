/**
 * A TCP proxy in front of the test PostgreSQL server that reads the client's side of the wire
 * protocol, to make the database go away deterministically for a test:
 * - `stop()` / `start()`: every connection is cut and new ones are refused (the whole server
 *   unreachable), then accepted again on the same port;
 * - `refuse(rule)`: from then on, a statement for which `rule` is true (its prepared name and its
 *   SQL text) ends its connection before it reaches the server, as a server that goes away in the
 *   middle of a request would (the driver sees "Connection terminated": StorageUnavailable).
 *   `refuse(null)` lets everything through again.
 * Simple (Q), extended (Parse P, Bind B of a named statement) queries are read; nothing is changed.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net"

export interface Statement {
  /** The prepared statement's name ("" for an unnamed one). */
  readonly name: string
  readonly text: string
}

export type Rule = (statement: Statement) => boolean

export interface PgFaultProxy {
  readonly port: number
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
  readonly refuse: (rule: Rule | null) => void
  /** Statements refused since the proxy started. */
  readonly refused: () => ReadonlyArray<Statement>
}

/** SSLRequest, GSSENCRequest: the client sends its startup message after the answer. */
const NEGOTIATIONS = new Set([80877103, 80877104])

const cString = (buf: Buffer, at: number): [string, number] => {
  const end = buf.indexOf(0, at)
  return end < 0 ? [buf.toString("utf8", at), buf.length] : [buf.toString("utf8", at, end), end + 1]
}

export const startPgFaultProxy = async (target: { host: string; port: number }): Promise<PgFaultProxy> => {
  const sockets = new Set<Socket>()
  const refusedLog: Array<Statement> = []
  let rule: Rule | null = null
  let server: Server | undefined
  let port = 0

  const connection = (client: Socket) => {
    const upstream = createConnection(target)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      socket.on("error", () => {})
    }
    const cut = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on("close", () => upstream.destroy())
    upstream.on("close", () => client.destroy())
    upstream.pipe(client)

    let startup = true
    let pending = Buffer.alloc(0)
    const prepared = new Map<string, string>()
    const statementOf = (type: number, message: Buffer): Statement | null => {
      if (type === 0x51 /* Q */) return { name: "", text: cString(message, 5)[0] }
      if (type === 0x50 /* P */) {
        const [name, next] = cString(message, 5)
        const text = cString(message, next)[0]
        prepared.set(name, text)
        return { name, text }
      }
      if (type === 0x42 /* B */) {
        const [, next] = cString(message, 5)
        const name = cString(message, next)[0]
        return { name, text: prepared.get(name) ?? "" }
      }
      return null
    }
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      let complete = 0
      for (;;) {
        const rest = pending.subarray(complete)
        if (startup) {
          if (rest.length < 8) break
          const length = rest.readInt32BE(0)
          if (rest.length < length) break
          if (!NEGOTIATIONS.has(rest.readInt32BE(4))) startup = false
          complete += length
          continue
        }
        if (rest.length < 5) break
        const total = 1 + rest.readInt32BE(1)
        if (rest.length < total) break
        const statement = statementOf(rest[0] ?? 0, rest.subarray(0, total))
        if (statement !== null && rule?.(statement)) {
          refusedLog.push(statement)
          return cut()
        }
        complete += total
      }
      if (complete > 0) {
        upstream.write(pending.subarray(0, complete))
        pending = pending.subarray(complete)
      }
    })
  }

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer(connection)
      s.once("error", reject)
      s.listen(port, "127.0.0.1", () => {
        const address = s.address()
        if (typeof address === "object" && address !== null) port = address.port
        server = s
        resolve()
      })
    })
  await listen()
  return {
    get port() {
      return port
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        if (server === undefined) return resolve()
        server.close(() => resolve())
        server = undefined
      }),
    start: listen,
    refuse: (next) => {
      rule = next
    },
    refused: () => refusedLog,
  }
}
