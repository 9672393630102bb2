/**
 * OutboxStore in memory: the same rules as on SQL (stores/OutboxStore.ts). `commit` is one state
 * swap, so the cursor check, the mails and the new cursor are all-or-nothing; a claimed mail is
 * "sending" until its lease ends, so a second worker on the same state skips it.
 */
import type { WorkspaceId } from "@portal/core/domain"
import type { OutboxMail, OutboxStoreShape } from "@portal/core/ports"
import { pruneSentMails } from "./Housekeeping.ts"
import { copy, type MemoryDb, read, write } from "./State.ts"

const cursorKey = (consumer: string, workspaceId: string) => JSON.stringify([consumer, workspaceId])

type Row = OutboxMail & { readonly dueMs: number }

const publicOf = ({ dueMs: _, ...mail }: Row): OutboxMail => copy(mail)

export const outboxStore = (db: MemoryDb): OutboxStoreShape => ({
  backlog: (consumer) =>
    read(db, (s) =>
      [...s.workspaces.keys()]
        .sort()
        .map((id) => ({
          workspaceId: id as WorkspaceId,
          cursor: s.cursors.get(cursorKey(consumer, id)) ?? 0,
          head: s.sequences.get(id) ?? 0,
        }))
        .filter((b) => b.head > b.cursor),
    ),
  commit: (consumer, workspaceId, from, to, mails, nowMs) =>
    write<{ readonly advanced: boolean; readonly inserted: number }>(db, "commit", (s) => {
      const key = cursorKey(consumer, workspaceId)
      if ((s.cursors.get(key) ?? 0) !== from) return [{ advanced: false, inserted: 0 }, s]
      let outbox = s.outbox
      let next = outbox.reduce((max, m) => Math.max(max, Number(m.id)), 0)
      let inserted = 0
      for (const m of mails) {
        const taken = outbox.some(
          (o) =>
            o.workspaceId === workspaceId &&
            o.eventId === m.eventId &&
            o.contactId === m.contactId &&
            o.kind === m.kind,
        )
        if (taken) continue
        next++
        inserted++
        outbox = [
          ...outbox,
          {
            ...copy(m),
            id: String(next),
            workspaceId,
            status: "pending",
            attempts: 0,
            lastError: null,
            createdMs: nowMs,
            sentMs: null,
            dueMs: nowMs,
          },
        ]
      }
      return [
        { advanced: true, inserted },
        { ...s, outbox, cursors: new Map(s.cursors).set(key, to) },
      ]
    }),
  claim: (nowMs, leaseMs, limit) =>
    write(db, "claim", (s) => {
      const due = s.outbox
        .filter((m) => (m.status === "pending" || m.status === "sending") && m.dueMs <= nowMs)
        .sort((a, b) => a.dueMs - b.dueMs || Number(a.id) - Number(b.id))
        .slice(0, limit)
      const ids = new Set(due.map((m) => m.id))
      const outbox = s.outbox.map((m) =>
        ids.has(m.id) ? { ...m, status: "sending" as const, attempts: m.attempts + 1, dueMs: nowMs + leaseMs } : m,
      )
      return [outbox.filter((m) => ids.has(m.id)).map(publicOf), { ...s, outbox }]
    }),
  markSent: (id, nowMs) =>
    write(db, "markSent", (s) => [
      undefined,
      {
        ...s,
        outbox: s.outbox.map((m) =>
          m.id === id ? { ...m, status: "sent" as const, sentMs: nowMs, lastError: null } : m,
        ),
      },
    ]),
  markFailed: (id, error, retryAtMs) =>
    write(db, "markFailed", (s) => [
      undefined,
      {
        ...s,
        outbox: s.outbox.map((m) =>
          m.id === id
            ? {
                ...m,
                status: retryAtMs === null ? ("failed" as const) : ("pending" as const),
                lastError: error,
                dueMs: retryAtMs ?? m.dueMs,
              }
            : m,
        ),
      },
    ]),
  pruneSent: (sentBeforeMs, limit) => write(db, "pruneSent", pruneSentMails(sentBeforeMs, limit)),
  list: (workspaceId, limit) =>
    read(db, (s) =>
      s.outbox
        .filter((m) => m.workspaceId === workspaceId)
        .reverse()
        .slice(0, limit)
        .map(publicOf),
    ),
})
