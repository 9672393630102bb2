// New request (P-FORM): the connected support form; a submission creates one ticket (P-FORM-3)
// and the customer lands on it. A missing required field is named next to it ("Subject is
// required."); a form the API refuses (P-FORM-2) says why from its refusal code.
// P-EXT-1: the optional CC field (emails separated by commas, spaces or lines) shares the new
// ticket; a bad address is named under the field (the API's `cc.<i>` issues).
// P-EXT-3: files go with it (a multipart post, with or without JavaScript) under the API's reply
// limits; a file the API refuses is named under the file input and nothing is created.

import { randomUUID } from "node:crypto"
import { splitEmailList } from "@portal/core/rules"
import { error, fail, redirect } from "@sveltejs/kit"
import { type FieldError, issueError } from "$lib/field-error"
import type { MessageKey } from "$lib/i18n"
import { refusalCodeOf, refusalKey } from "$lib/i18n/refusal"
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

const required: FieldError = { key: "validation.required" }

/** The API's per-file limit (core's REPLY_MAX_FILE_BYTES); the API enforces it, the page says it. */
const MAX_FILE_BYTES = 10 * 1024 * 1024

export const load: PageServerLoad = async ({ locals, url, parent }) => {
  await parent()
  const { menuText, headerText, fields } = await formOf(callerOf(locals), url)
  // P-SEC-6: the page embeds what it shows, not the form's internal name or id.
  return { form: { menuText, headerText, fields }, idempotencyKey: randomUUID(), maxFileBytes: MAX_FILE_BYTES }
}

export const actions: Actions = {
  default: async ({ request, locals, params, url }) => {
    const caller = callerOf(locals)
    const form = await formOf(caller, url)
    const data = await request.formData()
    // The form's own fields only (the API refuses others); a checkbox posts "yes" or nothing.
    const shown: Record<string, string> = {}
    const values: Record<string, string | boolean> = {}
    const missing: Record<string, FieldError> = {}
    for (const field of form.fields) {
      const raw = data.get(field.name)
      const value = typeof raw === "string" ? raw.trim() : ""
      shown[field.name] = value
      if (field.type === "checkbox") values[field.name] = value === "yes"
      else if (value !== "") values[field.name] = value
      if (field.required && (field.type === "checkbox" ? value !== "yes" : value === "")) missing[field.name] = required
    }
    // At most 2,000 characters of CC text (the API refuses more than 50 addresses anyway).
    const ccText = String(data.get("cc") ?? "").slice(0, 2000)
    const cc = splitEmailList(ccText)
    if (Object.keys(missing).length > 0)
      return fail(400, { values: shown, cc: ccText, issues: missing, refusal: null as MessageKey | null })
    const files = data.getAll("files").filter((f): f is File => f instanceof File && f.size > 0 && f.name !== "")
    const attachments = await Promise.all(
      files.map(async (f) => ({
        name: f.name,
        contentType: f.type || "application/octet-stream",
        dataBase64: Buffer.from(await f.arrayBuffer()).toString("base64"),
      })),
    )
    let ticketId: string
    try {
      const created = await caller.form.submit({
        values,
        idempotencyKey: String(data.get("idempotencyKey") || randomUUID()),
        ...(cc.length === 0 ? {} : { cc }),
        ...(attachments.length === 0 ? {} : { attachments }),
      })
      ticketId = created.ticketId
    } catch (e) {
      const failure = apiFailure(e)
      // The API's issues by field (`values.<name>`), each shown next to its field.
      if (failure?.code === "BAD_REQUEST" || failure?.code === "PAYLOAD_TOO_LARGE") {
        // P-EXT-3: a file's problem (too large, too many) under the file input, by its code.
        const fileIssue = failure.issues?.find((i) => i.path.startsWith("attachments"))
        const issues = fieldErrors({ ...failure, issues: failure.issues?.filter((i) => i !== fileIssue) }, "values.")
        if (fileIssue !== undefined) issues.files = issueError(fileIssue)
        return fail(400, { values: shown, cc: ccText, issues, refusal: null as MessageKey | null })
      }
      if (failure?.code === "PRECONDITION_FAILED")
        return fail(409, {
          values: shown,
          cc: ccText,
          issues: {} as Record<string, FieldError>,
          refusal: refusalKey(refusalCodeOf(failure)) ?? ("form.unavailable" as MessageKey),
        })
      // P-SEC-3: this page's key already sent other values (e.g. back, edit, send): reload for a new one.
      if (failure?.code === "CONFLICT" && failure.reason === "idempotency_key_reused")
        return fail(409, {
          values: shown,
          cc: ccText,
          issues: {} as Record<string, FieldError>,
          refusal: "form.keyReused" as MessageKey,
        })
      return handleLoadFailure(e, url)
    }
    redirect(303, `/${params.slug}/${encodeURIComponent(ticketId)}?done=created`)
  },
}
