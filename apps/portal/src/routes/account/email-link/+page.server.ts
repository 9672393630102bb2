// Sign-in by email link, step 1 (P-EXT-6): ask for a link. The answer never tells whether the
// email has an account (P-SEC-8). Where the portal does not offer it, the sign-in page is the way.
import { fail, redirect } from "@sveltejs/kit"
import { accessDeniedPath } from "$lib/i18n/refusal"
import { paths, withNext } from "$lib/paths"
import { apiFailure, callerOf, safeNext } from "$lib/server/api"
import { looksLikeEmail, text } from "$lib/server/forms"
import { requireShell } from "$lib/server/shell"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ parent, url }) => {
  const shell = requireShell(await parent())
  const next = safeNext(url.searchParams.get("next"), url)
  if (!shell.emailLink) redirect(303, withNext(paths.signIn, next))
  return { next }
}

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const email = text(data, "email")
    const next = safeNext(text(data, "next") || url.searchParams.get("next"), url)
    if (!looksLikeEmail(email)) return fail(400, { email, sent: false, error: "auth.emailInvalid" as const })
    try {
      await caller.auth.requestSignInLink({ email, next })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "FORBIDDEN") redirect(303, accessDeniedPath(failure))
      if (failure?.code === "TOO_MANY_REQUESTS")
        return fail(429, { email, sent: false, error: "auth.signIn.rateLimited" as const })
      if (failure?.code === "BAD_REQUEST") return fail(400, { email, sent: false, error: "auth.emailInvalid" as const })
      throw e
    }
    return { email, sent: true, error: null }
  },
}
