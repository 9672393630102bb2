/**
 * The settings screen edits a draft of the whole `portal` object and saves it in one call
 * (P-SET-5: validated as a whole, never half-applied). Types come from @portal/core.
 */
import type { Branding, Domain, Form, Inbox, Pipeline, PortalSettings } from "@portal/core/domain"
import type { Translate } from "$lib/i18n"
import { type IssueLike, issueText } from "$lib/i18n/validation"
import { isHexColor, type Branding as ShellBranding } from "$lib/shell"

/** Writable, and ids as plain strings (the API checks them on save). */
type DeepMutable<T> = T extends string
  ? string extends T
    ? string
    : T extends `${infer _}`
      ? T
      : string
  : T extends ReadonlyArray<infer U>
    ? Array<DeepMutable<U>>
    : T extends object
      ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
      : T

export type Draft = DeepMutable<PortalSettings>
export type AccessDraft = Draft["access"]

/** The workspace's helpdesk catalog the settings refer to. */
export interface AdminCatalog {
  readonly domains: ReadonlyArray<Domain>
  readonly lists: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly pipelines: ReadonlyArray<Pipeline>
  readonly inboxes: ReadonlyArray<Inbox>
  /** `eligible`: the form can be connected (P-FORM-2, the API's judgement). */
  readonly forms: ReadonlyArray<Form & { readonly eligible: boolean }>
}

/** Field messages by path, e.g. "consent.noticeText" or "ticketFilters[0].values", translated. */
export type Issues = Readonly<Record<string, string>>

export const toDraft = (settings: PortalSettings): Draft => structuredClone(settings) as Draft

/** The messages under a path: "access" matches "access.listIds" and "access.jwt.secret". */
export const issuesUnder = (issues: Issues, prefix: string): ReadonlyArray<string> =>
  Object.entries(issues)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))
    .map(([, message]) => message)

/** The API's issues (or missing steps) by path, each in the portal's language (`validation.<code>`). */
export const byPath = (
  list: ReadonlyArray<IssueLike & { readonly path: string }>,
  t: Translate,
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const issue of list) {
    // API paths may say "values[0]" or "values.0"; the screen uses brackets.
    const key = issue.path.replace(/\.(\d+)(?=\.|$)/g, "[$1]")
    const message = issueText(t, issue)
    out[key] = out[key] ? `${out[key]} ${message}` : message
  }
  return out
}

export const idleChoices = [20, 40, 60, 1440] as const

/** Every closed stage of a pipeline. */
export const closedStages = (pipeline: Pipeline) => pipeline.stages.filter((s) => s.state === "closed")

/** A setup step still missing before the portal can be switched on (core's EnablementBlocker). */
export interface MissingStep extends IssueLike {
  readonly step: string
  readonly path: string
}

/** The branding form: every field a string, "" for a key left out (cleared on save). */
export interface BrandingDraft {
  primaryColor: string
  accentColor: string
  logoUrl: string
  faviconUrl: string
}

export const toBrandingDraft = (branding: Branding): BrandingDraft => ({
  primaryColor: branding.primaryColor ?? "",
  accentColor: branding.accentColor ?? "",
  logoUrl: branding.logoUrl ?? "",
  faviconUrl: branding.faviconUrl ?? "",
})

/** What admin.branding.update takes: trimmed values, blank ones left out. */
export const brandingFromDraft = (draft: BrandingDraft): Branding => {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(draft)) if (value.trim() !== "") out[key] = value.trim()
  return out as Branding
}

/** How a draft looks (previews, the page frame): an unfinished colour keeps the default. */
export const brandingPreview = (draft: BrandingDraft): ShellBranding => ({
  primaryColor: isHexColor(draft.primaryColor.trim()) ? draft.primaryColor.trim() : null,
  accentColor: isHexColor(draft.accentColor.trim()) ? draft.accentColor.trim() : null,
  logoUrl: draft.logoUrl.trim() || null,
  faviconUrl: draft.faviconUrl.trim() || null,
})

/** P-EXT-5: the stages a reply may reopen a ticket into. */
export const openStages = (pipeline: Pipeline) => pipeline.stages.filter((s) => s.state === "open")
