/**
 * fast-check generators of small workspaces and of viewers and list queries over them.
 * Small on purpose (≤ 8 tickets) so each run stays cheap, but full of the hard cases: time ties
 * across zones (09:00Z = 18:00+09:00), times before 1970, ids that sort differently by code unit
 * than by locale (B < a), names that trim to nothing, and search text with %, _, \ and Japanese.
 */
import { Buffer } from "node:buffer"
import {
  type Contact,
  decodeWorkspaceDocument,
  FORMAT,
  type PortalSettings,
  type TicketListQuery,
  type WorkspaceDocument,
} from "@portal/core/domain"
import { Effect } from "effect"
import fc from "fast-check"

export const TIMES = [
  "2026-10-01T09:00:00Z",
  "2026-10-01T09:00:00.000Z",
  "2026-10-01T18:00:00+09:00",
  "2026-10-01T09:00:00.5Z",
  "2026-10-02T09:00Z",
  "1969-12-31T23:59:59.999Z",
] as const
export const WORDS = ["a", "A", "b", "%", "_", "\\", "あ", "ア", "日本", " ", "x%y", "a_b"] as const
const TICKET_IDS = ["t1", "T2", "a", "B", "t10", "t_3", "t-4", "Z", "z", "0"]
const CONTACT_IDS = ["p1", "P2", "p3", "q"]
const COMPANY_IDS = ["c1", "C2", "c3"]
const NAMES = [undefined, "", " ", "Ken", "伊藤", "\u3000", "Mia "]
export const FILTER_VALUES = ["support", "Billing", "new", "closed", "Done", "billing", "bug", "x", "zz"]

const time = fc.constantFrom(...TIMES)
export const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }).map((w) => w.join(""))
const optional = <K extends string, V>(key: K, arb: fc.Arbitrary<V | undefined>) =>
  arb.map((v) => (v === undefined ? {} : ({ [key]: v } as { [P in K]: V })))
const subset = <T>(items: ReadonlyArray<T>) => fc.subarray([...items])

const basePortal = {
  enabled: true,
  pageTitle: "Contract",
  slug: "tickets",
  access: { method: "membership", registration: "self" },
  consent: { noticeText: "We process your data.", checkboxLabel: "I agree" },
  ticketScope: "contact",
  ticketFilters: [],
  actions: { allowReplyToClosed: false, allowClose: true },
  defaultInboxId: null,
  statusDisplay: "openClosed",
  supportForm: null,
  navigation: [],
  idleTimeoutMinutes: 60,
}

const pipelines = fc.uniqueArray(fc.constantFrom("support", "Billing"), { minLength: 1, maxLength: 2 }).chain((ids) =>
  fc.tuple(
    ...ids.map((id) =>
      fc.uniqueArray(fc.constantFrom("new", "closed", "Done"), { minLength: 1, maxLength: 3 }).chain((stageIds) =>
        fc.tuple(...stageIds.map(() => fc.constantFrom("open" as const, "closed" as const))).map((states) => ({
          id,
          label: `Pipeline ${id}`,
          stages: stageIds.map((s, i) => ({ id: s, label: `Stage ${s}`, state: states[i]! })),
        })),
      ),
    ),
  ),
)

/** A small valid workspace document with id `workspaceId` on `host`. */
export const workspaceDocument = (workspaceId: string, host: string): fc.Arbitrary<WorkspaceDocument> =>
  fc
    .record({
      pipelines,
      companies: fc.uniqueArray(fc.constantFrom(...COMPANY_IDS), { maxLength: 3 }),
      contactIds: fc.uniqueArray(fc.constantFrom(...CONTACT_IDS), { minLength: 1, maxLength: 4 }),
      agents: fc.uniqueArray(fc.constantFrom("u1", "U2"), { maxLength: 2 }),
      inboxes: fc.constantFrom<Array<string>>(["ib1"], ["ib1", "ib2"]),
    })
    .chain((base) => {
      const companies = base.companies.map((id) => ({ id, name: `Company ${id}` }))
      const contact = (id: string, i: number) =>
        fc
          .tuple(
            optional("firstName", fc.constantFrom(...NAMES)),
            optional("lastName", fc.constantFrom(...NAMES)),
            optional("primaryCompanyId", fc.constantFrom(undefined, ...base.companies)),
          )
          .map(([f, l, c]) => ({ id, email: `${id.toLowerCase()}-${i}@contract.test`, ...f, ...l, ...c }))
      const stageRef = fc.constantFrom(...base.pipelines.flatMap((p) => p.stages.map((s) => [p.id, s.id] as const)))
      const ticket = (id: string) =>
        fc
          .record({
            subject: text,
            content: text,
            stage: stageRef,
            owner: optional("ownerId", fc.constantFrom(undefined, ...base.agents)),
            requester: optional("requesterId", fc.constantFrom(undefined, ...base.contactIds)),
            createdAt: time,
            lastActivityAt: time,
            properties: fc.dictionary(fc.constantFrom("category", "priority"), fc.constantFrom("billing", "bug", "x")),
            contactIds: subset(base.contactIds),
            companyIds: subset(base.companies),
            // P-EXT-1: participants (CC), absent or a non-empty set of the workspace's contacts.
            participants: optional(
              "participantIds",
              fc.option(fc.subarray([...base.contactIds], { minLength: 1 }), { nil: undefined }),
            ),
            // P-EXT-2: a rating, with or without a comment, or none.
            satisfaction: optional(
              "satisfaction",
              fc.constantFrom(
                undefined,
                { rating: "good" as const, at: "2026-11-03T08:00:00Z" },
                { rating: "bad" as const, comment: "遅い — too slow", at: "2026-11-03T08:00:00Z" },
              ),
            ),
          })
          .map(({ stage, owner, requester, participants, satisfaction, ...t }) => ({
            id,
            pipelineId: stage[0],
            stageId: stage[1],
            ...owner,
            ...requester,
            ...t,
            ...participants,
            ...satisfaction,
          }))
      return fc
        .record({
          contacts: fc.tuple(...base.contactIds.map(contact)),
          lists: fc
            .uniqueArray(fc.constantFrom("l1", "L2"), { maxLength: 2 })
            .chain((ids) =>
              fc.tuple(
                ...ids.map((id) =>
                  subset(base.contactIds).map((members) => ({ id, name: `List ${id}`, contactIds: members })),
                ),
              ),
            ),
          tickets: fc
            .uniqueArray(fc.constantFrom(...TICKET_IDS), { maxLength: 8 })
            .chain((ids) => fc.tuple(...ids.map(ticket))),
        })
        .chain(({ contacts, lists, tickets }) => {
          const author = fc.oneof(
            fc.constantFrom(...base.contactIds).map((id) => ({ type: "contact" as const, id })),
            ...(base.agents.length > 0
              ? [fc.constantFrom(...base.agents).map((id) => ({ type: "agent" as const, id }))]
              : []),
          )
          const message = fc.record({
            createdAt: time,
            kind: fc.constantFrom("message" as const, "message" as const, "comment" as const),
            author,
            text,
            files: fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 2 }),
          })
          const threads =
            tickets.length === 0
              ? fc.constant([])
              : fc.array(
                  fc.record({
                    ticketId: fc.constantFrom(...tickets.map((t) => t.id)),
                    channel: fc.constantFrom("chat" as const, "messenger" as const, "form" as const, "email" as const),
                    inboxId: fc.constantFrom(null, ...base.inboxes),
                    createdAt: time,
                    messages: fc.array(message, { maxLength: 3 }),
                  }),
                  { maxLength: 4 },
                )
          return threads.map((drafts) => {
            let n = 0
            const built = drafts.map((d, i) => ({
              ...d,
              id: i % 2 === 0 ? `th${i}` : `TH${i}`,
              messages: d.messages.map(({ files, ...m }) => {
                n++
                const id = n % 2 === 0 ? `M${n}` : `m${n}`
                const attachments = files.map((bytes, j) => ({
                  name: `file-${j}.bin`,
                  contentType: "application/octet-stream",
                  dataBase64: Buffer.from(bytes).toString("base64"),
                }))
                return { id, ...m, ...(attachments.length > 0 ? { attachments } : {}) }
              }),
            }))
            const doc = {
              format: FORMAT,
              workspace: { id: workspaceId, name: `Workspace ${workspaceId}` },
              domains: [{ host, language: "en" }],
              agents: base.agents.map((id) => ({ id, name: `Agent ${id}`, email: `${id}@team.test` })),
              companies,
              contacts,
              lists,
              pipelines: base.pipelines,
              inboxes: base.inboxes.map((id) => ({ id, name: `Inbox ${id}`, kind: "helpdesk" })),
              forms: [],
              tickets,
              threads: built,
              notes:
                base.agents.length > 0 && tickets.length > 0
                  ? [
                      {
                        id: "n1",
                        ticketId: tickets[0]!.id,
                        authorId: base.agents[0]!,
                        createdAt: TIMES[0],
                        text: "internal",
                      },
                    ]
                  : [],
              // P-EXT-6: `emailSignIn` absent, on or off, so the round trips carry each.
              portal: tickets.length % 3 === 0 ? basePortal : { ...basePortal, emailSignIn: tickets.length % 3 === 1 },
              // P-HOOK-1: half the documents carry webhook endpoints (export → import → export keeps them).
              ...(tickets.length % 2 === 1
                ? {
                    webhooks: [
                      {
                        id: "wh1",
                        url: `https://hooks.${host}/portal`,
                        events: ["ticket.created", "message.customer"],
                        secret: `whsec_${"Zm9v".repeat(8)}`,
                      },
                      {
                        id: "wh0",
                        url: "https://hooks.example.test/b",
                        events: ["ticket.rated"],
                        secret: `whsec_${"YmFy".repeat(8)}`,
                      },
                    ],
                  }
                : {}),
            }
            // Decoding checks the generator itself: a document it makes must be valid.
            return Effect.runSync(decodeWorkspaceDocument(doc))
          })
        })
    })

/** Portal settings that decide a viewer's scope (P-VIS-1/2/3/5), drawn against a document. */
export const scopeSettings = (doc: WorkspaceDocument) =>
  fc.record({
    ticketScope: fc.oneof(
      fc.constantFrom("contact" as const, "company" as const),
      subset(doc.lists.map((l) => l.id)).map((listIds) => ({ company: { listIds } })),
    ),
    ticketFilters: fc.array(
      fc.record({
        property: fc.constantFrom("pipelineId", "stageId", "category", "priority"),
        operator: fc.constantFrom("in" as const, "notIn" as const),
        values: subset(FILTER_VALUES),
      }),
      { maxLength: 2 },
    ),
  }) as unknown as fc.Arbitrary<Pick<PortalSettings, "ticketScope" | "ticketFilters">>

/** A search: none, random text, or a piece of a ticket's subject or content in another case. */
export const search = (doc: WorkspaceDocument): fc.Arbitrary<string | null> => {
  const texts = doc.tickets.flatMap((t) => [t.subject, t.content]).filter((t) => t.length > 0)
  const piece =
    texts.length === 0
      ? text
      : fc.tuple(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.boolean()).map(([t, a, b, upper]) => {
          const start = a % t.length
          const piece = t.slice(start, start + 1 + (b % (t.length - start)))
          return upper ? piece.toUpperCase() : piece
        })
  return fc.oneof(
    fc.constant(null),
    text,
    piece,
    piece.map((p) => ` ${p} `),
  )
}

export const listQuery = (doc: WorkspaceDocument): fc.Arbitrary<TicketListQuery> =>
  fc
    .record({
      view: fc.constantFrom("all" as const, "organization" as const, "mine" as const, "shared" as const),
      status: fc.constantFrom(null, "open" as const, "closed" as const),
      search: search(doc),
      // P-EXT-4: every column, either direction (or the default), either status display.
      sort: fc.constantFrom(
        "lastActivity" as const,
        "created" as const,
        "subject" as const,
        "owner" as const,
        "status" as const,
      ),
      direction: fc.constantFrom(undefined, "asc" as const, "desc" as const),
      statusDisplay: fc.constantFrom(undefined, "openClosed" as const, "stages" as const),
      cursor: fc.constant(null),
      limit: fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) },
        { weight: 1, arbitrary: fc.constant(100) },
      ),
    })
    .map(({ direction, statusDisplay, ...q }) => ({
      ...q,
      ...(direction === undefined ? {} : { direction }),
      ...(statusDisplay === undefined ? {} : { statusDisplay }),
    }))

/** A viewer: one of the document's contacts, or a stranger (possibly claiming a company). */
export const viewer = (doc: WorkspaceDocument) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...doc.contacts) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(undefined, ...doc.companies.map((c) => c.id)).map(
        (company) =>
          ({
            id: "stranger",
            email: "stranger@x.test",
            ...(company === undefined ? {} : { primaryCompanyId: company }),
          }) as unknown as Contact,
      ),
    },
  )

/** An argon2id PHC string as the identity package writes it (random salt and hash). */
export const argon2idHash = fc
  .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(
    ([salt, hash]) =>
      `$argon2id$v=19$m=47104,t=1,p=1$${Buffer.from(salt).toString("base64").replace(/=+$/, "")}$${Buffer.from(hash).toString("base64").replace(/=+$/, "")}`,
  )

const consent = fc.record(
  {
    textVersion: fc.constantFrom("v1-0123456789abcdef", "v1-fedcba9876543210"),
    text: fc.constantFrom("We process your data.", "データを処理します。\n詳しくは規約を。"),
    checkboxLabel: fc.constantFrom("I agree", "同意する"),
    legalUrl: fc.constantFrom("https://legal.contract.test/privacy"),
    givenAt: time,
  },
  { requiredKeys: ["textVersion", "text", "givenAt"] },
)

/**
 * P-DATA-1: a workspaceDocument whose logins are stored hashes (`passwordHash`), whose contacts
 * carry consents, and whose attachments carry ids, as an export writes them.
 */
export const workspaceDocumentWithLogins = (workspaceId: string, host: string): fc.Arbitrary<WorkspaceDocument> =>
  workspaceDocument(workspaceId, host).chain((doc) =>
    fc
      .record({
        agentHashes: fc.tuple(...doc.agents.map(() => fc.option(argon2idHash, { nil: undefined }))),
        contactHashes: fc.tuple(...doc.contacts.map(() => fc.option(argon2idHash, { nil: undefined }))),
        consents: fc.tuple(...doc.contacts.map(() => fc.array(consent, { maxLength: 2 }))),
      })
      .map(({ agentHashes, contactHashes, consents }) => {
        let n = 0
        const withLogins = {
          ...doc,
          agents: doc.agents.map((a, i) => ({
            ...a,
            ...(agentHashes[i] === undefined ? {} : { passwordHash: agentHashes[i] }),
          })),
          contacts: doc.contacts.map((c, i) => ({
            ...c,
            ...(contactHashes[i] === undefined ? {} : { passwordHash: contactHashes[i] }),
            ...(consents[i]!.length === 0 ? {} : { consents: consents[i] }),
          })),
          threads: doc.threads.map((t) => ({
            ...t,
            messages: t.messages.map((m) =>
              m.attachments === undefined
                ? m
                : { ...m, attachments: m.attachments.map((a) => ({ id: `att-${workspaceId}-${++n}`, ...a })) },
            ),
          })),
        }
        return Effect.runSync(decodeWorkspaceDocument(withLogins))
      }),
  )
