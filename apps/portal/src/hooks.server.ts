/**
 * Every request: take the API caller the server prepared (`platform.req.portalRequest`, see
 * lib/server/api.ts) into `locals`, and set `<html lang>` to the portal's language (P-DOM-4).
 */
import type { Handle, HandleServerError } from "@sveltejs/kit"
import { isLang } from "$lib/i18n"

export const handle: Handle = async ({ event, resolve }) => {
  const request = event.platform?.req?.portalRequest ?? null
  event.locals.portalRequest = request
  const language = request?.portal?.language
  const lang = isLang(language) ? language : "en"
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('<html lang="en">', `<html lang="${lang}">`),
  })
  response.headers.set("x-content-type-options", "nosniff")
  // A page may ask for a stricter policy (the registration link's page: strict-origin, P-AUTH-3).
  if (!response.headers.has("referrer-policy")) response.headers.set("referrer-policy", "same-origin")
  // Pages show a customer's tickets: never store them in a shared cache.
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "private, no-store")
  return response
}

export const handleError: HandleServerError = ({ error, event, status }) => {
  // A client's bad request (a malformed percent-encoding is a 400) is not the server's fault: only
  // a 5xx is logged with its stack, so the log shows defects, not hostile URLs.
  if (status >= 500) console.error(`[portal] ${event.request.method} ${event.url.pathname}:`, error)
  return { message: status === 404 ? "Not found" : status < 500 ? "Bad request" : "Internal error" }
}
