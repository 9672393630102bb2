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
 *   `javascript:` link in the portal's menu would run script in customers' sessions.
 */
import type { PortalSettings } from "../domain/PortalSettings.ts"
import type { Catalog } from "../ports/WorkspaceStore.ts"
import type { FieldIssue } from "./Credentials.ts"
import { portalDomains } from "./Domains.ts"
import { formIneligibility, ineligibilityText } from "./SupportForm.ts"

export const PAGE_TITLE_MAX_LENGTH = 120
export const TICKET_LABEL_MAX_LENGTH = 40
export const SLUG_MAX_LENGTH = 64
export const HS256_SECRET_MIN_LENGTH = 32
/** First path segments the server itself uses (DESIGN.md: /trpc, /sso/*, /files/*, health). */
export const RESERVED_SLUGS: ReadonlyArray<string> = ["trpc", "sso", "files", "health", "api", "admin", "account"]

const isWebUrl = (value: string): boolean => {
  try {
    const url = new URL(value)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}
const isHttpsUrl = (value: string): boolean => {
  try {
    const url = new URL(value)
    return url.protocol === "https:" || (url.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url.hostname))
  } catch {
    return false
  }
}
const isLocalPath = (value: string): boolean =>
  value.startsWith("/") && !value.startsWith("//") && !value.includes("\\")
const looksLikePem = (value: string): boolean => /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/.test(value)

/** P-SET-5: every problem of the settings, with its path (empty: the settings can be saved). */
export const settingsIssues = (settings: PortalSettings, catalog: Catalog): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  const add = (path: string, message: string) => issues.push({ path, message })
  const lists = new Set<string>(catalog.lists.map((l) => l.id))
  const inboxes = catalog.inboxes.map((i) => i.id)
  const pipelines = new Map(catalog.pipelines.map((p) => [p.id as string, p]))
  const stageIds = new Set<string>(catalog.pipelines.flatMap((p) => p.stages.map((s) => s.id)))
  const checkLists = (path: string, ids: ReadonlyArray<string>) =>
    ids.forEach((id, i) => {
      if (!lists.has(id)) add(`${path}[${i}]`, `The list "${id}" does not exist.`)
    })

  if ([...settings.pageTitle].length > PAGE_TITLE_MAX_LENGTH)
    add("pageTitle", `Use at most ${PAGE_TITLE_MAX_LENGTH} characters.`)
  if (settings.ticketLabel !== undefined) {
    if (settings.ticketLabel.trim().length === 0) add("ticketLabel", "Enter a label or leave it unset for the default.")
    else if ([...settings.ticketLabel].length > TICKET_LABEL_MAX_LENGTH)
      add("ticketLabel", `Use at most ${TICKET_LABEL_MAX_LENGTH} characters.`)
  }
  if (settings.slug.length > SLUG_MAX_LENGTH) add("slug", `Use at most ${SLUG_MAX_LENGTH} characters.`)
  if (RESERVED_SLUGS.includes(settings.slug))
    add("slug", `"${settings.slug}" is reserved by the server; choose another.`)

  const access = settings.access
  if (access.method === "membership" && access.registration === "accessGroups")
    checkLists("access.listIds", access.listIds)
  if (access.method === "sso" && access.audience !== "all")
    checkLists("access.audience.listIds", access.audience.listIds)

  if (settings.consent?.legalUrl !== undefined && !isWebUrl(settings.consent.legalUrl))
    add("consent.legalUrl", "Enter an http(s) address.")

  if (typeof settings.ticketScope === "object") {
    if (settings.ticketScope.company.listIds.length === 0)
      add("ticketScope.company.listIds", "Choose at least one list, or give company scope to everyone.")
    checkLists("ticketScope.company.listIds", settings.ticketScope.company.listIds)
  }

  settings.ticketFilters.forEach((filter, i) => {
    const path = `ticketFilters[${i}]`
    if (filter.values.length === 0) add(`${path}.values`, "Choose at least one value.")
    filter.values.forEach((value, j) => {
      if (filter.property === "pipelineId" && !pipelines.has(value))
        add(`${path}.values[${j}]`, `The pipeline "${value}" does not exist.`)
      if (filter.property === "stageId" && !stageIds.has(value))
        add(`${path}.values[${j}]`, `No pipeline has a stage "${value}".`)
    })
  })

  for (const [pipelineId, stageId] of Object.entries(settings.actions.closedStageByPipeline ?? {})) {
    const path = `actions.closedStageByPipeline.${pipelineId}`
    const pipeline = pipelines.get(pipelineId)
    const stage = pipeline?.stages.find((s) => s.id === stageId)
    if (pipeline === undefined) add(path, `The pipeline "${pipelineId}" does not exist.`)
    else if (stage === undefined) add(path, `The pipeline "${pipelineId}" has no stage "${stageId}".`)
    else if (stage.state !== "closed") add(path, `The stage "${stage.label}" is an open stage; choose a closed one.`)
  }

  if (settings.defaultInboxId !== null && !inboxes.includes(settings.defaultInboxId))
    add("defaultInboxId", `The inbox "${settings.defaultInboxId}" does not exist.`)

  if (settings.supportForm !== null) {
    const form = catalog.forms.find((f) => f.id === settings.supportForm?.formId)
    if (form === undefined) add("supportForm.formId", `The form "${settings.supportForm.formId}" does not exist.`)
    else for (const reason of formIneligibility(form, inboxes)) add("supportForm.formId", ineligibilityText(reason))
  }

  settings.navigation.forEach((item, i) => {
    if (!isWebUrl(item.url) && !isLocalPath(item.url))
      add(`navigation[${i}].url`, "Enter an http(s) address or a path starting with /.")
  })
  return issues
}

/** A setup step still missing before the portal can be enabled (P-SET-4). */
export type SetupStep = "domain" | "loginMethod" | "consent" | "pageTitle"

export interface EnablementBlocker {
  readonly step: SetupStep
  readonly path: string
  readonly message: string
}

/** P-SET-4: what still blocks enabling (empty: the portal can be switched on). */
export const enablementBlockers = (
  settings: PortalSettings,
  catalog: Pick<Catalog, "domains">,
): ReadonlyArray<EnablementBlocker> => {
  const blockers: Array<EnablementBlocker> = []
  const block = (step: SetupStep, path: string, message: string) => blockers.push({ step, path, message })
  if (portalDomains(catalog.domains).length === 0)
    block("domain", "domains", "Connect a domain of your own; the platform's shared domain cannot host a portal.")
  const access = settings.access
  if (access.method === "membership" && access.registration === "accessGroups" && access.listIds.length === 0)
    block("loginMethod", "access.listIds", "Choose the lists whose contacts may register.")
  if (access.method === "sso") {
    if (access.audience !== "all" && access.audience.listIds.length === 0)
      block(
        "loginMethod",
        "access.audience.listIds",
        "Choose the lists whose contacts may sign in, or allow all SSO users.",
      )
    for (const problem of ssoConfigProblems(access)) block("loginMethod", problem.path, problem.message)
  }
  if (access.method === "membership" && access.registration === "self" && settings.consent === undefined)
    block("consent", "consent", "Self-registration needs a consent notice and checkbox label.")
  if (settings.pageTitle.trim().length === 0) block("pageTitle", "pageTitle", "Enter the page title.")
  return blockers
}

/** The SSO configuration's usability: addresses an IdP can be reached at, keys in PEM form. */
const ssoConfigProblems = (access: Extract<PortalSettings["access"], { method: "sso" }>): ReadonlyArray<FieldIssue> => {
  switch (access.protocol) {
    case "jwt":
      if (access.jwt.algorithm === "HS256")
        return [...access.jwt.secret].length < HS256_SECRET_MIN_LENGTH
          ? [{ path: "access.jwt.secret", message: `Use a secret of at least ${HS256_SECRET_MIN_LENGTH} characters.` }]
          : []
      return looksLikePem(access.jwt.publicKeyPem)
        ? []
        : [
            {
              path: "access.jwt.publicKeyPem",
              message: "Paste the public key in PEM form (-----BEGIN PUBLIC KEY-----).",
            },
          ]
    case "saml": {
      const problems: Array<FieldIssue> = []
      if (!isHttpsUrl(access.saml.entryPoint))
        problems.push({
          path: "access.saml.entryPoint",
          message: "Enter the identity provider's https sign-in address.",
        })
      if (!looksLikePem(access.saml.idpCertPem))
        problems.push({
          path: "access.saml.idpCertPem",
          message: "Paste the certificate in PEM form (-----BEGIN CERTIFICATE-----).",
        })
      return problems
    }
    case "oidc":
      return isHttpsUrl(access.oidc.issuer)
        ? []
        : [{ path: "access.oidc.issuer", message: "Enter the issuer's https address." }]
  }
}
