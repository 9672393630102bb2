// Agent sign-in for the settings screens (P-SET-1). Agents sign in on the portal's own host.
import { fail, redirect } from "@sveltejs/kit"
import { paths } from "$lib/paths"
import { apiFailure, callerOf } from "$lib/server/api"
import { looksLikeEmail, raw, text } from "$lib/server/forms"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ parent, url }) => {
  const { shell } = await parent()
  if (shell?.viewer?.type === "agent") redirect(303, paths.admin)
  return { signedOut: url.searchParams.has("signedOut") }
}

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const email = text(data, "email")
    const password = raw(data, "password")
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
    redirect(303, paths.admin)
  },
}
