/**
 * P-SEC-3 Idempotency keys are scoped to (workspace, caller, operation), with the fingerprint of
 * the first request: the same key from another caller or for another operation is another key
 * (two customers sending form key F get two tickets); the same key in its scope with another
 * fingerprint is Conflict `idempotency_key_reused` and writes nothing; only the same request
 * again returns the first result. With an `IdempotencyBackdoor`, the stored claims are read back
 * raw (scope, key, fingerprint, command, ticket).
 */
import type { WorkspaceId } from "@portal/core/domain"
import { type CreateTicketCommand, TicketStore } from "@portal/core/ports"
import type { IdempotencyClaim } from "@portal/core/rules"
import { expect } from "vitest"
import { claim, fixtures, message, newTicket, replyTo } from "./Fixtures.ts"
import { type Backdoor, contractSuite, expectCounts, type MakeLayer, type SuiteOptions, use } from "./Harness.ts"

export interface IdempotencyRow {
  readonly scope: string
  readonly key: string
  readonly fingerprint: string
  readonly command: "reply" | "createTicket" | "note"
  readonly ticketId: string
}

/** A backdoor that can also read a workspace's stored idempotency claims. */
export interface IdempotencyBackdoor extends Backdoor {
  readonly idempotencyRows: (workspaceId: string) => Promise<ReadonlyArray<IdempotencyRow>>
}

const hasRows = (backdoor: Backdoor | undefined): backdoor is IdempotencyBackdoor =>
  backdoor !== undefined && "idempotencyRows" in backdoor

const FORM_P1 = "contact:p1/form.submit"
const FORM_P2 = "contact:p2/form.submit"

const create = (ws: WorkspaceId, ticketId: string, idempotency: IdempotencyClaim): CreateTicketCommand => ({
  workspaceId: ws,
  ticket: newTicket(ticketId),
  thread: { id: `th-${ticketId}` as never, inboxId: "ib1" as never, channel: "form" },
  message: message(`m-${ticketId}`),
  idempotency,
  eventId: `event-${ticketId}`,
})

export const suite = (name: string, makeLayer: MakeLayer, options: SuiteOptions = {}) =>
  contractSuite(name, "Idempotency scopes (P-SEC-3)", makeLayer, options, (h) => {
    const f = fixtures(h, "idem")
    const rows = async (ws: WorkspaceId) =>
      hasRows(options.backdoor)
        ? [...(await options.backdoor.idempotencyRows(ws))].sort((a, b) => (a.scope < b.scope ? -1 : 1))
        : null

    h.test("P-SEC-3 the same key from two customers creates two tickets, each answered with its own", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const first = await h.run(
        use(TicketStore, (s) => s.createTicket(create(ws, "idem-1", claim("F", { scope: FORM_P1 })))),
      )
      const second = await h.run(
        use(TicketStore, (s) =>
          s.createTicket(create(ws, "idem-2", claim("F", { scope: FORM_P2, fingerprint: "fp-2" }))),
        ),
      )
      expect(first).toEqual({ ticketId: "idem-1", duplicate: false })
      expect(second).toEqual({ ticketId: "idem-2", duplicate: false })
      expectCounts(before, await h.counts(ws), { tickets: 2, threads: 2, messages: 2, events: 2 })
      const stored = await rows(ws)
      if (stored !== null)
        expect(stored).toEqual([
          { scope: FORM_P1, key: "F", fingerprint: "fp-F", command: "createTicket", ticketId: "idem-1" },
          { scope: FORM_P2, key: "F", fingerprint: "fp-2", command: "createTicket", ticketId: "idem-2" },
        ])
    })

    h.test("P-SEC-3 the same key in its scope with another payload is a Conflict and writes nothing", async () => {
      const ws = (await f.workspace()).id
      await h.run(use(TicketStore, (s) => s.createTicket(create(ws, "idem-3", claim("G", { scope: FORM_P1 })))))
      await f.failsWithoutChange(
        ws,
        use(TicketStore, (s) =>
          s.createTicket(create(ws, "idem-4", claim("G", { scope: FORM_P1, fingerprint: "other values" }))),
        ),
        { _tag: "Conflict", reason: "idempotency_key_reused" },
      )
      await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message("idem-r1"), "R"))))
      // The same reply key on another ticket (another payload): refused, not the first reply's result.
      const onT1 = {
        ...replyTo(ws, "t1", "th1", message("idem-r2"), "R"),
        idempotency: claim("R", { fingerprint: "t1" }),
      }
      await f.failsWithoutChange(
        ws,
        use(TicketStore, (s) => s.reply(onT1)),
        {
          _tag: "Conflict",
          reason: "idempotency_key_reused",
        },
      )
      const stored = await rows(ws)
      if (stored !== null)
        expect(stored.map((r) => [r.scope, r.key, r.fingerprint, r.ticketId])).toEqual([
          ["contact:p1/form.submit", "G", "fp-G", "idem-3"],
          ["contact:p1/reply", "R", "fp-R", "t2"],
        ])
    })

    h.test("P-SEC-3 one key used for a reply and for a form submission: two independent writes", async () => {
      const ws = (await f.workspace()).id
      const before = await h.counts(ws)
      const replied = await h.run(use(TicketStore, (s) => s.reply(replyTo(ws, "t2", "th2", message("idem-r3"), "K"))))
      const created = await h.run(
        use(TicketStore, (s) => s.createTicket(create(ws, "idem-5", claim("K", { scope: FORM_P1 })))),
      )
      expect(replied).toEqual({ messageId: "idem-r3", threadId: "th2", duplicate: false })
      expect(created).toEqual({ ticketId: "idem-5", duplicate: false })
      expectCounts(before, await h.counts(ws), { tickets: 1, threads: 1, messages: 2, events: 2 })
    })

    h.test("P-SEC-3 the same request again (scope, key, fingerprint) returns the first result", async () => {
      const ws = (await f.workspace()).id
      const first = await h.run(
        use(TicketStore, (s) => s.createTicket(create(ws, "idem-6", claim("H", { scope: FORM_P1 })))),
      )
      const before = await f.snapshot(ws)
      // A retry carries new ids (the use-case makes them afresh); the claim is the same.
      const again = await h.run(
        use(TicketStore, (s) => s.createTicket(create(ws, "idem-7", claim("H", { scope: FORM_P1 })))),
      )
      expect(again).toEqual({ ticketId: first.ticketId, duplicate: true })
      expect(await f.snapshot(ws)).toEqual(before)
    })
  })
