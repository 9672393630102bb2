/**
 * The server's configuration, read once from the environment. Every variable is documented in
 * docs/api.md ("Configuration", compared with this file by test/config.test.ts); a bad value
 * stops the server or the command with a one-line ConfigError naming the variable.
 */
import { existsSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { type ApiTokens, parseApiTokens } from "@portal/api"

/** The repository root (apps/server/src → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

/** A bad environment variable: the message names it (one line, no stack trace). */
export class ConfigError extends Error {}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const

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
  /** PORTAL_SHUTDOWN_GRACE_SECONDS: how long in-flight requests get after SIGTERM (default 10). */
  readonly shutdownGraceMs: number
  /**
   * PORTAL_HEAP_GROWTH_PERCENT: how far V8 lets the old generation grow past what the last full
   * collection kept, in percent (default 100; 0: V8's own heuristics, up to 4× the live heap).
   * Heap.ts applies it; docs/http-bench.md "Sixth session" has the measurements.
   */
  readonly heapGrowthPercent: number
  /** PORTAL_NOTIFY_POLL_MS: the notification worker's idle poll (default 2000 ms). */
  readonly notifyPollMs: number
  /** PORTAL_AGENT_EVENTS_POLL_MS: the agents' event streams' fallback read (default 5000 ms; LISTEN/NOTIFY wakes them first on PostgreSQL). */
  readonly agentEventsPollMs: number
  /** PORTAL_SECRET: the HMAC key of SSO state; null: a random one per process (one node only). */
  readonly secret: string | null
  /** OIDC_ALLOW_INSECURE=1: allow an http:// OIDC issuer (local tests only). */
  readonly oidcAllowInsecure: boolean
  /** P-HOOK-1 PORTAL_WEBHOOK_POLL_MS: the webhook worker's idle poll (default 2000 ms). */
  readonly webhookPollMs: number
  /** P-HOOK-2 PORTAL_WEBHOOK_ALLOW_PRIVATE=1: webhooks may go to private and loopback addresses (and http:// there). */
  readonly webhookAllowPrivate: boolean
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
  throw new ConfigError(`PORTAL_PUBLIC_SCHEME must be https or http, got "${value}"`)
}

const int = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined || value === "") return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number, got "${value}"`)
  return n
}

const proxyHops = (value: string | undefined): number => {
  const v = (value ?? "").trim().toLowerCase()
  if (v === "" || v === "false" || v === "0" || v === "no" || v === "off") return 0
  if (v === "true" || v === "yes" || v === "on") return 1
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new ConfigError(`TRUST_PROXY must be true, false or a number of proxies, got "${value}"`)
  return n
}

const apiTokens = (value: string | undefined): ApiTokens => {
  try {
    return parseApiTokens(value)
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error))
  }
}

/** PORTAL_NOTIFY_POLL_MS: how often the notification worker looks for work when idle (50–600000, default 2000). */
const pollMs = (value: string | undefined): number => {
  const v = (value ?? "").trim()
  if (v === "") return 2000
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 50 || n > 600_000)
    throw new ConfigError(`PORTAL_NOTIFY_POLL_MS must be a number of milliseconds from 50 to 600000, got "${value}"`)
  return n
}

/** PORTAL_WEBHOOK_POLL_MS: how often the webhook worker looks for work when idle (50–600000, default 2000). */
const webhookPollMs = (value: string | undefined): number => {
  const v = (value ?? "").trim()
  if (v === "") return 2000
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 50 || n > 600_000)
    throw new ConfigError(`PORTAL_WEBHOOK_POLL_MS must be a number of milliseconds from 50 to 600000, got "${value}"`)
  return n
}

/** PORTAL_AGENT_EVENTS_POLL_MS: how often an agent's event stream also reads the events table (P-AGT-4; 100–600000, default 5000). */
const agentPollMs = (value: string | undefined): number => {
  const v = (value ?? "").trim()
  if (v === "") return 5000
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 100 || n > 600_000)
    throw new ConfigError(
      `PORTAL_AGENT_EVENTS_POLL_MS must be a number of milliseconds from 100 to 600000, got "${value}"`,
    )
  return n
}

/** PORTAL_HEAP_GROWTH_PERCENT: 0 (V8's heuristics) or 10 to 300; default 100. */
const heapGrowthPercent = (value: string | undefined): number => {
  const v = (value ?? "").trim()
  if (v === "") return 100
  const n = Number(v)
  if (!/^\d+$/.test(v) || (n !== 0 && (n < 10 || n > 300)))
    throw new ConfigError(`PORTAL_HEAP_GROWTH_PERCENT must be 0 or a whole percentage from 10 to 300, got "${value}"`)
  return n
}

const graceSeconds = (value: string | undefined): number => {
  const v = (value ?? "").trim()
  if (v === "") return 10
  const n = Number(v)
  if (!/^\d+(\.\d+)?$/.test(v) || n > 3600)
    throw new ConfigError(`PORTAL_SHUTDOWN_GRACE_SECONDS must be a number of seconds from 0 to 3600, got "${value}"`)
  return n
}

/** DATABASE_URL: a postgres:// or postgresql:// URL with a host (never echoed: it may hold a password). */
const postgresUrl = (value: string): string => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError("DATABASE_URL must be a postgres://user:password@host:5432/database URL; it is not a URL")
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new ConfigError(
      `DATABASE_URL must be a PostgreSQL URL (postgres:// or postgresql://), got a ${url.protocol.replace(/:$/, "")}:// URL`,
    )
  if (url.hostname === "" && !url.searchParams.has("host"))
    throw new ConfigError("DATABASE_URL must name a host (postgres://user:password@host:5432/database)")
  return value
}

const smtpUrl = (value: string | undefined): string | null => {
  const v = value?.trim()
  if (!v) return null
  let url: URL
  try {
    url = new URL(v)
  } catch {
    throw new ConfigError(
      "SMTP_URL must be an smtp:// or smtps:// URL (smtp://user:password@host:587); it is not a URL",
    )
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    throw new ConfigError(`SMTP_URL must be an smtp:// or smtps:// URL, got a ${url.protocol.replace(/:$/, "")}:// URL`)
  if (url.hostname === "") throw new ConfigError("SMTP_URL must name a host (smtp://host:587)")
  return v
}

const logLevel = (value: string | undefined): string => {
  const v = (value ?? "").trim().toLowerCase()
  if (v === "") return "info"
  if (!(LOG_LEVELS as ReadonlyArray<string>).includes(v))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${value}"`)
  return v
}

const flag = (name: string, value: string | undefined): boolean => {
  const v = (value ?? "").trim()
  if (v === "" || v === "0") return false
  if (v === "1") return true
  throw new ConfigError(`${name} must be 1 or unset, got "${value}"`)
}

const secretOf = (value: string | undefined): string | null => {
  if (value === undefined || value === "") return null
  if (value.length < 32)
    throw new ConfigError(
      `PORTAL_SECRET must be at least 32 characters (e.g. openssl rand -base64 32), got ${value.length}`,
    )
  return value
}

export const readConfig = (env: NodeJS.ProcessEnv = process.env): ServerConfig => {
  const databaseUrl = env.DATABASE_URL?.trim() ? postgresUrl(env.DATABASE_URL.trim()) : undefined
  const storageKind = env.PORTAL_STORAGE?.trim()
  if (storageKind !== undefined && storageKind !== "" && storageKind !== "memory")
    throw new ConfigError(`PORTAL_STORAGE must be "memory" or unset, got "${env.PORTAL_STORAGE}"`)
  if (storageKind === "memory" && databaseUrl !== undefined)
    throw new ConfigError("PORTAL_STORAGE=memory and DATABASE_URL are both set: choose one")
  const demoDir = resolve(REPO_ROOT, env.PORTAL_DEMO_DIR?.trim() || "demo")
  if (env.PORTAL_DEMO_DIR?.trim() && !existsSync(demoDir))
    throw new ConfigError(`PORTAL_DEMO_DIR must be a folder of demo documents; ${demoDir} does not exist`)
  const host = env.HOST?.trim() || "0.0.0.0"
  const storage: StorageChoice =
    storageKind === "memory"
      ? { kind: "memory" }
      : databaseUrl
        ? { kind: "postgres", url: databaseUrl }
        : // An empty PORTAL_DATA_DIR is unset (resolving "" would put the database in the repository root).
          { kind: "pglite", dataDir: resolve(REPO_ROOT, env.PORTAL_DATA_DIR?.trim() || ".data") }
  return {
    port: int("PORT", env.PORT, 3000),
    host,
    storage,
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM?.trim() || "Customer portal <portal@localhost>",
    trustProxy: proxyHops(env.TRUST_PROXY),
    publicLinks: {
      scheme: publicScheme(env.PORTAL_PUBLIC_SCHEME),
      port: env.PORTAL_PUBLIC_PORT?.trim() ? int("PORTAL_PUBLIC_PORT", env.PORTAL_PUBLIC_PORT.trim(), 0) : null,
    },
    apiTokens: apiTokens(env.PORTAL_API_TOKENS),
    demoDir,
    defaultStore: storage.kind === "pglite" && !env.PORTAL_DATA_DIR?.trim() && !storageKind,
    portalHandler: join(REPO_ROOT, "apps", "portal", "build", "handler.js"),
    logLevel: logLevel(env.LOG_LEVEL),
    shutdownGraceMs: graceSeconds(env.PORTAL_SHUTDOWN_GRACE_SECONDS) * 1000,
    heapGrowthPercent: heapGrowthPercent(env.PORTAL_HEAP_GROWTH_PERCENT),
    notifyPollMs: pollMs(env.PORTAL_NOTIFY_POLL_MS),
    agentEventsPollMs: agentPollMs(env.PORTAL_AGENT_EVENTS_POLL_MS),
    secret: secretOf(env.PORTAL_SECRET),
    oidcAllowInsecure: flag("OIDC_ALLOW_INSECURE", env.OIDC_ALLOW_INSECURE),
    webhookPollMs: webhookPollMs(env.PORTAL_WEBHOOK_POLL_MS),
    webhookAllowPrivate: flag("PORTAL_WEBHOOK_ALLOW_PRIVATE", env.PORTAL_WEBHOOK_ALLOW_PRIVATE),
    inboundSmtp: env.PORTAL_INBOUND_SMTP_PORT?.trim()
      ? {
          port: int("PORTAL_INBOUND_SMTP_PORT", env.PORTAL_INBOUND_SMTP_PORT.trim(), 0),
          host: env.PORTAL_INBOUND_SMTP_HOST?.trim() || "127.0.0.1",
        }
      : null,
  }
}

export const portalBuildExists = (config: Pick<ServerConfig, "portalHandler">) => existsSync(config.portalHandler)
