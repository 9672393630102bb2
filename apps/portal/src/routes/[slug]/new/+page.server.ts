// New request (P-FORM): the connected support form; a submission creates one ticket (P-FORM-3)
// and the customer lands on it.

import { randomUUID } from "node:crypto"
import { error, fail, redirect } from "@sveltejs/kit"
import type { FieldError } from "$lib/field-error"
import { apiFailure, callerOf, handleLoadFailure } from "$lib/server/api"
import { fieldErrors } from "$lib/server/forms"
import type { Actions, PageServerLoad } from "./$types"

type Caller = ReturnType<typeof callerOf>

const formOf = async (caller: Caller, url: URL) => {
  try {
    const form = await caller.form.get()
    if (form === null) error(404, { message: "Not found" })
    return form
  } catch (e) {
    return handleLoadFailure(e, url)
  }
}

export const load: PageServerLoad = async ({ locals, url, parent }) => {
  await parent()
  return { form: await formOf(callerOf(locals), url), idempotencyKey: randomUUID() }
}

export const actions: Actions = {
  default: async ({ request, locals, params, url }) => {
    const caller = callerOf(locals)
    const form = await formOf(caller, url)
    const data = await request.formData()
    // The form's own fields only (the API refuses others); a checkbox posts "yes" or nothing.
    const shown: Record<string, string> = {}
    const values: Record<string, string | boolean> = {}
    const missing: Record<string, string> = {}
    for (const field of form.fields) {
      const raw = data.get(field.name)
      const value = typeof raw === "string" ? raw.trim() : ""
      shown[field.name] = value
      if (field.type === "checkbox") values[field.name] = value === "yes"
      else if (value !== "") values[field.name] = value
      if (field.required && (field.type === "checkbox" ? value !== "yes" : value === ""))
        missing[field.name] = field.label
    }
    if (Object.keys(missing).length > 0)
      return fail(400, { values: shown, missing, issues: {} as Record<string, FieldError> })
    let ticketId: string
    try {
      const created = await caller.form.submit({
        values,
        idempotencyKey: String(data.get("idempotencyKey") || randomUUID()),
      })
      ticketId = created.ticketId
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "BAD_REQUEST") {
        const issues = fieldErrors(failure, "values.")
        return fail(400, { values: shown, missing: {} as Record<string, string>, issues })
      }
      return handleLoadFailure(e, url)
    }
    redirect(303, `/${params.slug}/${encodeURIComponent(ticketId)}?done=created`)
  },
}
