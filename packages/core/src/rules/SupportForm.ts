/**
 * The support form (P-FORM-1..3).
 * - P-FORM-2 Only an eligible form can be the portal's support form: it is connected to an inbox
 *   or help desk that exists, it carries ticket properties (at least one field fills `subject`, so
 *   every ticket gets a name), its field names are unique (values are keyed by name) and each
 *   select field offers at least one option (a required select without options can never be sent).
 * - P-FORM-3 A submission is validated field by field (required, type, select options, length;
 *   unknown fields are refused) before any ticket is created; every problem names its field.
 * - The new ticket gets its subject and content from the fields mapped to them, its other ticket
 *   properties from the other mapped fields. It is placed in the first open stage (pipelines in
 *   catalog order, stages in display order) that passes the portal's ticket filters (P-VIS-3): a
 *   ticket the customer just created and could not see would break P-FORM-3's "visible in the
 *   customer's portal". Usually that is the first pipeline's first open stage.
 */
import type { Form, FormField, Pipeline } from "../domain/Entities.ts"
import type { InboxId, PipelineId, StageId } from "../domain/Ids.ts"
import {
  type ActionRefusalCode,
  codePoints,
  type FieldIssue,
  fieldIssue,
  tooLong,
  type ValidationCode,
} from "../domain/Issues.ts"
import type { TicketFilter } from "../domain/PortalSettings.ts"
import { emailIssues } from "./Credentials.ts"
import { matchesFilters } from "./Visibility.ts"

export const TEXT_FIELD_MAX_LENGTH = 1_000
export const TEXTAREA_FIELD_MAX_LENGTH = 20_000

export type FormIneligibility =
  | "notConnected"
  | "inboxMissing"
  | "noSubjectField"
  | "duplicateFieldName"
  | "selectWithoutOptions"

/** Why a form cannot be the support form (empty: eligible). */
export const formIneligibility = (
  form: Pick<Form, "inboxId" | "fields">,
  inboxIds: ReadonlyArray<InboxId>,
): ReadonlyArray<FormIneligibility> => {
  const reasons: Array<FormIneligibility> = []
  if (form.inboxId === null) reasons.push("notConnected")
  else if (!inboxIds.includes(form.inboxId)) reasons.push("inboxMissing")
  if (!form.fields.some((f) => f.ticketProperty === "subject")) reasons.push("noSubjectField")
  if (new Set(form.fields.map((f) => f.name)).size !== form.fields.length) reasons.push("duplicateFieldName")
  if (form.fields.some((f) => f.type === "select" && (f.options ?? []).length === 0))
    reasons.push("selectWithoutOptions")
  return reasons
}

export const isFormEligible = (form: Pick<Form, "inboxId" | "fields">, inboxIds: ReadonlyArray<InboxId>): boolean =>
  formIneligibility(form, inboxIds).length === 0

/** The code a submission to an ineligible form is refused with (ActionNotAllowed, P-FORM-2). */
export const INELIGIBILITY_CODES = {
  notConnected: "form_not_connected",
  inboxMissing: "form_inbox_missing",
  noSubjectField: "form_no_subject_field",
  duplicateFieldName: "form_duplicate_field_name",
  selectWithoutOptions: "form_select_without_options",
} as const satisfies Record<FormIneligibility, ActionRefusalCode>

export const ineligibilityText = (reason: FormIneligibility): string => {
  switch (reason) {
    case "notConnected":
      return "The form is not connected to an inbox or help desk."
    case "inboxMissing":
      return "The form's inbox no longer exists."
    case "noSubjectField":
      return "The form has no field that fills the ticket's subject."
    case "duplicateFieldName":
      return "Two fields of the form have the same name."
    case "selectWithoutOptions":
      return "A select field of the form has no options."
  }
}

export type FormValue = string | number | boolean
export type FormValues = Readonly<Record<string, FormValue>>

const isBlank = (v: FormValue | undefined) =>
  v === undefined || v === false || (typeof v === "string" && v.trim().length === 0)

/** One field's value in canonical text form, or the problem with it (path filled in by the caller). */
const fieldValue = (field: FormField, raw: FormValue, path: string): { ok: string } | { issue: FieldIssue } => {
  const issue = (code: ValidationCode, message: string) => ({ issue: fieldIssue(path, code, message) })
  switch (field.type) {
    case "text":
    case "textarea": {
      if (typeof raw !== "string") return issue("expected_text", "Expected text.")
      const max = field.type === "text" ? TEXT_FIELD_MAX_LENGTH : TEXTAREA_FIELD_MAX_LENGTH
      return codePoints(raw) > max ? { issue: tooLong(path, max) } : { ok: raw.trim() }
    }
    case "email": {
      if (typeof raw !== "string") return issue("invalid_email", "Expected an email address.")
      const problem = emailIssues(raw, path)[0]
      return problem === undefined ? { ok: raw.trim() } : { issue: problem }
    }
    case "number": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : Number.NaN
      return Number.isFinite(n) ? { ok: String(n) } : issue("expected_number", "Expected a number.")
    }
    case "checkbox": {
      if (raw === true || raw === "true" || raw === "on") return { ok: "true" }
      if (raw === false || raw === "false") return { ok: "false" }
      return issue("expected_checkbox", "Expected checked or unchecked.")
    }
    case "select": {
      if (typeof raw !== "string" || !(field.options ?? []).includes(raw))
        return issue("invalid_option", "Choose one of the options.")
      return { ok: raw }
    }
  }
}

export type SubmissionCheck =
  | { readonly ok: true; readonly values: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly issues: ReadonlyArray<FieldIssue> }

/** P-FORM-3: validate a submission; the values keep the form's field order. Paths: `values.<name>`. */
export const checkSubmission = (form: Pick<Form, "fields">, values: FormValues): SubmissionCheck => {
  const issues: Array<FieldIssue> = []
  const out = new Map<string, string>()
  const known = new Set(form.fields.map((f) => f.name))
  for (const key of Object.keys(values))
    if (!known.has(key)) issues.push(fieldIssue(`values.${key}`, "unknown_field", "This form has no such field."))
  for (const field of form.fields) {
    const path = `values.${field.name}`
    const raw = Object.hasOwn(values, field.name) ? values[field.name] : undefined
    if (isBlank(raw)) {
      if (field.required) issues.push(fieldIssue(path, "required", "This field is required."))
      continue
    }
    const result = fieldValue(field, raw as FormValue, path)
    if ("issue" in result) issues.push(result.issue)
    else out.set(field.name, result.ok)
  }
  return issues.length === 0 ? { ok: true, values: out } : { ok: false, issues }
}

/** The ticket's subject, content and other properties from a checked submission. */
export const ticketFieldsOf = (
  form: Pick<Form, "name" | "fields">,
  values: ReadonlyMap<string, string>,
): { readonly subject: string; readonly content: string; readonly properties: Readonly<Record<string, string>> } => {
  let subject = ""
  let content = ""
  const properties: Record<string, string> = {}
  for (const field of form.fields) {
    const value = values.get(field.name)
    if (value === undefined || field.ticketProperty === null) continue
    if (field.ticketProperty === "subject") subject = value
    else if (field.ticketProperty === "content") content = value
    else properties[field.ticketProperty] = value
  }
  // An optional subject field left empty still needs a name in the list: the form's own name.
  return { subject: subject.length > 0 ? subject : form.name, content, properties }
}

/** The first message of the form thread: every answered field, "Label: value", in form order. */
export const submissionText = (form: Pick<Form, "fields">, values: ReadonlyMap<string, string>): string =>
  form.fields
    .filter((f) => values.has(f.name))
    .map((f) => `${f.label}: ${values.get(f.name)}`)
    .join("\n")

/** Where a new ticket goes so the customer sees it (null: the filters hide every open stage). */
export const placementForNewTicket = (
  pipelines: ReadonlyArray<Pick<Pipeline, "id" | "stages">>,
  filters: ReadonlyArray<TicketFilter>,
  properties: Readonly<Record<string, string>>,
): { readonly pipelineId: PipelineId; readonly stageId: StageId } | null => {
  for (const pipeline of pipelines)
    for (const stage of pipeline.stages)
      if (stage.state === "open" && matchesFilters({ pipelineId: pipeline.id, stageId: stage.id, properties }, filters))
        return { pipelineId: pipeline.id, stageId: stage.id }
  return null
}
