/**
 * What the portal's pages and the admin screens read about the portal itself, from the request's
 * resolved caller (usecases/Callers.ts): nothing here reads the settings, the session or the
 * contact again, and the catalog comes from the cache at the caller's settings version.
 * - `portalInfo`: what every page needs before anyone signs in (P-BRAND-3, P-DOM-4, P-SET-2,
 *   P-SET-3, P-DOM-2, P-BRAND-4, P-FORM-1, P-AUTH-1..5, P-CON-1, P-AUTH-6); no secret (SSO keys).
 * - `supportFormView`: the support form to draw, or null when there is none or it is no longer
 *   eligible (P-FORM-1, P-FORM-2).
 * - `callerProfile`: who is signed in, by name as the portal's language writes it (`auth.me`).
 * - `workspaceDomains`, `replaceDomains`, `settingsCatalog`, `accessGroupLists`: the admin screens'
 *   reads and the domain write (P-DOM-1, P-DOM-3, P-DOM-4, P-SET-4, P-FORM-2), each needing
 *   `portal.settings` (P-SET-1).
 */
import { Effect, Option } from "effect"
import type { AgentCaller, Caller, CallerPortal } from "../domain/Caller.ts"
import type { Domain, Permission } from "../domain/Entities.ts"
import type { FieldIssue } from "../domain/Issues.ts"
import { ContactStore } from "../ports/ContactStore.ts"
import {
  type Conflict,
  type Forbidden,
  Forbidden as ForbiddenError,
  SetupIncomplete,
  ValidationFailed,
  type WorkspaceNotFound,
} from "../ports/Errors.ts"
import { type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { signInOptions } from "../rules/Access.ts"
import { domainHostIssues, domainListIssues, normalizeHost } from "../rules/Domains.ts"
import { portalTimeZone, ticketLabelOf } from "../rules/Locale.ts"
import { contactRef, personName, withoutBidiControls } from "../rules/Names.ts"
import { enablementBlockers } from "../rules/SettingsValidation.ts"
import { formIneligibility } from "../rules/SupportForm.ts"
import { invalidateCatalog, portalCatalog } from "./Callers.ts"

/** P-SET-1: fail with Forbidden unless the calling agent holds the permission. */
export const requireCallerPermission = (caller: AgentCaller, permission: Permission): Effect.Effect<void, Forbidden> =>
  caller.subject.permissions.includes(permission)
    ? Effect.void
    : Effect.fail(new ForbiddenError({ reason: `This needs the "${permission}" permission.` }))

/** What every page of the portal needs to render (see the module comment). */
export const portalInfo = (caller: Caller) =>
  Effect.gen(function* () {
    const { settings, domain, workspaceId, host } = caller.portal
    const catalog = yield* portalCatalog(caller.portal).pipe(
      Effect.map(Option.some),
      Effect.catchTag("WorkspaceNotFound", () => Effect.succeed(Option.none())),
    )
    const workspace = Option.getOrNull(catalog)?.workspace
    const options = signInOptions(settings.access)
    return {
      workspace: { id: workspaceId, name: workspace?.name ?? workspaceId, branding: workspace?.branding ?? {} },
      host,
      language: domain.language,
      enabled: settings.enabled,
      /** True when an agent is looking (a disabled portal, or the preview of the ticket list). */
      preview: caller.subject._tag === "Agent",
      pageTitle: settings.pageTitle,
      ticketLabel: ticketLabelOf(settings, domain.language),
      slug: settings.slug,
      navigation: settings.navigation,
      supportForm:
        settings.supportForm === null
          ? null
          : { menuText: settings.supportForm.menuText, headerText: settings.supportForm.headerText },
      access: {
        method: settings.access.method,
        password: options.password,
        /** P-EXT-6: "Email me a sign-in link" beside the password. */
        emailLink: options.password && settings.emailSignIn === true,
        selfRegistration: options.registerLink,
        sso: options.sso,
        /** Where the "Continue with single sign-on" button goes. */
        ssoLoginUrl: options.sso === "saml" ? "/sso/saml/login" : options.sso === "oidc" ? "/sso/oidc/login" : null,
      },
      consent:
        settings.access.method === "membership" && settings.access.registration === "self" && settings.consent
          ? {
              noticeText: settings.consent.noticeText,
              checkboxLabel: settings.consent.checkboxLabel,
              legalUrl: settings.consent.legalUrl ?? null,
            }
          : null,
      statusDisplay: settings.statusDisplay,
      idleTimeoutMinutes: settings.idleTimeoutMinutes,
      /** The IANA time zone every date of the portal is shown in, on the server and in the browser alike. */
      timeZone: portalTimeZone(settings, domain.language),
      allowClose: settings.actions.allowClose,
    }
  })

/** P-FORM-1, P-FORM-2: the support form as the page draws it, or null. */
export const supportFormView = (portal: CallerPortal) =>
  Effect.gen(function* () {
    const configured = portal.settings.supportForm
    if (configured === null) return null
    const catalog = yield* portalCatalog(portal).pipe(
      Effect.map(Option.some),
      Effect.catchTag("WorkspaceNotFound", () => Effect.succeed(Option.none())),
    )
    if (Option.isNone(catalog)) return null
    const form = catalog.value.forms.find((f) => f.id === configured.formId)
    if (form === undefined) return null
    if (
      formIneligibility(
        form,
        catalog.value.inboxes.map((i) => i.id),
      ).length > 0
    )
      return null
    return {
      formId: form.id,
      name: form.name,
      menuText: configured.menuText,
      headerText: configured.headerText,
      fields: form.fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        required: f.required,
        options: f.options ?? [],
      })),
    }
  })

export interface CallerProfile {
  readonly type: "contact" | "agent"
  readonly id: string
  /** As the portal's language writes it (family name first in ja); no bidi control (hole 12a). */
  readonly name: string
  readonly email: string
  readonly permissions: ReadonlyArray<Permission>
}

/** Who is signed in (`auth.me`); null for nobody. A customer's contact comes with the caller. */
export const callerProfile = (
  caller: Caller,
): Effect.Effect<CallerProfile | null, StoreError, ContactStore | WorkspaceStore> =>
  Effect.gen(function* () {
    const { subject, portal } = caller
    if (subject._tag === "Anonymous") return null
    if (subject._tag === "Customer") {
      const contact =
        subject.contact ??
        Option.getOrUndefined(yield* (yield* ContactStore).findById(portal.workspaceId, subject.contactId))
      return {
        type: "contact",
        id: subject.contactId,
        name: withoutBidiControls(contact === undefined ? "" : personName(contactRef(contact), portal.domain.language)),
        email: contact?.email ?? "",
        permissions: [],
      }
    }
    const catalog = yield* portalCatalog(portal).pipe(
      Effect.map(Option.some),
      Effect.catchTag("WorkspaceNotFound", () => Effect.succeed(Option.none())),
    )
    const agent = Option.getOrNull(catalog)?.agents.find((a) => a.id === subject.agentId)
    return {
      type: "agent",
      id: subject.agentId,
      name: withoutBidiControls(agent?.name ?? ""),
      email: agent?.email ?? "",
      permissions: subject.permissions,
    }
  })

export interface DomainView {
  readonly host: string
  readonly language: Domain["language"]
  readonly issues: ReadonlyArray<FieldIssue>
  /** The domain this request came in on. */
  readonly current: boolean
}

/** P-DOM-1, P-DOM-3: the workspace's domains for the settings screen. */
export const workspaceDomains = (
  caller: AgentCaller,
): Effect.Effect<ReadonlyArray<DomainView>, Forbidden | WorkspaceNotFound | StoreError, WorkspaceStore> =>
  Effect.gen(function* () {
    yield* requireCallerPermission(caller, "portal.settings")
    const catalog = yield* portalCatalog(caller.portal)
    return catalog.domains.map((d) => ({
      host: d.host,
      language: d.language,
      issues: domainHostIssues(d.host),
      current: normalizeHost(d.host) === caller.portal.host,
    }))
  })

/**
 * P-DOM-1, P-DOM-3, P-DOM-4: replace the workspace's domains (hosts normalized); P-SET-4: an
 * enabled portal keeps at least what its setup needs. Any error writes nothing.
 */
export const replaceDomains = (
  caller: AgentCaller,
  given: ReadonlyArray<Domain>,
): Effect.Effect<
  { readonly domains: ReadonlyArray<Domain> },
  Forbidden | ValidationFailed | SetupIncomplete | Conflict | StoreError,
  WorkspaceStore
> =>
  Effect.gen(function* () {
    yield* requireCallerPermission(caller, "portal.settings")
    const domains: Array<Domain> = given.map((d) => ({ host: normalizeHost(d.host), language: d.language }))
    const issues = domainListIssues(domains)
    if (issues.length > 0) return yield* new ValidationFailed({ issues })
    const settings = caller.portal.settings
    const blockers = enablementBlockers(settings, { domains })
    if (settings.enabled && blockers.length > 0) return yield* new SetupIncomplete({ missing: blockers })
    yield* (yield* WorkspaceStore).setDomains(caller.portal.workspaceId, domains)
    yield* invalidateCatalog(caller.portal.workspaceId)
    return { domains }
  })

/** The choices the settings screens offer: pipelines with stages, inboxes, forms (P-FORM-2 eligibility). */
export const settingsCatalog = (caller: AgentCaller) =>
  Effect.gen(function* () {
    yield* requireCallerPermission(caller, "portal.settings")
    const catalog = yield* portalCatalog(caller.portal)
    const inboxIds = catalog.inboxes.map((i) => i.id)
    return {
      pipelines: catalog.pipelines,
      inboxes: catalog.inboxes,
      forms: catalog.forms.map((f) => ({ ...f, eligible: formIneligibility(f, inboxIds).length === 0 })),
    }
  })

/** P-AUTH-2: the workspace's lists (access groups) the invitation screen offers. */
export const accessGroupLists = (caller: AgentCaller) =>
  Effect.gen(function* () {
    yield* requireCallerPermission(caller, "portal.settings")
    const catalog = yield* portalCatalog(caller.portal)
    return catalog.lists.map((l) => ({ id: l.id, name: l.name }))
  })
