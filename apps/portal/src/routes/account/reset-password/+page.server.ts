// Password reset, step 2: the single-use link of the email sets a new password.
import { fail, redirect } from "@sveltejs/kit"
import { type FieldError, issueError } from "$lib/field-error"
import { paths } from "$lib/paths"
import { apiFailure, callerOf } from "$lib/server/api"
import { MIN_PASSWORD, raw, text } from "$lib/server/forms"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get("token") ?? "" })

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const token = text(data, "token")
    const password = raw(data, "password")
    if (password.length < MIN_PASSWORD)
      return fail(400, {
        error: null,
        passwordError: { key: "auth.passwordTooShort", params: { min: MIN_PASSWORD } } as FieldError,
      })
    try {
      await caller.auth.resetPassword({ token, password })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "TOO_MANY_REQUESTS")
        return fail(429, { error: "auth.signIn.rateLimited" as const, passwordError: null })
      const passwordIssue = failure?.issues?.find((i) => i.path === "password")
      if (passwordIssue) return fail(400, { error: null, passwordError: issueError(passwordIssue) })
      if (failure?.code === "BAD_REQUEST")
        return fail(400, { error: "auth.reset.invalid" as const, passwordError: null })
      throw e
    }
    redirect(303, `${paths.signIn}?reset=1`)
  },
}
