/**
 * The test world: a real server listening on port 0 over the in-memory store (or PGlite), with
 * the demo workspaces loaded (acme on `localhost`, sakura on `127.0.0.1`), a real local SMTP
 * server (@portal/mail/testing), argon2 password hashing, and a clock the tests can move.
 * `edit` changes the demo documents before they are imported (e.g. another access method).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { type ApiConfig, defaultApiConfig, makeApiTokens } from "@portal/api"
import type { IsoTime } from "@portal/core/domain"
import { Clock } from "@portal/core/ports"
import { importWorkspace } from "@portal/core/usecases"
import { layerSmtp } from "@portal/mail"
import { startTestSmtpServer, type TestSmtpServer } from "@portal/mail/testing"
import { type MemoryDb, makeMemoryDb } from "@portal/storage-memory"
import { Effect, Layer } from "effect"
import { type PublicLinks, REPO_ROOT } from "../../src/Config.ts"
import { type Logger, silentLogger } from "../../src/Logger.ts"
import type { StorageSpec } from "../../src/Runtime.ts"
import { type RunningServer, startServer } from "../../src/Server.ts"
import { layerIdGeneratorLive } from "../../src/System.ts"
import { Client } from "./Http.ts"

export const DEMO_DIR = join(REPO_ROOT, "demo")
// biome-ignore lint/suspicious/noExplicitAny: test JSON is read loosely
export type Doc = Record<string, any>
export const demoDoc = (file: "acme.en.json" | "sakura.ja.json"): Doc =>
  JSON.parse(readFileSync(join(DEMO_DIR, file), "utf8"))

export const ACME_TOKEN = "acme-integration-token-0123456789abcdef"
export const SAKURA_TOKEN = "sakura-integration-token-0123456789abcdef"
export const CUSTOMER_PASSWORD = "customer-demo-2026"
export const ADMIN = { email: "hana@acme.test", password: "admin-demo-2026" }
export const AGENT_NO_SETTINGS = { email: "taro@acme.test", password: "agent-demo-2026" }

export const FAST_SLOWDOWN = { windowSeconds: 900, freeFailures: 5, firstDelayMs: 2, maxDelayMs: 8 }

export interface World {
  readonly server: RunningServer
  readonly port: number
  readonly smtp: TestSmtpServer
  readonly db: MemoryDb | null
  /** Move the server's clock (sessions) forward. */
  readonly advanceClock: (ms: number) => void
  readonly client: (host?: string) => Client
  readonly close: () => Promise<void>
}

export interface WorldOptions {
  readonly edit?: (acme: Doc, sakura: Doc) => void
  readonly storage?: StorageSpec
  readonly apiConfig?: ApiConfig
  readonly oidcAllowInsecure?: boolean
  readonly trustProxy?: number
  /** P-SEC-5: scheme and port of emailed links (default: loopback domains get http and the server's port). */
  readonly publicLinks?: PublicLinks
  /** A SvelteKit-style handler module to mount for pages (default: the fallback pages). */
  readonly portalHandler?: string
  /** Default: a silent logger. */
  readonly logger?: Logger
  /** P-NOT-5: start the inbound SMTP listener on a free port (optionally with a small size cap). */
  readonly inboundSmtp?: { readonly maxBytes?: number }
  /** P-HOOK-2: let webhooks go to loopback (a local receiver) over http://. */
  readonly webhookAllowPrivate?: boolean
}

/** The server secret of the test world (SSO state, reply addresses). */
export const WORLD_SECRET = "test-secret-for-sso-state-0123456789"

export const startWorld = async (options: WorldOptions = {}): Promise<World> => {
  const smtp = await startTestSmtpServer()
  const acme = demoDoc("acme.en.json")
  const sakura = demoDoc("sakura.ja.json")
  options.edit?.(acme, sakura)
  const db = options.storage === undefined ? makeMemoryDb() : null
  const offset = { ms: 0 }
  const clock = Layer.succeed(Clock, {
    now: () => Effect.sync(() => new Date(Date.now() + offset.ms).toISOString() as IsoTime),
  })
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    storage: options.storage ?? { kind: "memoryDb", db: db as MemoryDb },
    mailer: layerSmtp({ host: smtp.host, port: smtp.port, secure: false, from: "Portal <portal@test.local>" }),
    system: Layer.merge(clock, layerIdGeneratorLive),
    logger: options.logger ?? silentLogger(),
    apiTokens: makeApiTokens([
      { workspaceId: "acme", token: ACME_TOKEN },
      { workspaceId: "sakura", token: SAKURA_TOKEN },
    ]),
    secret: WORLD_SECRET,
    ...(options.inboundSmtp ? { inboundSmtp: { port: 0, host: "127.0.0.1", ...options.inboundSmtp } } : {}),
    trustProxy: options.trustProxy ?? 0,
    ...(options.publicLinks ? { publicLinks: options.publicLinks } : {}),
    oidcAllowInsecure: options.oidcAllowInsecure ?? false,
    webhookAllowPrivate: options.webhookAllowPrivate ?? false,
    portalHandler: options.portalHandler ?? null,
    demoDir: null,
    // P-SEC-4: the real limits, but the account slowdown in milliseconds so the tests stay quick.
    apiConfig: { ...defaultApiConfig, signInSlowdown: FAST_SLOWDOWN, ...options.apiConfig },
  })
  for (const doc of [acme, sakura]) await server.runtime.runPromise(importWorkspace(doc).pipe(Effect.orDie))
  return {
    server,
    port: server.port,
    smtp,
    db,
    advanceClock: (ms) => {
      offset.ms += ms
    },
    client: (host = "localhost") => new Client(server.port, host),
    close: async () => {
      await server.close()
      await smtp.close()
    },
  }
}

/** The link in a mail's text that starts with the given path. */
export const linkIn = (text: string, path: string): URL => {
  const match = new RegExp(`https?://\\S+${path.replace(/[/]/g, "\\/")}\\?token=[A-Za-z0-9_%-]+`).exec(text)
  if (match === null) throw new Error(`no ${path} link in:\n${text}`)
  return new URL(match[0])
}
