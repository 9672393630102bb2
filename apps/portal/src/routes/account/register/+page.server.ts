// Self-registration (P-AUTH-3) with the consent notice of P-CON: the box must be ticked. The API
// answers alike for a new email, a known contact and one that already has a login, and starts no
// session (no account enumeration); the page then says "check your email": the login exists only
// once the link mailed to the address is used (/account/verify). Errors name their field
// ("First name is required.", the consent box's own message); a refusal (AccessDenied) goes to
// the access denied page with its code, which says why.
import { fail, redirect } from "@sveltejs/kit"
import type { FieldError } from "$lib/field-error"
import { accessDeniedPath } from "$lib/i18n/refusal"
import { apiFailure, callerOf, safeNext } from "$lib/server/api"
import { fieldErrors, looksLikeEmail, MIN_PASSWORD, raw, text } from "$lib/server/forms"
import { requireShell } from "$lib/server/shell"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ parent, url }) => {
  const shell = requireShell(await parent())
  if (shell.viewer?.type === "contact") redirect(303, `/${shell.slug}`)
  return { open: shell.selfRegistration, consent: shell.consent, next: safeNext(url.searchParams.get("next"), url) }
}

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const caller = callerOf(locals)
    const info = await caller.portal.info()
    if (!info.access.selfRegistration)
      return fail(403, {
        values: {},
        errors: {} as Record<string, FieldError>,
        error: "auth.register.notAllowed" as const,
      })
    const data = await request.formData()
    const values = { email: text(data, "email"), firstName: text(data, "firstName"), lastName: text(data, "lastName") }
    const password = raw(data, "password")
    const consent = data.get("consent") === "yes"
    const errors: Record<string, FieldError> = {}
    if (!looksLikeEmail(values.email)) errors.email = { key: "auth.emailInvalid" }
    if (values.firstName === "") errors.firstName = { key: "validation.required" }
    if (password.length < MIN_PASSWORD)
      errors.password = { key: "auth.passwordTooShort", params: { min: MIN_PASSWORD } }
    if (!consent) errors.consent = { key: "auth.register.consentRequired" }
    if (Object.keys(errors).length > 0) return fail(400, { values, errors, error: null })
    try {
      await caller.auth.register({ ...values, password, consent })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "TOO_MANY_REQUESTS")
        return fail(429, { values, errors: {}, error: "auth.signIn.rateLimited" as const })
      if (failure?.code === "FORBIDDEN") redirect(303, accessDeniedPath(failure))
      if (failure?.code === "BAD_REQUEST") {
        const apiErrors = fieldErrors(failure)
        // P-CON-2: the API's consent_required is the consent box's own message.
        if (apiErrors.consent) apiErrors.consent = { key: "auth.register.consentRequired" }
        return fail(400, { values, errors: apiErrors, error: null })
      }
      throw e
    }
    return { registered: true as const, email: values.email }
  },
}
