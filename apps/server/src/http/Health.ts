/**
 * `/healthz`: the process is up (no dependencies checked, for liveness probes).
 * `/readyz`: the store answers (a cheap read through WorkspaceStore), for readiness probes and
 * load balancers; 503 while the database is unreachable, and from the start of a graceful
 * shutdown (`{"status":"stopping"}`), so a load balancer sends nothing new.
 */

import type { PortalRuntime } from "@portal/api"
import { workspaceIds } from "@portal/core/usecases"
import { Effect, Exit } from "effect"
import { Router as makeRouter, type Router } from "express"

export const healthRoutes = (runtime: PortalRuntime, isDraining: () => boolean = () => false): Router => {
  const router = makeRouter()
  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store")
    res.json({ status: "ok" })
  })
  router.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store")
    if (isDraining()) return void res.status(503).json({ status: "stopping" })
    const exit = await runtime.runPromiseExit(workspaceIds().pipe(Effect.timeout("5 seconds")))
    if (Exit.isSuccess(exit)) res.json({ status: "ready", workspaces: exit.value.length })
    else res.status(503).json({ status: "unavailable" })
  })
  return router
}
