/**
 * P-DOM-4 on the agent pages: contacts (requesters, the ticket's contacts, who sees it, message
 * authors) named in the portal's language with core's name rule (`personName`, family name first
 * in Japanese: "伊藤 健"; "Ken Ito" in English), as the customer pages name them. The stores give
 * each contact's display name and its parts; the agent use-cases apply these once. Agents keep
 * their one name as the helpdesk spells it. Bidirectional controls are dropped (Names.ts).
 */
import type { AgentMessage, AgentTicketDetail, AgentTicketRow, RequesterRef } from "../domain/AgentModels.ts"
import type { Language } from "../domain/Entities.ts"
import { personName, withoutBidiControls } from "./Names.ts"

export const namedRequester = <R extends RequesterRef | null>(ref: R, language: Language): R =>
  (ref === null ? null : { ...ref, name: withoutBidiControls(personName(ref, language)) }) as R

export const namedAgentRow = (row: AgentTicketRow, language: Language): AgentTicketRow => ({
  ...row,
  requester: namedRequester(row.requester, language),
})

export const namedAgentMessage = (message: AgentMessage, language: Language): AgentMessage =>
  message.author.type !== "contact"
    ? message
    : {
        ...message,
        authorName: withoutBidiControls(
          personName(
            {
              name: message.authorName,
              ...(message.authorFirstName === undefined ? {} : { firstName: message.authorFirstName }),
              ...(message.authorLastName === undefined ? {} : { lastName: message.authorLastName }),
            },
            language,
          ),
        ),
      }

export const namedAgentDetail = (detail: AgentTicketDetail, language: Language): AgentTicketDetail => ({
  ...detail,
  ticket: namedAgentRow(detail.ticket, language),
  contacts: detail.contacts.map((c) => namedRequester(c, language)),
  threads: detail.threads.map((t) => ({ ...t, messages: t.messages.map((m) => namedAgentMessage(m, language)) })),
  audience: { ...detail.audience, contacts: detail.audience.contacts.map((c) => namedRequester(c, language)) },
})
