// The agent workspace's start (P-AGT-1): the sign-in form for agents (auth.agentSignIn), then
// the workspace's ticket list with its filters, sort and page in the URL (lib/agent/query.ts).
import { fail, redirect } from "@sveltejs/kit"
import type { FilterChoices } from "$lib/agent/choices"
import { positionFrom, queryOf } from "$lib/agent/query"
import { agentFailure, agentOf } from "$lib/agent/server"
import { paths } from "$lib/paths"
import { apiFailure, callerOf, safeNext } from "$lib/server/api"
import { looksLikeEmail, raw, text } from "$lib/server/forms"
import type { Actions, PageServerLoad } from "./$types"

const PAGE_SIZE = 25

export const load: PageServerLoad = async ({ locals, parent, url, depends }) => {
  depends("agent:list")
  const { shell } = await parent()
  const agent = agentOf(locals, shell)
  if (agent === null)
    return {
      signIn: true as const,
      next: url.searchParams.get("next") ?? "",
      signedOut: url.searchParams.has("signedOut"),
    }
  const query = queryOf(url.searchParams)
  const position = positionFrom(url.searchParams)
  const owner = query.owner === "me" || query.owner === "unassigned" || query.owner === "any" ? query.owner : null
  try {
    const listing = await agent.caller.agent.tickets.list({
      state: query.state,
      ...(query.pipelineId ? { pipelineId: query.pipelineId } : {}),
      ...(query.stageId ? { stageId: query.stageId } : {}),
      owner: owner ?? "any",
      ...(owner === null ? { ownerId: query.owner } : {}),
      ...(query.companyId ? { companyId: query.companyId } : {}),
      ...(query.requesterId ? { requesterId: query.requesterId } : {}),
      ...(query.q ? { search: query.q } : {}),
      sort: { column: query.sort, direction: query.dir },
      cursor: position.cursor,
      limit: PAGE_SIZE,
    })
    return {
      signIn: false as const,
      agentId: agent.agentId,
      tickets: listing.items,
      nextCursor: listing.nextCursor,
      counts: listing.counts,
      choices: listing.choices as FilterChoices,
      query,
      position,
    }
  } catch (e) {
    // A cursor or filter the API does not accept (an edited or outdated link): the first page, no filters.
    if (apiFailure(e)?.code === "BAD_REQUEST" && url.search !== "") redirect(303, paths.agent)
    return agentFailure(e, url)
  }
}

export const actions: Actions = {
  signIn: async ({ request, locals, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const email = text(data, "email")
    const password = raw(data, "password")
    const next = text(data, "next")
    if (!looksLikeEmail(email) || password === "") return fail(400, { email, error: "auth.signIn.failed" as const })
    try {
      await caller.auth.agentSignIn({ email, password })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "TOO_MANY_REQUESTS") return fail(429, { email, error: "auth.signIn.rateLimited" as const })
      if (failure?.code === "UNAUTHORIZED" || failure?.code === "BAD_REQUEST" || failure?.code === "FORBIDDEN")
        return fail(400, { email, error: "auth.signIn.failed" as const })
      throw e
    }
    // Back where the agent was going, if that is an agent page of this portal (P-SEC-1).
    const target = safeNext(next, url)
    redirect(
      303,
      target === paths.agent || target.startsWith(`${paths.agent}/`) || target.startsWith(`${paths.agent}?`)
        ? target
        : paths.agent,
    )
  },
}
