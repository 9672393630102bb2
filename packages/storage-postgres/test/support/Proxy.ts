/**
 * A TCP proxy in front of the test server that can be stopped and started again on the same
 * port: the adapter sees the database go away (refused / reset connections) and come back.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net"

export interface TcpProxy {
  readonly port: number
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
}

export const startProxy = async (target: { host: string; port: number }): Promise<TcpProxy> => {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = createConnection(target)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
          socket.on("error", () => {})
        }
        client.pipe(upstream).pipe(client)
        client.on("close", () => upstream.destroy())
        upstream.on("close", () => client.destroy())
      })
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
  }
}
