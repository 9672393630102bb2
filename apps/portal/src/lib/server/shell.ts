/**
 * Builds the page frame's data (lib/shell.ts) for a request from `portal.info` (the portal's
 * public settings, no secrets) and `auth.me` (the signed-in viewer).
 */
import { error } from "@sveltejs/kit"
import { isLang } from "$lib/i18n"
import type { Shell } from "$lib/shell"
import { apiFailure, isServiceUnavailable, type PortalRequest, serviceUnavailable } from "./api.ts"

/**
 * Why a request has no shell: an unknown host, a disabled portal seen by a non-agent, or the
 * database being unavailable (P-DATA-3: the pages answer 503).
 */
export type Unavailable = "noPortal" | "disabled" | "unavailable"

const infoOf = async (request: PortalRequest) => {
  try {
    return await request.caller.portal.info()
  } catch (e) {
    if (apiFailure(e)?.code === "NOT_FOUND") return null
    throw e
  }
}

/**
 * The frame of the request's pages. `serverUnavailable`: the server could not resolve the request
 * because the database is down (locals.unavailable). The layout must not fail (SvelteKit would
 * answer its bare fallback page): a database that goes away during the reads is "unavailable"
 * too, and the page's `requireShell` (or its own API call) answers the 503 page.
 */
export const shellOf = async (
  request: PortalRequest | null,
  serverUnavailable = false,
): Promise<{ shell: Shell | null; unavailable: Unavailable | null }> => {
  if (serverUnavailable) return { shell: null, unavailable: "unavailable" }
  if (request?.portal == null) return { shell: null, unavailable: "noPortal" }
  try {
    const [info, me] = await Promise.all([infoOf(request), request.caller.auth.me()])
    if (info === null) return { shell: null, unavailable: "disabled" }
    return { shell: shellFrom(info, me), unavailable: null }
  } catch (e) {
    if (isServiceUnavailable(e)) return { shell: null, unavailable: "unavailable" }
    throw e
  }
}

type Info = Awaited<ReturnType<PortalRequest["caller"]["portal"]["info"]>>
type Me = Awaited<ReturnType<PortalRequest["caller"]["auth"]["me"]>>

const shellFrom = (info: Info, me: Me): Shell => {
  const branding = info.workspace.branding as {
    primaryColor?: string
    accentColor?: string
    logoUrl?: string
    faviconUrl?: string
  }
  const subject = me.subject
  return {
    lang: isLang(info.language) ? info.language : "en",
    workspaceName: info.workspace.name,
    pageTitle: info.pageTitle,
    ticketLabel: info.ticketLabel,
    slug: info.slug,
    timeZone: info.timeZone,
    branding: {
      primaryColor: branding.primaryColor ?? null,
      accentColor: branding.accentColor ?? null,
      logoUrl: branding.logoUrl ?? null,
      faviconUrl: branding.faviconUrl ?? null,
    },
    navigation: info.navigation.map((n) => ({ label: n.label, url: n.url })),
    supportForm: info.supportForm,
    selfRegistration: info.access.selfRegistration,
    passwordSignIn: info.access.password,
    emailLink: info.access.emailLink,
    ssoLoginUrl: info.access.ssoLoginUrl,
    consent: info.consent,
    idleTimeoutMinutes: info.idleTimeoutMinutes,
    enabled: info.enabled,
    viewer: subject
      ? {
          type: subject.type,
          name: subject.name || subject.email,
          email: subject.email,
          canAdmin: subject.type === "agent" && subject.permissions.includes("portal.settings"),
          canWork: subject.type === "agent" && subject.permissions.includes("tickets.work"),
        }
      : null,
  }
}

/**
 * The shell of a page that needs a live portal; otherwise the "no portal" / "not available" page,
 * or the 503 page while the database is unavailable.
 */
export const requireShell = (data: { shell: Shell | null; unavailable: Unavailable | null }): Shell => {
  if (data.unavailable === "unavailable") serviceUnavailable()
  if (data.shell === null) error(404, { message: "Not found", key: data.unavailable ?? "noPortal" })
  return data.shell
}
