/**
 * Start one server process: build the runtime (store opened and migrated), optionally load the
 * demo workspaces into an empty store, mount the SvelteKit pages if built, listen.
 */
import { randomBytes } from "node:crypto"
import { createServer, type RequestListener, type Server } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { type ApiConfig, type ApiTokens, defaultApiConfig } from "@portal/api"
import type { Clock, IdGenerator, Mailer, PasswordHasher } from "@portal/core/ports"
import type { Layer } from "effect"
import { createPortalApp } from "./App.ts"
import { linkOriginOf, type PublicLinks } from "./Config.ts"
import { loadDemosIntoEmptyStore } from "./Demo.ts"
import { loadSvelteKitHandler } from "./http/Pages.ts"
import { type InboundSmtp, startInboundSmtp } from "./InboundSmtp.ts"
import type { Logger } from "./Logger.ts"
import { makeRuntime, type ServerRuntime, type StorageSpec, warmUp } from "./Runtime.ts"
import { makeWebhookSender } from "./WebhookSender.ts"

export interface StartOptions {
  readonly port: number
  readonly host?: string
  readonly storage: StorageSpec
  readonly mailer: Layer.Layer<Mailer>
  readonly passwordHasher?: Layer.Layer<PasswordHasher>
  readonly system?: Layer.Layer<Clock | IdGenerator>
  readonly logger: Logger
  readonly apiTokens: ApiTokens
  /** PORTAL_SECRET; a random one per process when absent (fine for one node). */
  readonly secret?: string
  readonly trustProxy?: number
  /** P-SEC-5: scheme and port of emailed links (Config.ts); default: https, loopback domains http + this port. */
  readonly publicLinks?: PublicLinks
  readonly oidcAllowInsecure?: boolean
  readonly apiConfig?: ApiConfig
  /** Path of apps/portal/build/handler.js; null or missing file: fallback pages. */
  readonly portalHandler?: string | null
  /** Load demo/*.json into an empty store. */
  readonly demoDir?: string | null
  /** P-NOT-5: the inbound SMTP listener for replies by email (PORTAL_INBOUND_SMTP_PORT); absent: none. */
  readonly inboundSmtp?: { readonly port: number; readonly host?: string; readonly maxBytes?: number }
  /** P-HOOK-2 PORTAL_WEBHOOK_ALLOW_PRIVATE=1: webhooks may go to private and loopback addresses (and http:// there). */
  readonly webhookAllowPrivate?: boolean
}

export interface RunningServer {
  readonly url: string
  readonly port: number
  readonly server: Server
  readonly runtime: ServerRuntime
  readonly demo: Awaited<ReturnType<typeof loadDemosIntoEmptyStore>> | null
  /** The secret links and state are signed with (PORTAL_SECRET, or this process's random one). */
  readonly secret: string
  /** The public origin of a domain host, for emailed links (P-SEC-5). */
  readonly linkOrigin: (host: string) => string
  /** The inbound SMTP listener, when started. */
  readonly inbound: InboundSmtp | null
  /**
   * Graceful stop, first half: stop listening (new connections are refused), answer `/readyz`
   * with 503 and close keep-alive connections after their current response, and wait up to
   * `graceMs` for the requests in flight; then cut what is left. Resolves with how many
   * connections had to be cut (0: every request finished). The store stays open: `close()` next.
   */
  readonly drain: (graceMs: number) => Promise<number>
  /** Cut every connection, stop listening, close the store. */
  readonly close: () => Promise<void>
}

export const startServer = async (options: StartOptions): Promise<RunningServer> => {
  const runtime = makeRuntime({
    storage: options.storage,
    mailer: options.mailer,
    ...(options.passwordHasher ? { passwordHasher: options.passwordHasher } : {}),
    ...(options.system ? { system: options.system } : {}),
    webhookSender: makeWebhookSender({ allowPrivate: options.webhookAllowPrivate === true }),
  })
  try {
    await warmUp(runtime)
    const demo = options.demoDir ? await loadDemosIntoEmptyStore(runtime, options.demoDir) : null
    const pages = options.portalHandler ? await loadSvelteKitHandler(options.portalHandler) : null
    if (options.secret === undefined)
      options.logger.warn(
        options.inboundSmtp
          ? "PORTAL_SECRET is not set: SSO state, unsubscribe links and the reply addresses of emails are signed with a per-process key, so they stop working after a restart (set it)"
          : "PORTAL_SECRET is not set: SSO state and unsubscribe links are signed with a per-process key (set it when running several nodes, and so that unsubscribe links survive a restart)",
      )
    const secret = options.secret ?? randomBytes(32).toString("base64url")
    // Listen first: the links of a loopback domain carry the port actually bound (PORT=0 in tests).
    let handler: RequestListener | null = null
    let draining = false
    const server = createServer((req, res) => {
      // Draining: this response is the connection's last (no keep-alive past the shutdown).
      if (draining) res.setHeader("Connection", "close")
      if (handler !== null) return handler(req, res)
      res.statusCode = 503
      res.end()
    })
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(options.port, options.host ?? "0.0.0.0", () => {
        server.off("error", reject)
        resolve()
      })
    })
    const port = (server.address() as AddressInfo).port
    const apiConfig = options.apiConfig ?? defaultApiConfig
    const linkOrigin = apiConfig.linkOrigin ?? linkOriginOf(options.publicLinks ?? { scheme: null, port: null }, port)
    const { listener } = createPortalApp({
      runtime,
      logger: options.logger,
      apiTokens: options.apiTokens,
      secret,
      trustProxy: options.trustProxy ?? 0,
      pages,
      apiConfig: {
        ...apiConfig,
        linkOrigin,
      },
      ...(options.oidcAllowInsecure ? { oidcAllowInsecure: true } : {}),
      isDraining: () => draining,
    })
    handler = listener
    const sockets = new Set<Socket>()
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.once("close", () => sockets.delete(socket))
    })
    let closed: Promise<void> | null = null
    const stopListening = () => {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
      return closed
    }
    const inbound = options.inboundSmtp
      ? await startInboundSmtp({ ...options.inboundSmtp, runtime, secret, logger: options.logger }).catch(
          async (error: unknown) => {
            server.closeAllConnections()
            await new Promise<void>((resolve) => server.close(() => resolve()))
            throw error
          },
        )
      : null
    if (inbound !== null) options.logger.info({ port: inbound.port }, "inbound SMTP listening for replies by email")
    return {
      url: `http://localhost:${port}`,
      port,
      server,
      runtime,
      demo,
      secret,
      linkOrigin,
      inbound,
      drain: async (graceMs) => {
        draining = true
        const done = stopListening() // also closes the idle keep-alive connections
        let timer: NodeJS.Timeout | undefined
        const timedOut = new Promise<true>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs)
        })
        const late = await Promise.race([done.then(() => false as const), timedOut])
        clearTimeout(timer)
        if (!late) return 0
        const cut = sockets.size
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
        await done
        return cut
      },
      close: async () => {
        draining = true
        await inbound?.close()
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
        await stopListening()
        await runtime.dispose()
      },
    }
  } catch (error) {
    await runtime.dispose()
    throw error
  }
}
