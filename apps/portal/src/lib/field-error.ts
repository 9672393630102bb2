// A field's error as actions return it: a catalog key (our own checks and the API's issues with a
// code the catalogs translate) or, for an issue the catalogs do not know, the API's own text.
import type { MessageKey, Params, Translate } from "$lib/i18n"
import { type IssueLike, issueMessage } from "$lib/i18n/validation"

export type FieldError = { readonly key: MessageKey; readonly params?: Params } | { readonly text: string }
export type FieldErrors = Readonly<Record<string, FieldError | undefined>>

/** An API issue as a field error: `validation.<code>` with its params, else its message. */
export const issueError = (issue: IssueLike): FieldError => issueMessage(issue) ?? { text: issue.message }

export const showError = (t: Translate, error: FieldError | undefined | null): string | null =>
  error == null ? null : "key" in error ? t(error.key, error.params) : error.text
