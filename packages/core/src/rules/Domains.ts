/**
 * Which domains can host a portal (P-DOM-1, P-DOM-3, P-SET-4).
 * - P-DOM-3 The platform's default shared domain (`*.portal-sites.net`, the address every
 *   workspace gets before it connects its own) cannot host a portal: a host on it is a
 *   configuration error, and it never counts as the connected domain P-SET-4 asks for.
 * - Hosts compare case-insensitively, without a trailing dot or a port: "Support.Acme.test." and
 *   "support.acme.test:443" are the same host as "support.acme.test".
 * - P-SEC-2, P-DOM-1: a request's Host header is read strictly (`hostOfHeader`): a name of
 *   letters, digits, `-`, `.`, `_` or `~` (or a bracketed IPv6 literal) and an optional port of
 *   digits. Anything else (userinfo `a@b`, a path, spaces, control characters) names no host, so
 *   the request is for an unknown portal (404), never a 500 and never a known portal by accident.
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

const HOST_NAME = /^[a-z0-9._~-]{1,253}$/i
const IPV6_LITERAL = /^\[[0-9a-f:.]{2,45}\]$/i
const PORT = /^[0-9]{1,5}$/

/** The host a Host header names, normalized (see normalizeHost), or null when it is not a host[:port]. */
export const hostOfHeader = (header: string | undefined): string | null => {
  if (header === undefined) return null
  const raw = header.trim()
  let name = raw
  let port: string | null = null
  if (raw.startsWith("[")) {
    const end = raw.indexOf("]")
    if (end === -1) return null
    name = raw.slice(0, end + 1)
    const rest = raw.slice(end + 1)
    if (rest !== "") {
      if (!rest.startsWith(":")) return null
      port = rest.slice(1)
    }
    if (!IPV6_LITERAL.test(name)) return null
  } else {
    const colon = raw.indexOf(":")
    if (colon !== -1) {
      name = raw.slice(0, colon)
      port = raw.slice(colon + 1)
    }
    if (!HOST_NAME.test(name)) return null
  }
  if (port !== null && (!PORT.test(port) || Number(port) > 65535)) return null
  const host = normalizeHost(name)
  return host.length === 0 ? null : host
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
