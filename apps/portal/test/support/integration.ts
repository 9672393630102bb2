/**
 * The integration API (Bearer token, PORTAL_API_TOKENS set by the global setup): what a helpdesk
 * uses to push tickets, contacts and lists into the portal, here to prepare test data.
 */
import { inject } from "vitest"
import { type Lang, origin } from "./browser.ts"

const workspaceOf: Record<Lang, "acme" | "sakura"> = { en: "acme", ja: "sakura" }

/** `integration.<path>` on the workspace of `lang` (its token, through its host). */
export const integration = async <T>(lang: Lang, path: string, input: unknown): Promise<T> => {
  const response = await fetch(`${origin(lang)}/trpc/integration.${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${inject("apiTokens")[workspaceOf[lang]]}`,
    },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as { result?: { data: T }; error?: unknown }
  if (!response.ok || body.error) throw new Error(`integration.${path} ${response.status}: ${JSON.stringify(body)}`)
  return body.result?.data as T
}

/** A contact of the workspace (created, or updated by email). */
export const upsertContact = (
  lang: Lang,
  contact: { id: string; email: string; firstName?: string; lastName?: string; primaryCompanyId?: string },
) => integration<{ contactId: string; email: string }>(lang, "contacts.upsert", contact)

/** A ticket with no conversation, associated with one contact, in the open stage of the support pipeline. */
export const upsertTicket = (lang: Lang, ticket: { id: string; subject: string; contactId: string; at: string }) =>
  integration<{ ticketId: string; created: boolean }>(lang, "tickets.upsert", {
    ticket: {
      id: ticket.id,
      subject: ticket.subject,
      content: `${ticket.subject} (created by the end-to-end tests)`,
      pipelineId: "support",
      stageId: "new",
      requesterId: ticket.contactId,
      createdAt: ticket.at,
      lastActivityAt: ticket.at,
      properties: {},
      contactIds: [ticket.contactId],
      companyIds: [],
    },
    idempotencyKey: `e2e-${ticket.id}`,
  })
