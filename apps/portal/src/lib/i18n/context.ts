// The translator of the current page, shared through Svelte's component context so that no
// request ever sees another's language (server rendering is shared between requests).
import { getContext, setContext } from "svelte"
import { createI18n, type I18n, type Lang } from "./index.ts"

const key = Symbol("i18n")

export const provideI18n = (lang: Lang, timeZone: string | null): I18n => setContext(key, createI18n(lang, timeZone))

export const useI18n = (): I18n => {
  const i18n = getContext<I18n | undefined>(key)
  if (!i18n) throw new Error("useI18n() outside the root layout")
  return i18n
}
