/**
 * The world most use-case tests start from, as a `portal-workspace/v1` document (decoded and
 * reference-checked, so a typo in the fixture fails loudly instead of testing nothing).
 *
 * Contacts: p1 Ken (Globex, list l1), p2 Mia (Globex), p3 Ola (no company), p4 Zed (Initech).
 * Tickets:  t1 p1+Globex open, three threads; t2 p2+Globex closed; t3 p3 billing; t4 p4+Initech;
 *           t5 p1 in the filtered-out "internal" pipeline; t6 p1+Globex with no thread.
 */
import { Effect } from "effect"
import { decodeWorkspaceDocument, type WorkspaceDocument } from "../../src/domain/index.ts"

export const rawDocument = () => ({
  format: "portal-workspace/v1",
  workspace: { id: "acme", name: "Acme" },
  domains: [{ host: "support.acme.test", language: "en" }],
  agents: [
    { id: "u1", name: "Sato Hana", email: "hana@acme.test", permissions: ["portal.settings"] },
    { id: "u2", name: "Kato Jun", email: "jun@acme.test" },
  ],
  companies: [
    { id: "c1", name: "Globex" },
    { id: "c2", name: "Initech" },
  ],
  contacts: [
    {
      id: "p1",
      email: "ken@globex.test",
      firstName: "Ken",
      lastName: "Ito",
      primaryCompanyId: "c1",
      password: "correct horse 1",
    },
    { id: "p2", email: "mia@globex.test", firstName: "Mia", primaryCompanyId: "c1" },
    { id: "p3", email: "ola@example.test", firstName: "Ola" },
    { id: "p4", email: "zed@initech.test", primaryCompanyId: "c2", password: "zed password 4" },
  ],
  lists: [
    { id: "l1", name: "Priority", contactIds: ["p1"] },
    { id: "l2", name: "Initech people", contactIds: ["p4"] },
  ],
  pipelines: [
    {
      id: "support",
      label: "Support",
      stages: [
        { id: "new", label: "New", state: "open" },
        { id: "waiting", label: "Waiting on us", state: "open" },
        { id: "closed", label: "Closed", state: "closed" },
      ],
    },
    {
      id: "billing",
      label: "Billing",
      stages: [
        { id: "open", label: "Open", state: "open" },
        { id: "resolved", label: "Resolved", state: "closed" },
        { id: "rejected", label: "Rejected", state: "closed" },
      ],
    },
    {
      id: "internal",
      label: "Internal",
      stages: [
        { id: "todo", label: "To do", state: "open" },
        { id: "done", label: "Done", state: "closed" },
      ],
    },
  ],
  inboxes: [
    { id: "ib1", name: "Support inbox", kind: "helpdesk" },
    { id: "ib2", name: "Sales inbox", kind: "inbox" },
  ],
  forms: [
    {
      id: "f1",
      name: "Support request",
      inboxId: "ib1",
      fields: [
        { name: "subject", label: "Subject", type: "text", required: true, ticketProperty: "subject" },
        { name: "content", label: "Describe the problem", type: "textarea", required: true, ticketProperty: "content" },
        {
          name: "category",
          label: "Category",
          type: "select",
          options: ["billing", "bug"],
          required: false,
          ticketProperty: "category",
        },
        { name: "orderNumber", label: "Order number", type: "text", required: false, ticketProperty: null },
        { name: "quantity", label: "Quantity", type: "number", required: false, ticketProperty: "quantity" },
        { name: "urgent", label: "Urgent", type: "checkbox", required: false, ticketProperty: null },
      ],
    },
    {
      id: "f2",
      name: "Newsletter",
      inboxId: null,
      fields: [{ name: "email", label: "Email", type: "email", required: true, ticketProperty: null }],
    },
  ],
  tickets: [
    ticket("t1", { contactIds: ["p1"], companyIds: ["c1"], stageId: "new", requesterId: "p1", ownerId: "u1" }),
    ticket("t2", { contactIds: ["p2"], companyIds: ["c1"], stageId: "closed", requesterId: "p2" }),
    ticket("t3", { contactIds: ["p3"], companyIds: [], pipelineId: "billing", stageId: "open" }),
    ticket("t4", { contactIds: ["p4"], companyIds: ["c2"], stageId: "new" }),
    ticket("t5", { contactIds: ["p1"], companyIds: [], pipelineId: "internal", stageId: "todo" }),
    ticket("t6", { contactIds: ["p1"], companyIds: ["c1"], stageId: "waiting" }),
  ],
  threads: [
    // Earliest of all, but an unconnected address: never shown (P-COM-2).
    thread("th-stray", "email", null, "2026-10-01T08:00:00Z", [msg("m0", "contact", "p1", "sent to an old address")]),
    // 09:00Z written in +01:00: earlier than th-mail as an instant, later as a string (P-COM-4).
    thread("th-chat", "chat", "ib1", "2026-10-01T10:00:00+01:00", [
      msg("m1", "contact", "p1", "Hello, my invoice is wrong", "2026-10-01T09:00:00Z"),
      msg("m2", "agent", "u1", "internal: check with billing", "2026-10-01T09:05:00Z", "comment"),
      msg("m3", "agent", "u1", "We are on it", "2026-10-01T09:10:00Z"),
    ]),
    thread("th-mail", "email", "ib1", "2026-10-01T09:30:00Z", [msg("m4", "contact", "p1", "follow-up by mail")]),
  ],
  notes: [{ id: "n1", ticketId: "t1", authorId: "u1", createdAt: "2026-10-01T09:20:00Z", text: "secret note" }],
  portal: {
    enabled: true,
    pageTitle: "Acme Support",
    slug: "tickets",
    access: { method: "membership", registration: "self" },
    consent: { noticeText: "We process your data.", checkboxLabel: "I agree", legalUrl: "https://acme.test/privacy" },
    ticketScope: "company",
    ticketFilters: [{ property: "pipelineId", operator: "notIn", values: ["internal"] }],
    actions: { allowReplyToClosed: false, allowClose: true, closedStageByPipeline: { billing: "resolved" } },
    defaultInboxId: "ib1" as string | null,
    statusDisplay: "openClosed",
    supportForm: { formId: "f1", menuText: "New request", headerText: "How can we help?" } as Record<
      string,
      string
    > | null,
    navigation: [],
    idleTimeoutMinutes: 60,
  },
})

function ticket(id: string, fields: Record<string, unknown>) {
  return {
    id,
    subject: `Subject of ${id}`,
    content: `Content of ${id}`,
    pipelineId: "support",
    stageId: "new",
    createdAt: "2026-10-01T09:00:00Z",
    lastActivityAt: "2026-10-02T10:00:00Z",
    properties: {},
    ...fields,
  }
}

function thread(id: string, channel: string, inboxId: string | null, createdAt: string, messages: Array<unknown>) {
  return { id, ticketId: "t1", channel, inboxId, createdAt, messages }
}

function msg(
  id: string,
  type: string,
  author: string,
  text: string,
  createdAt = "2026-10-01T09:00:00Z",
  kind = "message",
) {
  return { id, createdAt, kind, author: { type, id: author }, text }
}

/** Decode a raw document (after the test's edits) into typed values. */
export const decodeFixture = (raw: unknown): WorkspaceDocument => Effect.runSync(decodeWorkspaceDocument(raw))

export const fixture = (edit: (doc: ReturnType<typeof rawDocument>) => void = () => {}): WorkspaceDocument => {
  const raw = rawDocument()
  edit(raw)
  return decodeFixture(raw)
}
