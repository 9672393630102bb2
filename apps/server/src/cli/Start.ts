/**
 * `portal start [--demo]`: serve everything on PORT, load the demo workspaces into an empty
 * embedded default store (or, with --demo, into any empty store; never into PostgreSQL by
 * default, P-DATA-2, Demo.ts) and say in the log whether it did, print the URLs and demo
 * accounts, remove orphan blobs every hour (Gc.ts), run the notification worker (Notifier.ts,
 * P-NOT-3), and stop cleanly on SIGINT / SIGTERM (the worker finishes the mail it is sending first).
 */
import { replyAddress } from "@portal/core/rules"
import type { ReplyAddressInput } from "@portal/core/usecases"
import type { ServerConfig } from "../Config.ts"
import { demoChoice } from "../Demo.ts"
import { applyHeapGrowth } from "../Heap.ts"
import { agentEventTimings } from "../http/AgentEvents.ts"
import type { Logger } from "../Logger.ts"
import { layerMailer } from "../Mail.ts"
import { startNotifier } from "../Notifier.ts"
import { startServer } from "../Server.ts"
import { makeShutdown, nextStopSignal } from "../Shutdown.ts"
import { startWebhookWorker } from "../WebhookWorker.ts"
import type { ParsedArgs } from "./Args.ts"
import { scheduleOrphanBlobCleanup } from "./Gc.ts"

export const startCommand = async (config: ServerConfig, logger: Logger, args: ParsedArgs): Promise<number> => {
  agentEventTimings.pollMs = config.agentEventsPollMs
  applyHeapGrowth(config.heapGrowthPercent)
  if (config.smtpUrl === null)
    logger.warn(
      "!!! SMTP_URL is not set: invitation, password-reset and notification emails are NOT sent, they are written to this log. Set SMTP_URL (e.g. smtp://127.0.0.1:2525) and MAIL_FROM to send them. !!!",
    )
  const storage =
    config.storage.kind === "postgres"
      ? "PostgreSQL (DATABASE_URL)"
      : config.storage.kind === "pglite"
        ? `PGlite in ${config.storage.dataDir}`
        : "memory"
  const demo = demoChoice({ defaultStore: config.defaultStore, storage }, args.options.get("demo") === true)
  const running = await startServer({
    port: config.port,
    host: config.host,
    storage: config.storage,
    mailer: layerMailer(config.smtpUrl, config.mailFrom, logger),
    logger,
    apiTokens: config.apiTokens,
    ...(config.secret !== null ? { secret: config.secret } : {}),
    trustProxy: config.trustProxy,
    publicLinks: config.publicLinks,
    oidcAllowInsecure: config.oidcAllowInsecure,
    portalHandler: config.portalHandler,
    demoDir: demo.load ? config.demoDir : null,
    ...(config.inboundSmtp ? { inboundSmtp: config.inboundSmtp } : {}),
    webhookAllowPrivate: config.webhookAllowPrivate,
  })
  if (!demo.load) logger.info(`demo workspaces not loaded: ${demo.why}`)
  else if (running.demo !== null && running.demo.loaded.length > 0)
    logger.warn(
      `demo workspaces loaded (${running.demo.loaded.join(", ")}) because ${demo.why}; their passwords are published in the README, so never use this store in production`,
    )
  else
    logger.info(
      `demo workspaces not loaded: the store already holds ${running.demo?.existing ?? 0} workspace(s); the demo only goes into an empty store`,
    )
  logger.info({ port: running.port, storage, demoLoaded: running.demo?.loaded ?? [] }, "portal started")
  // Background workers: each registers how it stops (after its current item) with onShutdown.
  const shutdown = makeShutdown(logger)
  shutdown.onShutdown(
    scheduleOrphanBlobCleanup((cleanup) => running.runtime.runPromise(cleanup), logger),
    "orphan blob cleanup",
  )
  const notifier = startNotifier({
    runtime: running.runtime,
    logger,
    secret: running.secret,
    linkOrigin: running.linkOrigin,
    // P-NOT-5: with the inbound listener running, notifications name the reply address in Reply-To.
    ...(running.inbound === null
      ? {}
      : {
          replyAddress: (i: ReplyAddressInput) =>
            replyAddress(
              running.secret,
              { workspaceId: i.workspaceId, ticketId: i.ticketId, contactId: i.contactId },
              i.replyDomain,
            ),
        }),
    pollMs: config.notifyPollMs,
  })
  shutdown.onShutdown(() => notifier.stop(), "notifier")
  // P-HOOK-1: the webhook consumer and delivery worker (WebhookWorker.ts).
  const webhooks = startWebhookWorker({ runtime: running.runtime, logger, pollMs: config.webhookPollMs })
  shutdown.onShutdown(() => webhooks.stop(), "webhooks")
  const hosts = [...new Set((running.demo?.accounts ?? []).map((a) => a.host))]
  const lines = [
    `Customer portal listening on port ${running.port} (store: ${storage})`,
    ...hosts.map((h) => `  http://${h}:${running.port}/`),
    ...(running.inbound ? [`Inbound SMTP for replies by email on port ${running.inbound.port}`] : []),
    ...(running.demo && running.demo.accounts.length > 0
      ? [
          "Demo accounts:",
          ...running.demo.accounts.map(
            (a) => `  ${a.host.padEnd(10)} ${a.who.padEnd(8)} ${a.email.padEnd(22)} ${a.password}`,
          ),
        ]
      : []),
  ]
  process.stdout.write(`${lines.join("\n")}\n`)
  const signal = await nextStopSignal()
  return stopGracefully(signal, config.shutdownGraceMs, logger, shutdown, running)
}

/**
 * Shutdown.ts: stop listening and let requests in flight finish (up to `graceMs`) while the
 * workers stop, then close the store. A second signal, or a hook that hangs past the grace
 * period + 5 s, exits with 1 at once.
 */
const stopGracefully = async (
  signal: NodeJS.Signals,
  graceMs: number,
  logger: Logger,
  shutdown: ReturnType<typeof makeShutdown>,
  running: Awaited<ReturnType<typeof startServer>>,
): Promise<number> => {
  logger.info({ signal, graceMs }, "stopping: no new connections, finishing the requests in flight")
  const force = (why: string) => {
    logger.error(why)
    process.exit(1)
  }
  void nextStopSignal().then((again) => force(`${again} during shutdown: exiting now`))
  const deadline = setTimeout(() => force("shutdown took too long: exiting now"), graceMs + 5000)
  deadline.unref()
  const [cut] = await Promise.all([running.drain(graceMs), shutdown.runHooks()])
  if (cut > 0) logger.warn({ cut }, `grace period over: ${cut} connection(s) cut`)
  await running.close()
  clearTimeout(deadline)
  logger.info("stopped")
  return 0
}
