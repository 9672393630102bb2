/**
 * Helpers of the write suites: a fresh demo workspace per test, commands over it, and a
 * snapshot of everything a write may touch (the exported document, the event feed and, with a
 * backdoor, the raw row counts) to prove that a failed write changed nothing.
 */
import type { IsoTime, Ticket, ViewerScope, WorkspaceDocument, WorkspaceId } from "@portal/core/domain"
import { type NewMessage, type ReplyCommand, TicketStore } from "@portal/core/ports"
import type { IdempotencyClaim } from "@portal/core/rules"
import { Option } from "effect"
import { expect } from "vitest"
import { demoDocument, exportDoc, importDoc } from "./Documents.ts"
import { type Harness, use } from "./Harness.ts"

export const LATER = "2026-11-01T10:00:00Z" as IsoTime
export const LATER_STILL = "2026-11-02T10:00:00Z" as IsoTime

export const fixtures = (h: Harness, label: string) => {
  let n = 0
  /** A new workspace holding the demo document (demo/acme.en.json). */
  const workspace = async (): Promise<WorkspaceDocument & { readonly id: WorkspaceId }> => {
    const doc = demoDocument(`${label}-${h.nonce}-${++n}`)
    await h.run(importDoc(doc))
    return Object.assign(doc, { id: doc.workspace.id })
  }
  const events = (ws: WorkspaceId) => h.run(use(TicketStore, (s) => s.events(ws, 0, 1000)))
  const snapshot = async (ws: WorkspaceId) => ({
    document: Option.getOrThrow(await h.run(exportDoc(ws))),
    events: await events(ws),
    counts: await h.counts(ws),
  })
  /** Runs `write`, expects it to fail as `expected`, and the workspace to be exactly as before. */
  const failsWithoutChange = async (
    ws: WorkspaceId,
    write: Parameters<Harness["fail"]>[0],
    expected: object = { _tag: expect.stringMatching(/^Storage/) },
  ) => {
    const before = await snapshot(ws)
    const error = await h.fail(write)
    expect(error).toMatchObject(expected)
    expect(await snapshot(ws)).toEqual(before)
  }
  return { workspace, events, snapshot, failsWithoutChange }
}

export const message = (id: string, over: Partial<NewMessage> = {}): NewMessage => ({
  id: id as NewMessage["id"],
  createdAt: LATER,
  author: { type: "contact", id: "p1" as never },
  text: `Reply ${id}: 100% sure_it's C:\\temp ありがとう`,
  attachments: [],
  ...over,
})

/** A new ticket of Ken (p1, Globex) in the support pipeline, as a helpdesk or a form would create it. */
export const newTicket = (id: string, over: Partial<Ticket> = {}): Ticket =>
  ({
    id,
    subject: "Printer on fire",
    content: "It is really on fire 🔥",
    pipelineId: "support",
    stageId: "new",
    requesterId: "p1",
    createdAt: LATER,
    lastActivityAt: LATER,
    properties: { category: "bug" },
    contactIds: ["p1"],
    companyIds: ["c1"],
    ...over,
  }) as Ticket

/** A test claim of `key` (P-SEC-3): one scope for every test write unless given; fingerprint from the key. */
export const claim = (key: string, over: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
  scope: "contact:p1/reply",
  key,
  fingerprint: `fp-${key}`,
  ...over,
})

export const replyTo = (
  ws: WorkspaceId,
  ticketId: string,
  threadId: string,
  msg: NewMessage,
  key: string,
  eventId = `event-${key}`,
): ReplyCommand => ({
  workspaceId: ws,
  ticketId: ticketId as ReplyCommand["ticketId"],
  thread: { _tag: "Existing", threadId: threadId as never },
  message: msg,
  idempotency: claim(key),
  eventId,
})

/** Ken Ito (p1, company c1) under the demo's settings: company scope, no internal pipeline. */
export const kenScope = (ws: WorkspaceId): ViewerScope => ({
  workspaceId: ws,
  contactId: "p1" as ViewerScope["contactId"],
  companyId: "c1" as ViewerScope["companyId"],
  filters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
})
