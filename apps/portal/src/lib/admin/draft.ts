/**
 * The settings screen edits a draft of the whole `portal` object and saves it in one call
 * (P-SET-5: validated as a whole, never half-applied). Types come from @portal/core.
 */
import type { Domain, Form, Inbox, Pipeline, PortalSettings } from "@portal/core"

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

/** Field messages by path, e.g. "consent.noticeText" or "ticketFilters[0].values". */
export type Issues = Readonly<Record<string, string>>

export const toDraft = (settings: PortalSettings): Draft => structuredClone(settings) as Draft

/** The messages under a path: "access" matches "access.listIds" and "access.jwt.secret". */
export const issuesUnder = (issues: Issues, prefix: string): ReadonlyArray<string> =>
  Object.entries(issues)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))
    .map(([, message]) => message)

export const byPath = (
  list: ReadonlyArray<{ readonly path: string; readonly message: string }>,
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const { path, message } of list) {
    // API paths may say "values[0]" or "values.0"; the screen uses brackets.
    const key = path.replace(/\.(\d+)(?=\.|$)/g, "[$1]")
    out[key] = out[key] ? `${out[key]} ${message}` : message
  }
  return out
}

export const idleChoices = [20, 40, 60, 1440] as const

/** Every closed stage of a pipeline. */
export const closedStages = (pipeline: Pipeline) => pipeline.stages.filter((s) => s.state === "closed")

/** A setup step still missing before the portal can be switched on (core's EnablementBlocker). */
export interface MissingStep {
  readonly step: string
  readonly path: string
  readonly message: string
}
