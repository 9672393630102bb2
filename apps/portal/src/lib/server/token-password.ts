// Setting a password from an emailed single-use link (invitation P-AUTH-2, reset P-AUTH-4):
// one form action for both pages; only the API call, the "link is invalid" message and where
// to go afterwards differ.
import { fail, type RequestEvent, redirect } from "@sveltejs/kit"
import { type FieldError, issueError } from "$lib/field-error"
import { accessDeniedPath } from "$lib/i18n/refusal"
import { apiFailure, callerOf } from "$lib/server/api"
import { MIN_PASSWORD, raw, text } from "$lib/server/forms"

type Caller = ReturnType<typeof callerOf>

export const tokenPasswordAction =
  <K extends string>(options: {
    readonly submit: (caller: Caller, input: { token: string; password: string }) => Promise<unknown>
    readonly invalidKey: K
    readonly doneUrl: (event: RequestEvent) => string
  }) =>
  async (event: RequestEvent) => {
    const caller = callerOf(event.locals)
    const data = await event.request.formData()
    const token = text(data, "token")
    const password = raw(data, "password")
    if (password.length < MIN_PASSWORD)
      return fail(400, {
        error: null,
        passwordError: { key: "auth.passwordTooShort", params: { min: MIN_PASSWORD } } as FieldError,
      })
    try {
      await options.submit(caller, { token, password })
    } catch (e) {
      const failure = apiFailure(e)
      // Refused entry (e.g. invitation_not_offered): the access denied page says why, by its code.
      if (failure?.code === "FORBIDDEN") redirect(303, accessDeniedPath(failure))
      if (failure?.code === "TOO_MANY_REQUESTS")
        return fail(429, { error: "auth.signIn.rateLimited" as const, passwordError: null })
      const passwordIssue = failure?.issues?.find((i) => i.path === "password")
      if (passwordIssue) return fail(400, { error: null, passwordError: issueError(passwordIssue) })
      if (failure?.code === "BAD_REQUEST") return fail(400, { error: options.invalidKey, passwordError: null })
      throw e
    }
    redirect(303, options.doneUrl(event))
  }
