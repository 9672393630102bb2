// The request's API caller and portal come from apps/server (see hooks.server.ts).
import type { IncomingMessage } from "node:http"
import type { PortalRequest } from "$lib/server/api"

declare global {
  namespace App {
    interface Locals {
      /** Set for every request the server resolved to a portal; null on an unknown host. */
      portalRequest: PortalRequest | null
      /**
       * P-DATA-3: set when the server could not resolve the request because the database is
       * unavailable (then portalRequest is null): every page answers the 503 page, in the language
       * the server last saw for this host or the browser's.
       */
      unavailable: { language: string } | null
    }
    interface Platform {
      req: IncomingMessage & { portalRequest?: PortalRequest; portalUnavailable?: { language: string } }
    }
    interface Error {
      message: string
      /** An i18n key for the page to show; the message is the English fallback. */
      key?: string
    }
  }
}
