/**
 * What a refused input says, for people and for programs: every issue of ValidationFailed and
 * every missing setup step of SetupIncomplete carries
 * - `path`: the field it concerns (`branding.logoUrl`, `values.email`, `actions.closedStageByPipeline.billing`);
 * - `code`: a stable, machine-readable reason from VALIDATION_CODES, which the portal's screens
 *   translate (the ja/en catalogs test that they cover every code);
 * - `params`: the values the text names (`{ max: 2000 }`), for the translation to interpolate;
 * - `message`: the English text, the fallback when a screen has no translation.
 * Codes are snake_case and never change meaning; new reasons get new codes.
 */

export const VALIDATION_CODES = [
  // Any field
  "required",
  "too_long",
  "too_short",
  "blank",
  "invalid_input",
  // Characters no input may carry (P-SEC-2): control characters, lone surrogates
  "invalid_characters",
  "invalid_unicode",
  // Portal settings (P-SET-5, P-DOM-2, P-VIS-3, P-ACT, P-FORM-2, P-BRAND-4)
  "invalid_slug",
  "invalid_domain",
  "reserved_slug",
  "invalid_url",
  "invalid_time_zone",
  "stage_not_closed",
  "stage_not_open",
  "form_not_eligible",
  // Setup steps (P-SET-4)
  "no_domain",
  "consent_required",
  "jwt_secret_too_short",
  "invalid_pem",
  "https_required",
  // Branding (P-BRAND-3)
  "invalid_color",
  // References to something the workspace does not have
  "unknown_list",
  "unknown_pipeline",
  "unknown_stage",
  "unknown_inbox",
  "unknown_form",
  "unknown_ticket",
  "unknown_contact",
  "unknown_company",
  "unknown_agent",
  "unknown_thread",
  "pipeline_mismatch",
  // Domains (P-DOM-1, P-DOM-3)
  "shared_domain",
  "duplicate_host",
  // Credentials and registration (P-AUTH, P-CON-2)
  "invalid_email",
  "password_is_email",
  "password_contains_email",
  "password_contains_portal_name",
  "password_too_common",
  "access_groups_not_configured",
  // Support form submissions (P-FORM-3)
  "unknown_field",
  "expected_text",
  "expected_number",
  "expected_checkbox",
  "invalid_option",
  // Replies and files (P-ACT-1)
  "message_empty",
  "too_many_files",
  "invalid_file_name",
  "invalid_content_type",
  "file_too_large",
  "attachments_too_large",
  "invalid_idempotency_key",
  // Other inputs
  "invalid_cursor",
  "invalid_time",
  "invalid_document",
  // Integration API tokens (admin settings)
  "too_many_api_tokens",
  "unknown_api_token",
  // Webhooks (P-HOOK-1, P-HOOK-2)
  "webhook_url_not_https",
  "webhook_url_private",
  "webhook_url_unresolvable",
  "unknown_webhook",
  "unknown_webhook_delivery",
  "too_many_webhooks",
  "duplicate_webhook",
  // Participants (P-EXT-1)
  "too_many_participants",
] as const

export type ValidationCode = (typeof VALIDATION_CODES)[number]

/**
 * Why a customer action was refused (ActionNotAllowed's `code`, P-ACT and P-FORM). Like the
 * validation codes: snake_case, stable, translated by the portal (`refusal.<code>`); the error's
 * English `reason` is for developers and logs. The portal says the same "form not available"
 * for every `form_*` code; the codes tell the team which setting to fix.
 */
export const ACTION_REFUSAL_CODES = [
  // Replies (P-ACT-2, P-ACT-4)
  "closed_ticket_reply_disabled",
  "no_default_inbox",
  // Closing (P-ACT-3)
  "close_disabled",
  "already_closed",
  "no_closed_stage",
  "ambiguous_closed_stage",
  // The support form (P-FORM-1..3)
  "no_support_form",
  "form_missing",
  "form_not_connected",
  "form_inbox_missing",
  "form_no_subject_field",
  "form_duplicate_field_name",
  "form_select_without_options",
  "no_open_stage",
  // Participants (P-EXT-1): only the requester adds or removes them
  "not_requester",
  // Satisfaction (P-EXT-2)
  "rating_needs_closed_ticket",
] as const

export type ActionRefusalCode = (typeof ACTION_REFUSAL_CODES)[number]

/**
 * Why someone may not register or sign in (AccessDenied's `code`, P-AUTH, P-CON-1, P-SET-4), for
 * the access denied page. The error's `reason` keeps its older camelCase token (`notInAudience`,
 * `methodNotOffered` …): the API and the SSO redirects have sent it since the start.
 */
export const ACCESS_DENIAL_CODES = [
  // The portal is switched off (P-SET-4)
  "portal_disabled",
  // The way in is not the portal's (P-AUTH-1..3, P-AUTH-5)
  "sso_required",
  "sso_not_offered",
  "invitation_required",
  "invitation_not_offered",
  // The person is not in the chosen lists (P-AUTH-2, P-AUTH-5)
  "not_in_access_group",
  "audience_excluded",
  // Self-registration without a consent notice (P-CON-1)
  "registration_unavailable",
  // The identity provider's answer (P-AUTH-5)
  "invalid_identity",
  "assertion_replayed",
  // P-EXT-6: sign-in by emailed link is off on this portal
  "email_sign_in_off",
] as const

export type AccessDenialCode = (typeof ACCESS_DENIAL_CODES)[number]

export const isActionRefusalCode = (code: string): code is ActionRefusalCode =>
  (ACTION_REFUSAL_CODES as ReadonlyArray<string>).includes(code)

export const isAccessDenialCode = (code: string): code is AccessDenialCode =>
  (ACCESS_DENIAL_CODES as ReadonlyArray<string>).includes(code)

export type IssueParams = Readonly<Record<string, string | number>>

/** One problem with an input: see the module comment. */
export interface FieldIssue {
  readonly path: string
  readonly code: ValidationCode
  readonly message: string
  readonly params?: IssueParams
}

export const isValidationCode = (code: string): code is ValidationCode =>
  (VALIDATION_CODES as ReadonlyArray<string>).includes(code)

/** An issue; `params` is left out when there are none (exact optional properties). */
export const fieldIssue = (path: string, code: ValidationCode, message: string, params?: IssueParams): FieldIssue =>
  params === undefined ? { path, code, message } : { path, code, message, params }

/** "Use at most N characters." — the commonest issue of all. */
export const tooLong = (path: string, max: number): FieldIssue =>
  fieldIssue(path, "too_long", `Use at most ${max} characters.`, { max })

/** Length in Unicode code points ("パスワード" counts 5), as every length rule counts. */
export const codePoints = (s: string): number => [...s].length

/**
 * The messages of the schema checks core declares, by the code they stand for. An input that
 * fails its schema at the API edge has no issue code of its own; its message names the check.
 */
export const SCHEMA_CHECK_MESSAGES = {
  invalid_color: "Expected a colour like #0b6bcb",
  invalid_slug: "Expected a slug of a-z, 0-9 and -",
  invalid_domain: "Expected a lowercase domain name such as support.example.com",
  invalid_time: "Expected an ISO 8601 time with a zone, e.g. 2026-10-01T09:00:00Z",
  invalid_characters: "Control characters (such as NUL) are not allowed here",
  invalid_unicode: "Expected well-formed Unicode text (a lone surrogate is not a character)",
} as const satisfies Partial<Record<ValidationCode, string>>

/** The code of a schema issue's message: one of core's checks, else `invalid_input`. */
export const schemaIssueCode = (message: string): ValidationCode => {
  for (const [code, text] of Object.entries(SCHEMA_CHECK_MESSAGES))
    if (message.includes(text)) return code as ValidationCode
  if (/^Use at most \d+ characters\.$/.test(message)) return "too_long"
  return "invalid_input"
}

/** A schema issue as a FieldIssue: its code, and for `too_long` the `max` its message names. */
export const schemaIssue = (path: string, message: string): FieldIssue => {
  const code = schemaIssueCode(message)
  const max = code === "too_long" ? /(\d+)/.exec(message)?.[1] : undefined
  return fieldIssue(path, code, message, max === undefined ? undefined : { max: Number(max) })
}
