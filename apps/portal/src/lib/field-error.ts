// A field's error as actions return it: a catalog key (our own checks) or the API's own text.
import type { MessageKey, Params, Translate } from "$lib/i18n"

export type FieldError = { readonly key: MessageKey; readonly params?: Params } | { readonly text: string }
export type FieldErrors = Readonly<Record<string, FieldError | undefined>>

export const showError = (t: Translate, error: FieldError | undefined | null): string | null =>
  error == null ? null : "key" in error ? t(error.key, error.params) : error.text
