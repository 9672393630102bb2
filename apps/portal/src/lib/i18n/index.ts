/**
 * A tiny typed i18n module (P-DOM-4): one catalog per language, `t(key, params)` with `{name}`
 * placeholders, and Intl formatters for dates and sizes. The portal has one language, its
 * domain's, and one time zone (`portal.info`'s `timeZone`): dates are formatted in that zone on
 * the server and in the browser alike, so hydration never changes a date and every visitor reads
 * the team's times. The root layout puts the translator in the component context (see context.ts).
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
  /** The IANA zone dates are shown in. */
  readonly timeZone: string
  readonly t: Translate
  /** Date and time, e.g. "Oct 2, 2026, 10:00 AM UTC" / "2026/10/02 19:00 JST". */
  readonly dateTime: (iso: string) => string
  /** Date only, for the list's columns. */
  readonly date: (iso: string) => string
  readonly fileSize: (bytes: number) => string
  /** An idle timeout in words: "20 minutes", "24 hours". */
  readonly duration: (minutes: number) => string
}

/** The zone when none is given or the runtime does not know it (never the machine's own zone). */
export const FALLBACK_TIME_ZONE = "UTC"

const knownZone = (timeZone: string | null | undefined): string => {
  if (!timeZone) return FALLBACK_TIME_ZONE
  try {
    return new Intl.DateTimeFormat("en", { timeZone }).resolvedOptions().timeZone
  } catch {
    return FALLBACK_TIME_ZONE
  }
}

/** Texts each date formatter of a translator remembers (under 100 KB; 40 list pages of dates). */
const MAX_FORMATTED = 1000

const buildI18n = (lang: Lang, timeZone?: string | null): I18n => {
  const catalog = catalogs[lang]
  // Without parameters the message is as written (a page asks for hundreds, most without any).
  const t: Translate = (key, params) => {
    const template = catalog[key] ?? en[key] ?? key
    return params === undefined ? template : interpolate(template, params)
  }
  const zone = knownZone(timeZone)
  // Times name their zone ("10:00 UTC", "19:00 JST"): a reader in another zone is not misled.
  const dateTimeFormat = new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: lang === "ja" ? "2-digit" : "short",
    day: lang === "ja" ? "2-digit" : "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone: zone,
  })
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: zone })
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })
  // Each distinct text formatted once: Intl's format is 1–3 µs a date and a list page shows 50
  // (bench/http/page-render.ts), mostly the same ones request after request. The formatters are
  // pure, so a remembered text is the one formatting would give. Bounded: emptied when full.
  const safe = (format: (ms: number) => string) => {
    const formatted = new Map<string, string>()
    return (iso: string): string => {
      const known = formatted.get(iso)
      if (known !== undefined) return known
      const ms = Date.parse(iso)
      const text = Number.isNaN(ms) ? iso : format(ms)
      if (formatted.size >= MAX_FORMATTED) formatted.clear()
      formatted.set(iso, text)
      return text
    }
  }
  // The time, its AM/PM and the zone's name stay on one line ("9:05 AM UTC", "18:17 JST"): a
  // narrow column breaks after the date. One kind of space also makes the server's text (Node's
  // ICU writes U+202F before AM) and the browser's (Chromium writes a plain space) the same.
  const withZone = (ms: number) => {
    const parts = dateTimeFormat.formatToParts(ms)
    const hour = parts.findIndex((part) => part.type === "hour")
    return parts
      .map((part, i) => (i > hour && part.type === "literal" ? part.value.replace(/\s/g, "\u00a0") : part.value))
      .join("")
  }
  // Frozen: one object serves every request of the portal.
  return Object.freeze<I18n>({
    lang,
    timeZone: zone,
    t,
    dateTime: safe(withZone),
    date: safe((ms) => dateFormat.format(ms)),
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
  })
}

/**
 * Translators already built, by language and requested zone. An I18n is pure (its Intl formatters
 * keep no state), so every request of a portal shares one: building the formatters and checking
 * the zone per request was a tenth of the CPU of the ticket list page (bench:http's profile of
 * the page). Bounded, as a zone comes from a portal's settings: a server with more portals than
 * this rebuilds some.
 */
const built = new Map<string, I18n>()
const MAX_BUILT = 64

/** The translator of a language and time zone (an unknown or missing zone is UTC); one object per pair. */
export const createI18n = (lang: Lang, timeZone?: string | null): I18n => {
  const key = `${lang} ${timeZone ?? ""}`
  const known = built.get(key)
  if (known !== undefined) return known
  const i18n = buildI18n(lang, timeZone)
  // The oldest entry goes first (a Map keeps insertion order).
  if (built.size >= MAX_BUILT) built.delete(built.keys().next().value as string)
  built.set(key, i18n)
  return i18n
}
