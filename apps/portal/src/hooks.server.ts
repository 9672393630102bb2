/**
 * Every request: take the API caller the server prepared (`platform.req.portalRequest`, see
 * lib/server/api.ts) into `locals`, and set `<html lang>` to the portal's language (P-DOM-4).
 * P-DATA-3: while the database is unavailable every page answers 503 with Retry-After, never a
 * 500: the caller turns the API's SERVICE_UNAVAILABLE into the 503 page (`unavailableAsPage`),
 * and a request the server could not resolve at all comes with `portalUnavailable`.
 */
import type { Handle, HandleServerError } from "@sveltejs/kit"
import { isLang } from "$lib/i18n"
import { unavailableAsPage } from "$lib/server/api"

/** Seconds a client is told to wait before trying a page again while the database is unavailable. */
const RETRY_AFTER_SECONDS = 5

export const handle: Handle = async ({ event, resolve }) => {
  const request = event.platform?.req?.portalRequest ?? null
  const unavailable = event.platform?.req?.portalUnavailable ?? null
  // Object.assign, not { ...request, caller }: Node 20's spread-then-key is 1–2 µs (docs/http-bench.md).
  event.locals.portalRequest =
    request === null ? null : Object.assign({}, request, { caller: unavailableAsPage(request.caller) })
  event.locals.unavailable = request === null ? unavailable : null
  const language = request?.portal?.language ?? event.locals.unavailable?.language
  const lang = isLang(language) ? language : "en"
  // app.html says lang="en": only another language rewrites the page (a copy of its whole HTML,
  // ~60 KB of the list page's allocations: bench/http/page-render.ts).
  const response = await resolve(
    event,
    lang === "en"
      ? undefined
      : { transformPageChunk: ({ html }) => html.replace('<html lang="en">', `<html lang="${lang}">`) },
  )
  if (response.status === 503 && !response.headers.has("retry-after"))
    response.headers.set("retry-after", String(RETRY_AFTER_SECONDS))
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
