/**
 * The server's configuration, read once from the environment. Every variable is documented in
 * docs/api.md ("Configuration"); a bad value stops the server with a message naming it.
 */
import { existsSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { type ApiTokens, parseApiTokens } from "@portal/api"

/** The repository root (apps/server/src → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

export type StorageChoice =
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "pglite"; readonly dataDir: string }
  | { readonly kind: "memory" }

export interface ServerConfig {
  readonly port: number
  readonly host: string
  readonly storage: StorageChoice
  readonly smtpUrl: string | null
  readonly mailFrom: string
  /**
   * TRUST_PROXY: how many proxies in front of the server to believe for X-Forwarded-Proto and
   * X-Forwarded-For ("true"/"1": one, e.g. a TLS-terminating load balancer; "2": two; unset: none).
   * Counting hops (not "trust everything") keeps a client's own X-Forwarded-For out of rate limits.
   */
  readonly trustProxy: number
  /**
   * P-SEC-5: PORTAL_PUBLIC_SCHEME (https|http) and PORTAL_PUBLIC_PORT: the scheme and port of the
   * links in emails, whose host is always the portal's configured domain (never the request's Host
   * header). Unset: https and no port, except for a loopback domain (localhost, 127.0.0.1, ::1),
   * which gets http and the port the server listens on, so the local demo mails working links.
   */
  readonly publicLinks: PublicLinks
  /**
   * PORTAL_API_TOKENS: integration tokens set by the host. The tokens admins create in the
   * settings screens live in the store and are checked through the runtime (@portal/api ApiTokens).
   */
  readonly apiTokens: ApiTokens
  readonly demoDir: string
  /**
   * P-DATA-2: the embedded default store, the one `portal start` loads the demo into when it is
   * empty: no DATABASE_URL, no PORTAL_STORAGE, no PORTAL_DATA_DIR (so `.data/` at the repository
   * root). Any store named explicitly gets the demo only with `portal start --demo`.
   */
  readonly defaultStore: boolean
  /** The built SvelteKit handler (apps/portal/build/handler.js), if present. */
  readonly portalHandler: string
  readonly logLevel: string
  /**
   * P-NOT-5 PORTAL_INBOUND_SMTP_PORT: start the inbound SMTP listener for replies by email on this
   * port (0: any free port); PORTAL_INBOUND_SMTP_HOST: its interface (default 127.0.0.1, for a
   * local MTA relaying to it; docs/inbound-email.md). Unset: no listener.
   */
  readonly inboundSmtp: { readonly port: number; readonly host: string } | null
}

export interface PublicLinks {
  readonly scheme: "https" | "http" | null
  readonly port: number | null
}

const isLoopbackHost = (host: string): boolean =>
  host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]"

/** P-SEC-5: the origin of emailed links for a configured domain host (lowercase, no port). */
export const linkOriginOf =
  (links: PublicLinks, listeningPort: number) =>
  (host: string): string => {
    const loopback = isLoopbackHost(host)
    const scheme = links.scheme ?? (loopback ? "http" : "https")
    const port = links.port ?? (loopback && links.scheme === null ? listeningPort : null)
    const defaultPort = scheme === "https" ? 443 : 80
    return `${scheme}://${host}${port === null || port === defaultPort ? "" : `:${port}`}`
  }

const publicScheme = (value: string | undefined): PublicLinks["scheme"] => {
  const v = (value ?? "").trim().toLowerCase()
  if (v === "") return null
  if (v === "https" || v === "http") return v
  throw new Error(`PORTAL_PUBLIC_SCHEME must be https or http, got "${value}"`)
}

const int = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined || value === "") return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${value}"`)
  return n
}

const proxyHops = (value: string | undefined): number => {
  const v = (value ?? "").trim().toLowerCase()
  if (v === "" || v === "false" || v === "0" || v === "no" || v === "off") return 0
  if (v === "true" || v === "yes" || v === "on") return 1
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new Error(`TRUST_PROXY must be true, false or a number of proxies, got "${value}"`)
  return n
}

export const readConfig = (env: NodeJS.ProcessEnv = process.env): ServerConfig => {
  const databaseUrl = env.DATABASE_URL?.trim()
  const storage: StorageChoice =
    env.PORTAL_STORAGE === "memory"
      ? { kind: "memory" }
      : databaseUrl
        ? { kind: "postgres", url: databaseUrl }
        : // An empty PORTAL_DATA_DIR is unset (resolving "" would put the database in the repository root).
          { kind: "pglite", dataDir: resolve(REPO_ROOT, env.PORTAL_DATA_DIR?.trim() || ".data") }
  return {
    port: int("PORT", env.PORT, 3000),
    host: env.HOST ?? "0.0.0.0",
    storage,
    smtpUrl: env.SMTP_URL?.trim() || null,
    mailFrom: env.MAIL_FROM?.trim() || "Customer portal <portal@localhost>",
    trustProxy: proxyHops(env.TRUST_PROXY),
    publicLinks: {
      scheme: publicScheme(env.PORTAL_PUBLIC_SCHEME),
      port: env.PORTAL_PUBLIC_PORT?.trim() ? int("PORTAL_PUBLIC_PORT", env.PORTAL_PUBLIC_PORT.trim(), 0) : null,
    },
    apiTokens: parseApiTokens(env.PORTAL_API_TOKENS),
    demoDir: resolve(REPO_ROOT, env.PORTAL_DEMO_DIR ?? "demo"),
    defaultStore: storage.kind === "pglite" && !env.PORTAL_DATA_DIR?.trim() && env.PORTAL_STORAGE === undefined,
    portalHandler: join(REPO_ROOT, "apps", "portal", "build", "handler.js"),
    logLevel: env.LOG_LEVEL ?? "info",
    inboundSmtp: env.PORTAL_INBOUND_SMTP_PORT?.trim()
      ? {
          port: int("PORTAL_INBOUND_SMTP_PORT", env.PORTAL_INBOUND_SMTP_PORT.trim(), 0),
          host: env.PORTAL_INBOUND_SMTP_HOST?.trim() || "127.0.0.1",
        }
      : null,
  }
}

export const portalBuildExists = (config: Pick<ServerConfig, "portalHandler">) => existsSync(config.portalHandler)
