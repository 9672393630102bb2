// P-AUTH-3: the registration link of the email. Opening it (GET) uses nothing, so a mail scanner
// that prefetches links cannot spend it: the page shows one button, whose POST uses the token
// once, creates the login, signs the customer in and goes to the ticket list. The token travels
// in the form's body, never in the POST's URL; the page's Referer is its origin only (+page.svelte).
// An unknown, used or expired link says so; a refusal (registration no longer offered) goes to
// the access denied page with its code.
import { fail, redirect } from "@sveltejs/kit"
import { accessDeniedPath } from "$lib/i18n/refusal"
import { apiFailure, callerOf } from "$lib/server/api"
import { text } from "$lib/server/forms"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = ({ url, setHeaders }) => {
  // The token is in this page's URL: every request the page makes (its scripts and styles, the
  // POST) sends only the origin as Referer. Not no-referrer: a form POST would then carry
  // "Origin: null", which SvelteKit refuses as a cross-site submission.
  setHeaders({ "referrer-policy": "strict-origin" })
  return { token: url.searchParams.get("token") ?? "" }
}

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const token = text(await request.formData(), "token")
    if (token === "") return fail(400, { error: "auth.verify.invalid" as const })
    try {
      await callerOf(locals).auth.completeRegistration({ token })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "FORBIDDEN") redirect(303, accessDeniedPath(failure))
      if (failure?.code === "TOO_MANY_REQUESTS") return fail(429, { error: "auth.signIn.rateLimited" as const })
      if (failure?.code === "BAD_REQUEST") return fail(400, { error: "auth.verify.invalid" as const })
      throw e
    }
    redirect(303, `/${locals.portalRequest?.portal?.slug ?? ""}`)
  },
}
