import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { StatusDisplay, TicketSummary, VisibleMessage } from "../../src/domain/index.ts"
import {
  CustomerTicketDetail,
  CustomerTicketListing,
  customerTicketDetail,
  customerTicketListing,
  messageWithShownNames,
  summaryWithShownNames,
} from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

// Internal values carry markers no other field contains, so finding one in the output is a leak.
const stageIdOf = (n: number) => `stgid${n}zz`
const stageLabelOf = (n: number) => `StageLabel${n}ZZ`
const agentIdOf = (n: number) => `agentid${n}qq`
const BIDI = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200e",
  "\u200f",
  "\u061c",
]

/** Plain text with bidi controls sprinkled in (as a file "\u202Egnp.exe" would). */
const shownText = fc
  .array(fc.oneof(fc.constantFrom(...BIDI), fc.constantFrom("a", "b", "é", "請", "求", " ", ".", "exe", "png")), {
    maxLength: 8,
  })
  .map((p) => p.join(""))

const person = fc.record({
  name: shownText,
  firstName: fc.option(shownText, { nil: undefined }),
  lastName: fc.option(shownText, { nil: undefined }),
})

const summary: fc.Arbitrary<TicketSummary> = fc
  .record({
    n: fc.nat(9),
    subject: shownText,
    requester: fc.option(person, { nil: null }),
    owner: fc.option(fc.tuple(fc.nat(9), shownText), { nil: null }),
    state: fc.constantFrom("open" as const, "closed" as const),
  })
  .map(({ n, subject, requester, owner, state }) => ({
    id: `t${n}` as never,
    subject,
    requester:
      requester === null
        ? null
        : {
            id: "p1",
            name: requester.name,
            ...(requester.firstName === undefined ? {} : { firstName: requester.firstName }),
            ...(requester.lastName === undefined ? {} : { lastName: requester.lastName }),
          },
    owner: owner === null ? null : { id: agentIdOf(owner[0]), name: owner[1] },
    createdAt: "2026-10-01T09:00:00Z" as never,
    lastActivityAt: "2026-10-02T09:00:00Z" as never,
    status: { pipelineId: `pipeid${n}` as never, stageId: stageIdOf(n) as never, stageLabel: stageLabelOf(n), state },
  }))

const message: fc.Arbitrary<VisibleMessage> = fc
  .record({
    agent: fc.option(fc.nat(9), { nil: null }),
    name: shownText,
    files: fc.array(shownText, { maxLength: 3 }),
  })
  .map(({ agent, name, files }) => ({
    id: "m1" as never,
    createdAt: "2026-10-01T09:00:00Z" as never,
    author:
      agent === null
        ? { type: "contact" as const, id: "p1" as never }
        : { type: "agent" as const, id: agentIdOf(agent) as never },
    authorName: name,
    text: "hello",
    attachments: files.map((f, i) => ({ id: `a${i}` as never, name: f, contentType: "text/plain", size: 1 })),
  }))

const display = fc.constantFrom<StatusDisplay>("openClosed", "stages")

const detailOf = (ticket: TicketSummary, messages: ReadonlyArray<VisibleMessage>) => ({
  ticket,
  content: "c",
  properties: { category: "billing" },
  thread: {
    id: "th1" as never,
    ticketId: ticket.id,
    channel: "email" as const,
    inboxId: "inboxid7ww" as never,
    createdAt: "2026-10-01T09:00:00Z" as never,
  },
  messages,
  canReply: true,
  canClose: false,
  replyRefusal: null,
  closeRefusal: "close_disabled" as const,
})

const hasBidi = (text: string) => BIDI.some((c) => text.includes(c))

/** Every string of a value, deep. */
const strings = (value: unknown): ReadonlyArray<string> =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : typeof value === "object" && value !== null
        ? Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)])
        : []

describe("CustomerView: what a customer may see of a ticket (P-SEC-6)", () => {
  it("P-SEC-6: no stage id, pipeline id, inbox id or agent id; the stage label only when the portal shows stages", () => {
    fc.assert(
      fc.property(
        fc.array(summary, { maxLength: 5 }),
        fc.array(message, { maxLength: 4 }),
        display,
        (items, messages, d) => {
          const listing = customerTicketListing({ items, nextCursor: null, organizationView: false, statusDisplay: d })
          const details = items.map((t) => customerTicketDetail(detailOf(t, messages), d))
          const json = JSON.stringify([listing, details])
          expect(json).not.toMatch(/stgid\d+zz|pipeid\d+|agentid\d+qq|inboxid7ww/)
          if (d === "openClosed") expect(json).not.toMatch(/StageLabel\d+ZZ/)
          else for (const t of listing.items) expect(t.statusLabel).toMatchObject({ kind: "stage" })
          // The shapes the API states (Schema) accept exactly these values.
          expect(Schema.decodeUnknownSync(CustomerTicketListing)(listing)).toEqual(listing)
          for (const detail of details) expect(Schema.decodeUnknownSync(CustomerTicketDetail)(detail)).toEqual(detail)
        },
      ),
      RUNS,
    )
  })

  it("hole 12a: no name shown to people carries a bidi control (subjects, people, authors, file names)", () => {
    fc.assert(
      fc.property(
        fc.array(summary, { maxLength: 5 }),
        fc.array(message, { maxLength: 4 }),
        display,
        (items, messages, d) => {
          const listing = customerTicketListing({ items, nextCursor: null, organizationView: false, statusDisplay: d })
          const details = items.map((t) => customerTicketDetail(detailOf(t, messages), d))
          for (const s of strings([listing, details])) expect(hasBidi(s), JSON.stringify(s)).toBe(false)
        },
      ),
      RUNS,
    )
    const file = customerTicketDetail(
      detailOf(
        {
          id: "t1" as never,
          subject: "\u202egnp.exe",
          requester: null,
          owner: null,
          createdAt: "2026-10-01T09:00:00Z" as never,
          lastActivityAt: "2026-10-01T09:00:00Z" as never,
          status: { pipelineId: "p" as never, stageId: "s" as never, stageLabel: "S", state: "open" },
        },
        [
          {
            id: "m1" as never,
            createdAt: "2026-10-01T09:00:00Z" as never,
            author: { type: "contact", id: "p1" as never },
            authorName: "Ken\u202e",
            text: "t",
            attachments: [{ id: "a1" as never, name: "\u202egnp.exe", contentType: "image/png", size: 1 }],
          },
        ],
      ),
      "openClosed",
    )
    expect([file.ticket.subject, file.messages[0]?.attachments[0]?.name, file.messages[0]?.authorName]).toEqual([
      "gnp.exe",
      "gnp.exe",
      "Ken",
    ])
  })

  it("P-SEC-6: a contact author keeps its id (the page finds the viewer's own messages); an agent author has none", () => {
    const [contact, agent] = customerTicketDetail(
      detailOf(
        {
          id: "t1" as never,
          subject: "s",
          requester: { id: "p1", name: "Ken Ito", firstName: "Ken", lastName: "Ito" },
          owner: { id: "u1", name: "Hana Sato" },
          createdAt: "2026-10-01T09:00:00Z" as never,
          lastActivityAt: "2026-10-01T09:00:00Z" as never,
          status: { pipelineId: "p" as never, stageId: "s" as never, stageLabel: "Waiting on legal", state: "open" },
        },
        [
          {
            id: "m1" as never,
            createdAt: "2026-10-01T09:00:00Z" as never,
            author: { type: "contact", id: "p1" as never },
            authorName: "Ken Ito",
            text: "t",
            attachments: [],
          },
          {
            id: "m2" as never,
            createdAt: "2026-10-01T09:00:00Z" as never,
            author: { type: "agent", id: "u1" as never },
            authorName: "Hana Sato",
            text: "t",
            attachments: [],
          },
        ],
      ),
      "stages",
    ).messages
    expect([contact?.author, agent?.author]).toEqual([{ type: "contact", id: "p1" }, { type: "agent" }])
  })

  it("hole 12a: the agents' preview keeps every field but shows its names without bidi controls", () => {
    fc.assert(
      fc.property(summary, message, (t, m) => {
        const shownT = summaryWithShownNames(t)
        const shownM = messageWithShownNames(m)
        for (const s of strings([shownT, shownM])) expect(hasBidi(s), JSON.stringify(s)).toBe(false)
        expect({ ...shownT.status, stageLabel: t.status.stageLabel }).toEqual(t.status)
        expect(shownT.owner?.id).toBe(t.owner?.id)
        expect([shownM.author, shownM.text, shownM.attachments.length]).toEqual([
          m.author,
          m.text,
          m.attachments.length,
        ])
      }),
      RUNS,
    )
  })
})
