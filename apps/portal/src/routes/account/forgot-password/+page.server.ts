// Password reset, step 1 (P-AUTH-4): ask for a link. The answer never tells whether the email exists.
import { fail } from "@sveltejs/kit"
import { apiFailure, callerOf } from "$lib/server/api"
import { looksLikeEmail, text } from "$lib/server/forms"
import type { Actions } from "./$types"

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const caller = callerOf(locals)
    const email = text(await request.formData(), "email")
    if (!looksLikeEmail(email)) return fail(400, { email, sent: false, error: "auth.emailInvalid" as const })
    try {
      await caller.auth.requestPasswordReset({ email })
    } catch (e) {
      if (apiFailure(e)?.code === "TOO_MANY_REQUESTS")
        return fail(429, { email, sent: false, error: "auth.signIn.rateLimited" as const })
      throw e
    }
    return { email, sent: true, error: null }
  },
}
