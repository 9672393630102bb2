/**
 * The agent pages' server side (P-AGT-1..5): who may use them and how API failures become pages.
 * Nobody signed in: the sign-in form at /agent (coming back afterwards). A customer, or an agent
 * without `tickets.work` (P-AGT-5; `portal.settings` alone does not give it): a 403 page saying
 * why, never a 500. The API checks the same again on every procedure.
 */
import { error, redirect } from "@sveltejs/kit"
import { paths, withNext } from "$lib/paths"
import { apiFailure, type Caller, callerOf } from "$lib/server/api"
import type { Shell } from "$lib/shell"

export interface AgentContext {
  readonly caller: Caller
  readonly agentId: string
}

/**
 * The signed-in agent who may work tickets, or null when nobody is signed in (then: sign in).
 * `shell` is the page's frame (its viewer's permissions); form actions pass null and leave the
 * permission to the API, whose FORBIDDEN becomes the same refusal page (agentFailure).
 */
export const agentOf = (locals: App.Locals, shell: Shell | null): AgentContext | null => {
  const caller = callerOf(locals)
  const subject = locals.portalRequest?.session?.subject ?? null
  if (subject === null) return null
  if (subject.type !== "agent") error(403, { message: "Forbidden", key: "agentCustomer" })
  if (shell !== null && !shell.viewer?.canWork) error(403, { message: "Forbidden", key: "agentForbidden" })
  return { caller, agentId: subject.id }
}

/** The sign-in page, coming back to `url` afterwards. */
export const signInFirst = (url: URL): never => redirect(303, withNext(paths.agent, url.pathname + url.search))

/** The answers to an API failure on an agent page; anything else is re-thrown (a bug: 500). */
export const agentFailure = (e: unknown, url: URL): never => {
  const failure = apiFailure(e)
  if (failure === null) throw e
  if (failure.code === "UNAUTHORIZED") return signInFirst(url)
  if (failure.code === "FORBIDDEN") error(403, { message: "Forbidden", key: "agentForbidden" })
  if (failure.code === "NOT_FOUND") error(404, { message: "Not found" })
  if (failure.code === "BAD_REQUEST") error(400, { message: "Bad request" })
  throw e
}

/** P-AGT-3: the API's answer to a change against an old version of the ticket. */
export const isVersionConflict = (e: unknown): boolean => {
  const failure = apiFailure(e)
  return failure?.code === "CONFLICT" && (failure.reason === "ticket_version_conflict" || failure.reason === undefined)
}
