/**
 * Portal settings checked as a whole against the workspace's catalog.
 * - P-SET-5 `settingsIssues` returns every problem at once, each with the field path it concerns
 *   (e.g. `actions.closedStageByPipeline.billing`), so a save is all-or-nothing and the admin
 *   screen can mark every field. References must exist: lists, pipelines, stages, inboxes, forms.
 * - P-SET-4 `enablementBlockers` lists what keeps the portal from being switched on: a connected
 *   domain of the team's own (P-DOM-3: never the platform's shared domain), a complete login
 *   method (access groups with lists; SSO with an audience and a usable configuration), a consent
 *   notice with self-registration (P-CON-1), and a page title (P-SET-2). A disabled portal may be
 *   saved with blockers left: setup is done in steps.
 * - P-FORM-2 the support form must be eligible (rules/SupportForm).
 * - Links the portal renders (navigation, legal page) must be http(s) URLs or local paths: a
 *   `javascript:` link in the portal's menu would run script in customers' sessions (rules/Urls).
 * - The time zone, when set, is an IANA name the runtime knows (rules/Locale).
 * Every issue and blocker carries a code of domain/Issues.ts for the admin screens to translate.
 */
import type { FieldIssue, IssueParams, ValidationCode } from "../domain/Issues.ts"
import { codePoints, fieldIssue, tooLong } from "../domain/Issues.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import type { EnablementBlocker, SetupStep } from "../ports/Errors.ts"
import type { Catalog } from "../ports/WorkspaceStore.ts"
import { portalDomains } from "./Domains.ts"
import { isTimeZone } from "./Locale.ts"
import { formIneligibility, ineligibilityText } from "./SupportForm.ts"
import { isHttpsUrl, isLocalPath, isWebUrl } from "./Urls.ts"

export const PAGE_TITLE_MAX_LENGTH = 120
export const TICKET_LABEL_MAX_LENGTH = 40
export const SLUG_MAX_LENGTH = 64
export const HS256_SECRET_MIN_LENGTH = 32
/** Paths the server or the portal app serve themselves: a portal slug may not take them (the agent workspace, P-AGT-1; the unsubscribe link, P-NOT-3). */
export const RESERVED_SLUGS: ReadonlyArray<string> = [
  "trpc",
  "sso",
  "files",
  "health",
  "api",
  "admin",
  "account",
  "agent",
  "unsubscribe",
]

const looksLikePem = (value: string): boolean => /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/.test(value)

/** P-SET-5: every problem of the settings, with its path (empty: the settings can be saved). */
export const settingsIssues = (settings: PortalSettings, catalog: Catalog): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  const add = (path: string, code: ValidationCode, message: string, params?: IssueParams) =>
    issues.push(fieldIssue(path, code, message, params))
  const maxLength = (path: string, value: string, max: number) => {
    if (codePoints(value) > max) issues.push(tooLong(path, max))
  }
  const lists = new Set<string>(catalog.lists.map((l) => l.id))
  const inboxes = catalog.inboxes.map((i) => i.id)
  const pipelines = new Map(catalog.pipelines.map((p) => [p.id as string, p]))
  const stageIds = new Set<string>(catalog.pipelines.flatMap((p) => p.stages.map((s) => s.id)))
  const checkLists = (path: string, ids: ReadonlyArray<string>) =>
    ids.forEach((id, i) => {
      if (!lists.has(id)) add(`${path}[${i}]`, "unknown_list", `The list "${id}" does not exist.`, { id })
    })

  maxLength("pageTitle", settings.pageTitle, PAGE_TITLE_MAX_LENGTH)
  if (settings.ticketLabel !== undefined) {
    if (settings.ticketLabel.trim().length === 0)
      add("ticketLabel", "required", "Enter a label or leave it unset for the default.")
    else maxLength("ticketLabel", settings.ticketLabel, TICKET_LABEL_MAX_LENGTH)
  }
  maxLength("slug", settings.slug, SLUG_MAX_LENGTH)
  if (RESERVED_SLUGS.includes(settings.slug))
    add("slug", "reserved_slug", `"${settings.slug}" is reserved by the server; choose another.`, {
      slug: settings.slug,
    })

  const access = settings.access
  if (access.method === "membership" && access.registration === "accessGroups")
    checkLists("access.listIds", access.listIds)
  if (access.method === "sso" && access.audience !== "all")
    checkLists("access.audience.listIds", access.audience.listIds)

  if (settings.consent?.legalUrl !== undefined && !isWebUrl(settings.consent.legalUrl))
    add("consent.legalUrl", "invalid_url", "Enter an http(s) address.")

  if (typeof settings.ticketScope === "object") {
    if (settings.ticketScope.company.listIds.length === 0)
      add("ticketScope.company.listIds", "required", "Choose at least one list, or give company scope to everyone.")
    checkLists("ticketScope.company.listIds", settings.ticketScope.company.listIds)
  }

  settings.ticketFilters.forEach((filter, i) => {
    const path = `ticketFilters[${i}]`
    if (filter.values.length === 0) add(`${path}.values`, "required", "Choose at least one value.")
    filter.values.forEach((value, j) => {
      if (filter.property === "pipelineId" && !pipelines.has(value))
        add(`${path}.values[${j}]`, "unknown_pipeline", `The pipeline "${value}" does not exist.`, { id: value })
      if (filter.property === "stageId" && !stageIds.has(value))
        add(`${path}.values[${j}]`, "unknown_stage", `No pipeline has a stage "${value}".`, { id: value })
    })
  })

  for (const [pipelineId, stageId] of Object.entries(settings.actions.closedStageByPipeline ?? {})) {
    const path = `actions.closedStageByPipeline.${pipelineId}`
    const pipeline = pipelines.get(pipelineId)
    const stage = pipeline?.stages.find((s) => s.id === stageId)
    if (pipeline === undefined)
      add(path, "unknown_pipeline", `The pipeline "${pipelineId}" does not exist.`, { id: pipelineId })
    else if (stage === undefined)
      add(path, "unknown_stage", `The pipeline "${pipelineId}" has no stage "${stageId}".`, { id: stageId, pipelineId })
    else if (stage.state !== "closed")
      add(path, "stage_not_closed", `The stage "${stage.label}" is an open stage; choose a closed one.`, {
        id: stage.id,
        label: stage.label,
      })
  }

  // P-EXT-5: a reply reopens into an OPEN stage of the ticket's own pipeline, never a closed one.
  for (const [pipelineId, stageId] of Object.entries(settings.actions.reopenStageByPipeline ?? {})) {
    const path = `actions.reopenStageByPipeline.${pipelineId}`
    const pipeline = pipelines.get(pipelineId)
    const stage = pipeline?.stages.find((s) => s.id === stageId)
    if (pipeline === undefined)
      add(path, "unknown_pipeline", `The pipeline "${pipelineId}" does not exist.`, { id: pipelineId })
    else if (stage === undefined)
      add(path, "unknown_stage", `The pipeline "${pipelineId}" has no stage "${stageId}".`, { id: stageId, pipelineId })
    else if (stage.state !== "open")
      add(path, "stage_not_open", `The stage "${stage.label}" is a closed stage; choose an open one.`, {
        id: stage.id,
        label: stage.label,
      })
  }

  if (settings.defaultInboxId !== null && !inboxes.includes(settings.defaultInboxId))
    add("defaultInboxId", "unknown_inbox", `The inbox "${settings.defaultInboxId}" does not exist.`, {
      id: settings.defaultInboxId,
    })

  if (settings.supportForm !== null) {
    const formId = settings.supportForm.formId
    const form = catalog.forms.find((f) => f.id === formId)
    if (form === undefined)
      add("supportForm.formId", "unknown_form", `The form "${formId}" does not exist.`, { id: formId })
    else
      for (const reason of formIneligibility(form, inboxes))
        add("supportForm.formId", "form_not_eligible", ineligibilityText(reason), { id: formId, reason })
  }

  settings.navigation.forEach((item, i) => {
    if (!isWebUrl(item.url) && !isLocalPath(item.url))
      add(`navigation[${i}].url`, "invalid_url", "Enter an http(s) address or a path starting with /.")
  })

  if (settings.timeZone !== undefined && !isTimeZone(settings.timeZone))
    add(
      "timeZone",
      "invalid_time_zone",
      `"${settings.timeZone}" is not a time zone; use an IANA name like Asia/Tokyo.`,
      {
        timeZone: settings.timeZone,
      },
    )
  return issues
}

/** P-SET-4: what still blocks enabling (empty: the portal can be switched on). */
export const enablementBlockers = (
  settings: PortalSettings,
  catalog: Pick<Catalog, "domains">,
): ReadonlyArray<EnablementBlocker> => {
  const blockers: Array<EnablementBlocker> = []
  const block = (step: SetupStep, issue: FieldIssue) => blockers.push({ step, ...issue })
  if (portalDomains(catalog.domains).length === 0)
    block(
      "domain",
      fieldIssue(
        "domains",
        "no_domain",
        "Connect a domain of your own; the platform's shared domain cannot host a portal.",
      ),
    )
  const access = settings.access
  if (access.method === "membership" && access.registration === "accessGroups" && access.listIds.length === 0)
    block("loginMethod", fieldIssue("access.listIds", "required", "Choose the lists whose contacts may register."))
  if (access.method === "sso") {
    if (access.audience !== "all" && access.audience.listIds.length === 0)
      block(
        "loginMethod",
        fieldIssue(
          "access.audience.listIds",
          "required",
          "Choose the lists whose contacts may sign in, or allow all SSO users.",
        ),
      )
    for (const problem of ssoConfigProblems(access)) block("loginMethod", problem)
  }
  if (access.method === "membership" && access.registration === "self" && settings.consent === undefined)
    block(
      "consent",
      fieldIssue("consent", "consent_required", "Self-registration needs a consent notice and checkbox label."),
    )
  if (settings.pageTitle.trim().length === 0)
    block("pageTitle", fieldIssue("pageTitle", "required", "Enter the page title."))
  return blockers
}

/** The SSO configuration's usability: addresses an IdP can be reached at, keys in PEM form. */
const ssoConfigProblems = (access: Extract<PortalSettings["access"], { method: "sso" }>): ReadonlyArray<FieldIssue> => {
  const pem = (path: string, value: string, message: string) =>
    looksLikePem(value) ? [] : [fieldIssue(path, "invalid_pem", message)]
  const https = (path: string, value: string, message: string) =>
    isHttpsUrl(value, true) ? [] : [fieldIssue(path, "https_required", message)]
  switch (access.protocol) {
    case "jwt":
      if (access.jwt.algorithm === "HS256")
        return codePoints(access.jwt.secret) < HS256_SECRET_MIN_LENGTH
          ? [
              fieldIssue(
                "access.jwt.secret",
                "jwt_secret_too_short",
                `Use a secret of at least ${HS256_SECRET_MIN_LENGTH} characters.`,
                { min: HS256_SECRET_MIN_LENGTH },
              ),
            ]
          : []
      return pem(
        "access.jwt.publicKeyPem",
        access.jwt.publicKeyPem,
        "Paste the public key in PEM form (-----BEGIN PUBLIC KEY-----).",
      )
    case "saml":
      return [
        ...https(
          "access.saml.entryPoint",
          access.saml.entryPoint,
          "Enter the identity provider's https sign-in address.",
        ),
        ...pem(
          "access.saml.idpCertPem",
          access.saml.idpCertPem,
          "Paste the certificate in PEM form (-----BEGIN CERTIFICATE-----).",
        ),
      ]
    case "oidc":
      return https("access.oidc.issuer", access.oidc.issuer, "Enter the issuer's https address.")
  }
}
