// The request's API caller and portal come from apps/server (see hooks.server.ts).
import type { IncomingMessage } from "node:http"
import type { PortalRequest } from "$lib/server/api"

declare global {
  namespace App {
    interface Locals {
      /** Set for every request the server resolved to a portal; null on an unknown host. */
      portalRequest: PortalRequest | null
    }
    interface Platform {
      req: IncomingMessage & { portalRequest?: PortalRequest }
    }
    interface Error {
      message: string
      /** An i18n key for the page to show; the message is the English fallback. */
      key?: string
    }
  }
}
