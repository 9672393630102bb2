/**
 * The pages after the API routes: the SvelteKit handler of apps/portal when it is built
 * (apps/portal/build/handler.js), else minimal system pages so that SSO refusals and unknown
 * hosts still answer properly. The SvelteKit handler gets the request's protocol through a header
 * this server sets itself (its CSRF origin check needs it), never the client's.
 */
import { existsSync } from "node:fs"
import { pathToFileURL } from "node:url"
import type { Handler, NextFunction, Request, Response } from "express"
import { contextOf } from "./RequestContext.ts"
import { ACCESS_DENIED_PATH } from "./SsoCommon.ts"

export const PROTOCOL_HEADER = "x-portal-protocol"

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`

/** Without a SvelteKit build: the access denied page, else 404. */
export const fallbackPages: Handler = (req: Request, res: Response) => {
  if (req.path === ACCESS_DENIED_PATH)
    return res.status(403).type("html").send(page("Access denied", "Your account does not have access to this portal."))
  res.status(404).type("html").send(page("Not found", "This page does not exist."))
}

/** Load the SvelteKit handler if the portal app is built; null otherwise. */
export const loadSvelteKitHandler = async (handlerPath: string): Promise<Handler | null> => {
  if (!existsSync(handlerPath)) return null
  process.env.PROTOCOL_HEADER ??= PROTOCOL_HEADER
  process.env.HOST_HEADER ??= "host"
  process.env.BODY_SIZE_LIMIT ??= String(40 * 1024 * 1024)
  const module = (await import(pathToFileURL(handlerPath).href)) as { handler: Handler }
  return module.handler
}

/**
 * What the pages need before the SvelteKit handler: a portal on the host (P-DOM-1), and the
 * protocol header, ours (set here; false: the host has no portal, beforePages answers).
 */
export const pagesMayServe = (req: Request): boolean => {
  if (contextOf(req).portal === null) return false
  req.headers[PROTOCOL_HEADER] = req.protocol
  return true
}

/** Before the SvelteKit handler: an unknown host gets 404 (P-DOM-1); the protocol header is ours. */
export const beforePages = (req: Request, res: Response, next: NextFunction) => {
  if (!pagesMayServe(req))
    return res.status(404).type("html").send(page("No portal here", "No customer portal is set up on this address."))
  next()
}

/**
 * The first path segments the routes in front of the pages answer (App.ts): health, unsubscribe,
 * the JSON API, tRPC, SSO, files, agent events. Express matches them case-insensitively.
 */
const ROUTED_SEGMENTS: ReadonlyArray<string> = [
  "healthz",
  "readyz",
  "unsubscribe",
  "api",
  "trpc",
  "sso",
  "files",
  "agent",
]

/**
 * Whether a URL is surely a page's (App.ts's page lane serves it): its path starts with one "/",
 * its first segment does not begin with a routed one, in any case, and holds no escape ("%", a
 * backslash) that could spell one. Anything else goes through Express, which routes it as before.
 */
export const isLanePage = (url: string): boolean => {
  const q = url.indexOf("?")
  const path = q < 0 ? url : url.slice(0, q)
  if (!path.startsWith("/") || path.startsWith("//")) return false
  const end = path.indexOf("/", 1)
  const first = (end < 0 ? path.slice(1) : path.slice(1, end)).toLowerCase()
  if (first.includes("%") || first.includes("\\")) return false
  for (const routed of ROUTED_SEGMENTS) if (first.startsWith(routed)) return false
  return true
}
