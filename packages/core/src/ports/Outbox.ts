/**
 * The notification outbox (P-NOT-3): event consumers' cursors and the mail rows they write.
 * - A consumer reads the event stream (TicketStore.events) past its cursor, decides the mails
 *   (rules/Notifications.ts), and `commit`s them: the mails and the new cursor in ONE transaction,
 *   and only if the cursor is still where the consumer read it (a compare-and-set), so two
 *   processes reading the same events write their mails once. A mail is unique by (workspace,
 *   event, contact, kind): a second insert of the same one is ignored.
 * - A worker `claim`s due mails (PostgreSQL: `FOR UPDATE SKIP LOCKED`, then a lease), sends them,
 *   and marks each sent, or failed with the time of the next attempt (null: given up, visible as
 *   status "failed"). A claim whose process died is claimed again when its lease ends.
 * Adapters: storage-memory (OutboxMemory.ts), storage-postgres (stores/OutboxStore.ts, migration 10).
 */
import { Context, type Effect } from "effect"
import type { ContactId, TicketId, WorkspaceId } from "../domain/Ids.ts"
import type { StoreError } from "./WorkspaceStore.ts"

/** Which notification a mail is (P-NOT-1, P-NOT-2). */
export type NotificationKind = "agentMessage" | "formConfirmation" | "closed"
export const NOTIFICATION_KINDS: ReadonlyArray<NotificationKind> = ["agentMessage", "formConfirmation", "closed"]

/** A rendered mail as the outbox keeps it: everything the Mailer needs, headers included. */
export interface OutboxContent {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string
  /** Message-ID, In-Reply-To, References, List-Unsubscribe, List-Unsubscribe-Post, Reply-To. */
  readonly headers: Readonly<Record<string, string>>
}

export interface NewOutboxMail {
  readonly eventId: string
  readonly ticketId: TicketId
  readonly contactId: ContactId
  readonly kind: NotificationKind
  readonly content: OutboxContent
}

export type OutboxStatus = "pending" | "sending" | "sent" | "failed"

export interface OutboxMail extends NewOutboxMail {
  readonly id: string
  readonly workspaceId: WorkspaceId
  readonly status: OutboxStatus
  readonly attempts: number
  readonly lastError: string | null
  readonly createdMs: number
  readonly sentMs: number | null
}

/** A workspace whose events run past the consumer's cursor. */
export interface EventBacklog {
  readonly workspaceId: WorkspaceId
  readonly cursor: number
  readonly head: number
}

export interface OutboxStoreShape {
  /**
   * Workspaces with events after the consumer's cursor (a workspace without a cursor row starts
   * at 0; migration 10 gave every workspace that existed before it a cursor at its head).
   */
  readonly backlog: (consumer: string) => Effect.Effect<ReadonlyArray<EventBacklog>, StoreError>
  /**
   * One transaction: when the consumer's cursor for the workspace is still `from`, insert the
   * mails (duplicates by (event, contact, kind) ignored) and set the cursor to `to`.
   * `advanced: false` when another process moved the cursor first; nothing is written then.
   */
  readonly commit: (
    consumer: string,
    workspaceId: WorkspaceId,
    from: number,
    to: number,
    mails: ReadonlyArray<NewOutboxMail>,
    nowMs: number,
  ) => Effect.Effect<{ readonly advanced: boolean; readonly inserted: number }, StoreError>
  /**
   * Up to `limit` due mails (pending with next attempt ≤ now, or sending with an expired lease),
   * oldest first, each now "sending" with a lease until now + leaseMs and one more attempt.
   * Rows another process holds are skipped.
   */
  readonly claim: (
    nowMs: number,
    leaseMs: number,
    limit: number,
  ) => Effect.Effect<ReadonlyArray<OutboxMail>, StoreError>
  readonly markSent: (id: string, nowMs: number) => Effect.Effect<void, StoreError>
  /** `retryAtMs` null: give up (status "failed"); else pending again from that time. */
  readonly markFailed: (id: string, error: string, retryAtMs: number | null) => Effect.Effect<void, StoreError>
  /**
   * Housekeeping (issue 12): delete up to `limit` mails sent (status "sent") at or before
   * `sentBeforeMs`; pending, sending and failed mails are kept. Returns how many.
   */
  readonly pruneSent: (sentBeforeMs: number, limit: number) => Effect.Effect<number, StoreError>
  /** The workspace's mails, newest first (admin and tests). */
  readonly list: (workspaceId: WorkspaceId, limit: number) => Effect.Effect<ReadonlyArray<OutboxMail>, StoreError>
}

export class OutboxStore extends Context.Service<OutboxStore, OutboxStoreShape>()("@portal/core/OutboxStore") {}
