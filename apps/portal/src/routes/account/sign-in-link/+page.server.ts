// Sign-in by email link, step 2 (P-EXT-6): the emailed link opens this page. A GET only shows a
// "Sign in" button (a mail scanner that prefetches the link uses nothing); its POST (no
// JavaScript needed) uses the token once and starts the same session as a password sign-in,
// then goes to `next` when it is a path of this portal (P-SEC-1). The form posts to the bare path:
// the token travels in the body, never in a URL.
import { fail, redirect } from "@sveltejs/kit"
import { accessDeniedPath } from "$lib/i18n/refusal"
import { apiFailure, callerOf, safeNext } from "$lib/server/api"
import { text } from "$lib/server/forms"
import { requireShell } from "$lib/server/shell"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ parent, url, setHeaders }) => {
  requireShell(await parent())
  // The token is in this page's URL: its requests (scripts, styles, the POST) send only the
  // origin as Referer (as the registration link's page, account/verify).
  setHeaders({ "referrer-policy": "strict-origin" })
  return { token: url.searchParams.get("token") ?? "", next: safeNext(url.searchParams.get("next"), url) }
}

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const token = text(data, "token")
    const next = safeNext(text(data, "next") || url.searchParams.get("next"), url)
    if (token.length === 0 || token.length > 512) return fail(400, { error: "auth.link.invalid" as const })
    try {
      await caller.auth.signInWithLink({ token })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "FORBIDDEN") redirect(303, accessDeniedPath(failure))
      if (failure?.code === "BAD_REQUEST") return fail(400, { error: "auth.link.invalid" as const })
      throw e
    }
    redirect(303, next === "/" ? `/${locals.portalRequest?.portal?.slug ?? ""}` : next)
  },
}
