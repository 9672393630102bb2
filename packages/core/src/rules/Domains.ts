/**
 * Which domains can host a portal (P-DOM-1, P-DOM-3, P-SET-4).
 * - P-DOM-3 The platform's default shared domain (`*.portal-sites.net`, the address every
 *   workspace gets before it connects its own) cannot host a portal: a host on it is a
 *   configuration error, and it never counts as the connected domain P-SET-4 asks for.
 * - Hosts compare case-insensitively, without a trailing dot or a port: "Support.Acme.test." and
 *   "support.acme.test:443" are the same host as "support.acme.test".
 */
import type { Domain } from "../domain/Entities.ts"
import { type FieldIssue, fieldIssue } from "../domain/Issues.ts"

/** The platform's default shared domain; every host under it is refused (P-DOM-3). */
export const SHARED_DOMAIN = "portal-sites.net"
export const SHARED_DOMAIN_SUFFIX = `.${SHARED_DOMAIN}`

/** Lowercase, without port and trailing dot: the form hosts are compared and looked up in. */
export const normalizeHost = (host: string): string => {
  let h = host.trim().toLowerCase()
  // An IPv6 literal keeps its colons: only strip a port after the closing bracket.
  if (h.startsWith("[")) {
    const end = h.indexOf("]")
    if (end !== -1) h = h.slice(0, end + 1)
  } else {
    const colon = h.indexOf(":")
    if (colon !== -1) h = h.slice(0, colon)
  }
  return h.endsWith(".") ? h.slice(0, -1) : h
}

export const isSharedPlatformHost = (host: string): boolean => {
  const h = normalizeHost(host)
  return h === SHARED_DOMAIN || h.endsWith(SHARED_DOMAIN_SUFFIX)
}

/** Problems with a host an admin connects to the portal (empty: acceptable). */
export const domainHostIssues = (host: string, path = "host"): ReadonlyArray<FieldIssue> => {
  const h = normalizeHost(host)
  if (h.length === 0) return [fieldIssue(path, "required", "Enter a domain.")]
  if (isSharedPlatformHost(h))
    return [
      fieldIssue(
        path,
        "shared_domain",
        `"${h}" is the platform's shared domain and cannot host a portal. Connect a domain of your own.`,
        { host: h },
      ),
    ]
  return []
}

/** Problems with the whole list of domains an admin connects: each host, and hosts listed twice. */
export const domainListIssues = (
  domains: ReadonlyArray<Pick<Domain, "host">>,
  path = "domains",
): ReadonlyArray<FieldIssue> => {
  const hosts = domains.map((d) => normalizeHost(d.host))
  return domains.flatMap((d, i) => {
    const at = `${path}[${i}].host`
    const own = domainHostIssues(d.host, at)
    const host = hosts[i] ?? ""
    return own.length === 0 && hosts.indexOf(host) !== i
      ? [fieldIssue(at, "duplicate_host", `${host} is listed twice.`, { host })]
      : own
  })
}

/** The domains that can serve the portal: every connected domain not on the shared domain. */
export const portalDomains = <D extends Pick<Domain, "host">>(domains: ReadonlyArray<D>): ReadonlyArray<D> =>
  domains.filter((d) => domainHostIssues(d.host).length === 0)
