/**
 * The notification consumer and the mail worker (P-NOT-1..4), two steps a host runs in a loop
 * (apps/server/src/Notifier.ts):
 * - `consumeEvents`: for every workspace whose events run past the "notify" cursor, read the next
 *   events, decide with rules/Notifications who gets which mail, render them
 *   (NotificationMails.ts) and commit the mails with the advanced cursor in one transaction
 *   (OutboxStore.commit). Nothing is lost: the event row was written in its change's transaction.
 * - `deliverOutbox`: claim due mails, send each through the Mailer, mark it sent, or retry later
 *   with exponential backoff, giving up after `maxAttempts` (status "failed").
 */
import { Effect, Exit, Option } from "effect"
import type { Domain } from "../domain/Entities.ts"
import { type ContactId, type TicketId, timeMs, type WorkspaceId } from "../domain/Ids.ts"
import type { PortalSettings } from "../domain/PortalSettings.ts"
import { ContactStore, type StoredContact } from "../ports/ContactStore.ts"
import { type NewOutboxMail, OutboxStore } from "../ports/Outbox.ts"
import { SettingsStore } from "../ports/SettingsStore.ts"
import { Clock, Mailer } from "../ports/System.ts"
import { type PortalEvent, TicketStore } from "../ports/TicketStore.ts"
import { type Catalog, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { visibleThread } from "../rules/Communications.ts"
import { personName } from "../rules/Names.ts"
import { notificationsFor } from "../rules/Notifications.ts"
import { sha256Hex } from "../rules/Sha256.ts"
import { unsubscribeToken } from "../rules/Unsubscribe.ts"
import { renderNotification } from "./NotificationMails.ts"

export const NOTIFY_CONSUMER = "notify"

export interface ReplyAddressInput {
  readonly workspaceId: WorkspaceId
  readonly ticketId: TicketId
  readonly contactId: ContactId
  /** The settings' reply domain, else the portal's first domain. */
  readonly replyDomain: string
}

export interface NotifierOptions {
  /** PORTAL_SECRET: signs the unsubscribe links (rules/Unsubscribe.ts). */
  readonly secret: string
  /** The public origin of a domain host (the API's linkOrigin, never a request's Host). */
  readonly linkOrigin: (host: string) => string
  /**
   * P-NOT-5: the Reply-To address of a notification, `reply+<token>@<replyDomain>`
   * (rules/ReplyAddress.ts); absent or null: no Reply-To header.
   */
  readonly replyAddress?: (input: ReplyAddressInput) => string | null
  /** Events read per workspace and round (default 100). */
  readonly batch?: number
}

const idPart = (...parts: ReadonlyArray<string>) => sha256Hex(JSON.stringify(parts)).slice(0, 32)

/** The Message-ID every mail of a ticket refers to, so mail clients thread them as one conversation. */
export const ticketThreadId = (workspaceId: string, ticketId: string, host: string) =>
  `<ticket.${idPart(workspaceId, ticketId)}@${host}>`

interface WorkspaceContext {
  readonly catalog: Catalog
  readonly domain: Domain
  readonly settings: PortalSettings
}

const settingsOf = (workspaceId: WorkspaceId) =>
  SettingsStore.use((s) => s.get(workspaceId)).pipe(Effect.map(Option.map((v) => v.settings)))

/** The mails one event asks for, rendered. */
const mailsOf = (options: NotifierOptions, workspaceId: WorkspaceId, ctx: WorkspaceContext, event: PortalEvent) =>
  Effect.gen(function* () {
    const tickets = yield* TicketStore
    const ticket = yield* tickets.getById(workspaceId, event.ticketId)
    if (Option.isNone(ticket)) return []
    const t = ticket.value
    const shown = visibleThread(yield* tickets.threadsOf(workspaceId, t.id), ctx.catalog.inboxes)
    const message =
      event.messageId === null || shown === null
        ? undefined
        : (yield* tickets.messagesOf(workspaceId, shown.id)).find((m) => m.id === event.messageId)
    const stage = ctx.catalog.pipelines.find((p) => p.id === t.pipelineId)?.stages.find((s) => s.id === t.stageId)
    const contacts = yield* ContactStore
    // P-NOT-4 / P-EXT-1: the participants get the same emails as the requester; one read for all.
    const participantIds = t.participantIds ?? []
    const wanted = t.requesterId === undefined ? participantIds : [...participantIds, t.requesterId]
    const found = new Map(
      (wanted.length === 0 ? [] : yield* contacts.findByIds(workspaceId, wanted)).map((c) => [c.id, c]),
    )
    const requester = Option.fromUndefinedOr(t.requesterId === undefined ? undefined : found.get(t.requesterId))
    const participants: Array<StoredContact> = participantIds.flatMap((id) => found.get(id) ?? [])
    const recipients = new Map<string, StoredContact>(
      [...participants, ...(Option.isSome(requester) ? [requester.value] : [])].map((c) => [c.id, c]),
    )
    const planned = notificationsFor({
      event,
      shownMessage:
        message === undefined || shown === null ? null : { authorType: message.author.type, channel: shown.channel },
      ticketClosed: stage?.state === "closed",
      requester: Option.isSome(requester)
        ? { id: requester.value.id, unsubscribed: requester.value.unsubscribed === true }
        : null,
      participants: participants.map((c) => ({ id: c.id, unsubscribed: c.unsubscribed === true })),
      settings: ctx.settings.notifications,
    })
    const host = ctx.domain.host.toLowerCase()
    const origin = options.linkOrigin(host)
    const root = ticketThreadId(workspaceId, t.id, host)
    const out: Array<NewOutboxMail> = []
    for (const p of planned) {
      const contact = recipients.get(p.contactId)
      if (contact === undefined) continue
      const unsubscribeLink = `${origin}/unsubscribe/${unsubscribeToken(options.secret, workspaceId, contact.id)}`
      const rendered = renderNotification(p.kind, ctx.domain.language, {
        portalName: ctx.settings.pageTitle || ctx.catalog.workspace.name,
        ticketSubject: t.subject,
        reference: t.id,
        link: `${origin}/${ctx.settings.slug}/${encodeURIComponent(t.id)}`,
        unsubscribeLink,
        ...(message === undefined ? {} : { message: message.text }),
        ...(ctx.settings.ticketLabel === undefined ? {} : { ticketLabel: ctx.settings.ticketLabel }),
        recipientName: personName(
          {
            name: "",
            ...(contact.firstName === undefined ? {} : { firstName: contact.firstName }),
            ...(contact.lastName === undefined ? {} : { lastName: contact.lastName }),
          },
          ctx.domain.language,
        ),
      })
      const replyTo = options.replyAddress?.({
        workspaceId,
        ticketId: t.id,
        contactId: contact.id,
        replyDomain: ctx.settings.notifications?.replyDomain ?? host,
      })
      out.push({
        eventId: event.id,
        ticketId: t.id,
        contactId: contact.id,
        kind: p.kind,
        content: {
          to: contact.email,
          ...rendered,
          headers: {
            "Message-ID": `<n.${idPart(workspaceId, event.id, contact.id, p.kind)}@${host}>`,
            "In-Reply-To": root,
            References: root,
            "List-Unsubscribe": `<${unsubscribeLink}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            ...(replyTo ? { "Reply-To": replyTo } : {}),
          },
        },
      })
    }
    return out
  })

/**
 * One round of the consumer over every workspace with new events; returns the mails written.
 * An event that mails nobody still moves the cursor.
 */
export const consumeEvents = (options: NotifierOptions) =>
  Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const tickets = yield* TicketStore
    let inserted = 0
    for (const b of yield* outbox.backlog(NOTIFY_CONSUMER)) {
      const events = yield* tickets.events(b.workspaceId, b.cursor, options.batch ?? 100)
      const last = events.at(-1)
      if (last === undefined) continue
      const catalog = yield* WorkspaceStore.use((s) => s.catalog(b.workspaceId))
      const settings = yield* settingsOf(b.workspaceId)
      const domain = Option.isSome(catalog) ? catalog.value.domains[0] : undefined
      const mails: Array<NewOutboxMail> = []
      if (Option.isSome(catalog) && Option.isSome(settings) && domain !== undefined) {
        const ctx = { catalog: catalog.value, domain, settings: settings.value }
        for (const e of events) mails.push(...(yield* mailsOf(options, b.workspaceId, ctx, e)))
      }
      const now = timeMs(yield* Clock.use((c) => c.now()))
      const r = yield* outbox.commit(NOTIFY_CONSUMER, b.workspaceId, b.cursor, last.sequence, mails, now)
      inserted += r.inserted
    }
    return inserted
  })

export interface DeliveryOptions {
  /** Mails claimed per round (default 20). */
  readonly limit?: number
  /** How long a claim holds before another process may take the mail (default 5 minutes). */
  readonly leaseMs?: number
  /** Attempts before a mail is given up (default 8). */
  readonly maxAttempts?: number
  /** The first retry's delay; each next one doubles (default 30 s), capped at 6 hours. */
  readonly backoffMs?: number
}

const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000

/** The wait before attempt `attempts + 1` after `attempts` failed ones (exponential, capped). */
export const retryDelayMs = (attempts: number, backoffMs: number): number =>
  Math.min(backoffMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS)

/** One round of the worker: claim due mails, send, mark. Returns what happened to them. */
export const deliverOutbox = (options: DeliveryOptions = {}) =>
  Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const mailer = yield* Mailer
    const clock = yield* Clock
    const nowMs = () => Effect.map(clock.now(), timeMs)
    const claimed = yield* outbox.claim(yield* nowMs(), options.leaseMs ?? 5 * 60_000, options.limit ?? 20)
    let sent = 0
    let failed = 0
    for (const m of claimed) {
      const exit = yield* Effect.exit(mailer.send(m.content))
      if (Exit.isSuccess(exit)) {
        yield* outbox.markSent(m.id, yield* nowMs())
        sent++
        continue
      }
      failed++
      const error = String(Exit.isFailure(exit) ? exit.cause : "").slice(0, 500)
      const giveUp = m.attempts >= (options.maxAttempts ?? 8)
      const retryAt = giveUp ? null : (yield* nowMs()) + retryDelayMs(m.attempts, options.backoffMs ?? 30_000)
      yield* outbox.markFailed(m.id, error, retryAt)
      yield* Effect.logWarning(giveUp ? "notification mail given up" : "notification mail not sent; will retry", {
        id: m.id,
        attempts: m.attempts,
      })
    }
    return { claimed: claimed.length, sent, failed }
  })
