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

/** Before the SvelteKit handler: an unknown host gets 404 (P-DOM-1); the protocol header is ours. */
export const beforePages = (req: Request, res: Response, next: NextFunction) => {
  if (contextOf(req).portal === null)
    return res.status(404).type("html").send(page("No portal here", "No customer portal is set up on this address."))
  req.headers[PROTOCOL_HEADER] = req.protocol
  next()
}
