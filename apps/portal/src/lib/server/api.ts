/**
 * The glue with apps/server. For every request it resolved, the server sets
 * `req.portalRequest = { caller, portal, session, sessionEnded }` before handing the request to
 * this app; `caller` is `appRouter.createCaller(context)` for this request, so pages call the
 * same procedures as the browser does over /trpc, in-process, with the request's session.
 */
import type { PortalRequest } from "@portal/api"
import { schemaIssueCode } from "@portal/core/domain"
import { sameOriginPath } from "@portal/core/rules"
import { error, redirect } from "@sveltejs/kit"
import { paths, withNext } from "$lib/paths"

export type { PortalRequest }
export type Caller = PortalRequest["caller"]

/** One input issue: its field, a code of core's VALIDATION_CODES with params, the English message. */
export interface ApiIssue {
  readonly path: string
  readonly message: string
  readonly code?: string
  readonly params?: Readonly<Record<string, string | number>>
}

/** What an API error carries (ErrorMapper's public data). */
export interface ApiFailure {
  readonly code: string
  readonly message: string
  readonly reason?: string
  readonly action?: string
  readonly retryAfterSeconds?: number
  readonly issues?: ReadonlyArray<ApiIssue>
}

/** The failure of an API call, or null when `e` is not an API error (a bug: let it surface). */
export const apiFailure = (e: unknown): ApiFailure | null => {
  if (typeof e !== "object" || e === null || !("code" in e) || typeof e.code !== "string") return null
  if (!("name" in e) || !String(e.name).includes("TRPC")) return null
  const data = "publicData" in e && typeof e.publicData === "object" && e.publicData !== null ? e.publicData : {}
  const issuesFromCause = (() => {
    const cause = "cause" in e ? (e.cause as { issues?: unknown } | undefined) : undefined
    return Array.isArray(cause?.issues)
      ? cause.issues.map(
          (i: { message: string; path?: ReadonlyArray<unknown> }): ApiIssue => ({
            path: (i.path ?? [])
              .map((p) => String(typeof p === "object" && p !== null && "key" in p ? p.key : p))
              .join("."),
            // A schema failure in-process: the code of the check it names, as the HTTP error formatter does.
            code: schemaIssueCode(i.message),
            message: i.message,
          }),
        )
      : undefined
  })()
  return {
    code: e.code,
    message: "message" in e ? String(e.message) : e.code,
    ...data,
    ...(issuesFromCause && !("issues" in data) ? { issues: issuesFromCause } : {}),
  }
}

export const isCode = (e: unknown, code: string): boolean => apiFailure(e)?.code === code

/** The request's caller; a host the server did not resolve to a portal gets the 404 page (P-DOM-1). */
export const callerOf = (locals: App.Locals): Caller => {
  const request = locals.portalRequest
  if (!request?.portal) error(404, { message: "Not found", key: "noPortal" })
  return request.caller
}

/**
 * Where to come back to after sign-in (P-SEC-1): the path of this portal's origin that `value`
 * names as the browser reads it (core's `sameOriginPath`, re-serialized); "/" when it names none
 * or leaves the portal, and "/" ends on the ticket list.
 */
export const safeNext = (value: string | null | undefined, url: URL): string => sameOriginPath(value, url.origin, "/")

/**
 * The common answers to an API failure while loading a customer page: sign-in when there is no
 * session (saying why when it ended by itself), the access denied page, the same 404 for a
 * missing and an invisible ticket (P-VIS-4). Anything else is re-thrown.
 */
export const handleLoadFailure = (e: unknown, url: URL): never => {
  const failure = apiFailure(e)
  if (failure === null) throw e
  if (failure.code === "UNAUTHORIZED") {
    const ended = failure.reason === "session-idle"
    redirect(303, withNext(ended ? paths.sessionExpired : paths.signIn, url.pathname + url.search))
  }
  if (failure.code === "NOT_FOUND")
    error(
      404,
      failure.reason === "portalDisabled" ? { message: "Not available", key: "disabled" } : { message: "Not found" },
    )
  if (failure.code === "FORBIDDEN") {
    if (failure.reason === "agentPreview") error(403, { message: "Forbidden", key: "forbidden" })
    redirect(303, paths.accessDenied)
  }
  throw e
}
