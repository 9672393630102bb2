/**
 * A tiny typed i18n module (P-DOM-4): one catalog per language, `t(key, params)` with `{name}`
 * placeholders, and Intl formatters for dates and sizes. The portal has one language, its
 * domain's; the root layout puts the translator in the component context (see context.ts).
 */
import { en, type MessageKey } from "./en.ts"
import { ja } from "./ja.ts"

export type { MessageKey } from "./en.ts"
export const languages = ["en", "ja"] as const
export type Lang = (typeof languages)[number]
export const catalogs: Record<Lang, Record<MessageKey, string>> = { en, ja }

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

export const isLang = (value: unknown): value is Lang => value === "en" || value === "ja"

export const interpolate = (template: string, params: Params = {}): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))

export interface I18n {
  readonly lang: Lang
  readonly t: Translate
  /** Date and time, e.g. "Oct 2, 2026, 10:00" / "2026/10/02 10:00". */
  readonly dateTime: (iso: string) => string
  /** Date only, for the list's columns. */
  readonly date: (iso: string) => string
  readonly fileSize: (bytes: number) => string
  /** An idle timeout in words: "20 minutes", "24 hours". */
  readonly duration: (minutes: number) => string
}

export const createI18n = (lang: Lang): I18n => {
  const catalog = catalogs[lang]
  const t: Translate = (key, params) => interpolate(catalog[key] ?? en[key] ?? key, params)
  const dateTimeFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" })
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium" })
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })
  const safe = (format: Intl.DateTimeFormat) => (iso: string) => {
    const ms = Date.parse(iso)
    return Number.isNaN(ms) ? iso : format.format(ms)
  }
  return {
    lang,
    t,
    dateTime: safe(dateTimeFormat),
    date: safe(dateFormat),
    fileSize: (bytes) =>
      bytes < 1024
        ? t("file.size.b", { n: bytes })
        : bytes < 1024 * 1024
          ? t("file.size.kb", { n: number.format(bytes / 1024) })
          : t("file.size.mb", { n: number.format(bytes / (1024 * 1024)) }),
    duration: (minutes) =>
      minutes % 60 === 0 && minutes >= 120
        ? t("duration.hours", { n: minutes / 60 })
        : t("duration.minutes", { n: minutes }),
  }
}
