/**
 * The bare Express application of a test world (App.ts `createApp`), on its own port over the
 * world's runtime: what the lanes of the world's server (`createPortalApp().listener`) must answer
 * like (test/fast-lane.test.ts, test/page-lane.test.ts).
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { makeApiTokens } from "@portal/api"
import type { Handler } from "express"
import { pino } from "pino"
import { createApp } from "../../src/App.ts"
import { Client } from "./Http.ts"
import { WORLD_SECRET, type World } from "./World.ts"

export interface ExpressTwin {
  readonly port: number
  /** A client of the twin holding the same cookies as `of` (signed in as the same user). */
  readonly clientLike: (of: Client) => Client
  readonly close: () => Promise<void>
}

export const startExpressTwin = async (world: World, pages: Handler | null): Promise<ExpressTwin> => {
  const app = createApp({
    runtime: world.server.runtime,
    logger: pino({ level: "silent" }),
    apiTokens: makeApiTokens([]),
    secret: WORLD_SECRET,
    trustProxy: 0,
    pages,
  })
  const server = createServer(app).listen(0, "127.0.0.1")
  await new Promise<void>((resolve) => server.once("listening", resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    clientLike: (of) => {
      const client = new Client(port)
      for (const [k, v] of of.cookies) client.cookies.set(k, v)
      return client
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
