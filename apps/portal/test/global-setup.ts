/**
 * Once for the portal-e2e project: build the portal if needed and start the real server; the
 * tests reach it through `inject("port")`. Without Chromium the tests skip (fail on CI).
 */
import type { TestProject } from "vitest/node"
import { skipReason } from "./support/env.ts"
import { ensureBuilt, startServer } from "./support/server.ts"

declare module "vitest" {
  export interface ProvidedContext {
    port: number
    skip: string | null
  }
}

export default async function setup(project: TestProject) {
  const skip = skipReason()
  project.provide("skip", skip)
  if (skip !== null) {
    console.warn(`[portal-e2e] skipped: ${skip}`)
    project.provide("port", 0)
    return
  }
  ensureBuilt()
  const server = await startServer()
  project.provide("port", server.port)
  return async () => {
    await server.stop()
  }
}
