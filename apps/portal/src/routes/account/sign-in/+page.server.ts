// Sign-in (P-AUTH-1/4): membership with email and password, or a hand-over to single sign-on.
// A refusal (AccessDenied: outside the access groups, an SSO portal …) goes to the access denied
// page with its code, which says why in the portal's language.
import { fail, redirect } from "@sveltejs/kit"
import { accessDeniedPath } from "$lib/i18n/refusal"
import { apiFailure, callerOf, safeNext } from "$lib/server/api"
import { looksLikeEmail, raw, text } from "$lib/server/forms"
import { requireShell } from "$lib/server/shell"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ parent, url }) => {
  const shell = requireShell(await parent())
  const next = safeNext(url.searchParams.get("next"), url)
  if (shell.viewer?.type === "contact") redirect(303, next === "/" ? `/${shell.slug}` : next)
  return { next, reset: url.searchParams.has("reset") }
}

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const email = text(data, "email")
    const password = raw(data, "password")
    const next = safeNext(text(data, "next") || url.searchParams.get("next"), url)
    if (!looksLikeEmail(email) || password.length === 0)
      return fail(400, { email, error: "auth.signIn.failed" as const })
    try {
      await caller.auth.signIn({ email, password })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "FORBIDDEN") redirect(303, accessDeniedPath(failure))
      if (failure?.code === "TOO_MANY_REQUESTS") return fail(429, { email, error: "auth.signIn.rateLimited" as const })
      if (failure?.code === "UNAUTHORIZED" || failure?.code === "BAD_REQUEST")
        return fail(400, { email, error: "auth.signIn.failed" as const })
      throw e
    }
    redirect(303, next === "/" ? `/${locals.portalRequest?.portal?.slug ?? ""}` : next)
  },
}
