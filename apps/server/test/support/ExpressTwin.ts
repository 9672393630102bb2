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
import { loadSvelteKitHandler } from "../../src/http/Pages.ts"
import { Client } from "./Http.ts"
import { CUSTOMER_PASSWORD, startWorld, WORLD_SECRET, type World } from "./World.ts"

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

/** A test world, its Express twin, and ken signed in on both: what the lane tests compare. */
export interface LanePair {
  readonly world: World
  readonly twin: ExpressTwin
  /** ken on the world's server (the lanes). */
  readonly viaLane: Client
  /** ken on the twin (the bare Express application), with the same session cookie. */
  readonly viaExpress: Client
  readonly close: () => Promise<void>
}

/** `portalHandler`: the built SvelteKit handler both serve (the page lane), or null for none. */
export const startLanePair = async (portalHandler: string | null): Promise<LanePair> => {
  const world = await startWorld(portalHandler === null ? {} : { portalHandler })
  const pages = portalHandler === null ? null : await loadSvelteKitHandler(portalHandler)
  if (portalHandler !== null && pages === null) throw new Error(`${portalHandler} is missing: run pnpm build`)
  const twin = await startExpressTwin(world, pages)
  const viaLane = world.client()
  await viaLane.signIn("ken@globex.test", CUSTOMER_PASSWORD)
  return {
    world,
    twin,
    viaLane,
    viaExpress: twin.clientLike(viaLane),
    close: async () => {
      await twin.close()
      await world.close()
    },
  }
}
