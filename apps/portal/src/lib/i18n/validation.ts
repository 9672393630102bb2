/**
 * The API's validation issues in the portal's language. Every issue (ValidationFailed's `issues`,
 * SetupIncomplete's `missingSteps`) carries a stable `code` from core's VALIDATION_CODES, the
 * `params` its text names, and an English `message`. The catalogs translate each code as
 * `validation.<code>` (test/i18n.test.ts checks that both cover every code); the English `message`
 * is shown only for a code the catalogs do not know (a newer server), or when the issue lacks a
 * parameter the translation needs.
 */
import { en, type MessageKey } from "./en.ts"
import type { Params } from "./index.ts"

/** What the portal reads of an issue; `code` and `params` are absent from older answers. */
export interface IssueLike {
  readonly path?: string
  readonly code?: string
  readonly message: string
  readonly params?: Readonly<Record<string, string | number>>
}

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)

/** The catalog key and params of an issue, or null when only its English message can be shown. */
export const issueMessage = (issue: IssueLike): { readonly key: MessageKey; readonly params: Params } | null => {
  if (!issue.code) return null
  const key = `validation.${issue.code}`
  if (!(key in en)) return null
  const params: Params = { ...issue.params }
  const template = en[key as MessageKey]
  return placeholders(template).every((name) => name in params) ? { key: key as MessageKey, params } : null
}

/** The issue's text with `t` (the page's translator). */
export const issueText = (t: (key: MessageKey, params?: Params) => string, issue: IssueLike): string => {
  const message = issueMessage(issue)
  return message ? t(message.key, message.params) : issue.message
}

/** A field's error as the pages hold it (lib/field-error.ts FieldError). */
type FieldErrorLike = { readonly key: MessageKey; readonly params?: Params } | { readonly text: string }

/**
 * A field's error that names its field where the general text does not: `required` (the page's
 * own check or the API's issue) reads "<label> is required." next to the field, or "Tick
 * “<label>”…" for a checkbox; any other error as its key or text says.
 */
export const namedFieldError = (
  t: (key: MessageKey, params?: Params) => string,
  error: FieldErrorLike | null | undefined,
  label: string,
  kind: "field" | "checkbox" = "field",
): string | null => {
  if (error == null) return null
  if (!("key" in error)) return error.text
  if (error.key === "validation.required")
    return t(kind === "checkbox" ? "form.checkboxRequired" : "form.fieldRequired", { field: label })
  return t(error.key, error.params)
}
