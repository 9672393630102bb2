/**
 * Sample data for previews (P-AUTH-7, P-BRAND-1): made-up tickets in the portal's language, in
 * exactly the shapes the real list and detail return, so a template renders the same way.
 * Nothing here is read from the store; ids start with "sample-" and resolve nowhere else.
 */
import type { IsoTime, Language, StatusDisplay, TicketId } from "@portal/core/domain"
import { authorNames, contactRef, statusLabel } from "@portal/core/rules"
import type { TicketListing, TicketView } from "@portal/core/usecases"

interface Sample {
  readonly id: string
  readonly subject: { readonly en: string; readonly ja: string }
  readonly stage: { readonly en: string; readonly ja: string }
  readonly state: "open" | "closed"
  readonly createdAt: string
  readonly lastActivityAt: string
}

const SAMPLES: ReadonlyArray<Sample> = [
  {
    id: "sample-1",
    subject: { en: "I cannot download my invoice", ja: "請求書をダウンロードできません" },
    stage: { en: "Waiting on us", ja: "対応待ち" },
    state: "open",
    createdAt: "2026-01-12T09:30:00.000Z",
    lastActivityAt: "2026-01-13T14:05:00.000Z",
  },
  {
    id: "sample-2",
    subject: { en: "Question about my subscription", ja: "契約内容についての質問" },
    stage: { en: "New", ja: "新規" },
    state: "open",
    createdAt: "2026-01-10T08:00:00.000Z",
    lastActivityAt: "2026-01-10T08:00:00.000Z",
  },
  {
    id: "sample-3",
    subject: { en: "Login problem (solved)", ja: "ログインできない問題（解決済み）" },
    stage: { en: "Closed", ja: "クローズ" },
    state: "closed",
    createdAt: "2025-12-20T16:45:00.000Z",
    lastActivityAt: "2025-12-22T10:00:00.000Z",
  },
]

/** The sample customer has name parts like a real contact, so pages order them by language. */
const people = {
  en: {
    requester: contactRef({
      id: "sample-contact" as never,
      email: "alex@example.com",
      firstName: "Alex",
      lastName: "Sample",
    }),
    owner: { id: "sample-agent", name: "Support team" },
  },
  ja: {
    requester: contactRef({
      id: "sample-contact" as never,
      email: "taro@example.com",
      firstName: "太郎",
      lastName: "見本",
    }),
    owner: { id: "sample-agent", name: "サポートチーム" },
  },
}

const summary = (s: Sample, language: Language) => ({
  id: s.id as TicketId,
  subject: s.subject[language],
  requester: people[language].requester,
  owner: people[language].owner,
  createdAt: s.createdAt as IsoTime,
  lastActivityAt: s.lastActivityAt as IsoTime,
  status: { pipelineId: "sample" as never, stageId: s.id as never, stageLabel: s.stage[language], state: s.state },
})

export const sampleListing = (language: Language, display: StatusDisplay): TicketListing => ({
  items: SAMPLES.map((s) => {
    const row = summary(s, language)
    return { ...row, statusLabel: statusLabel(row.status, display) }
  }),
  nextCursor: null,
  organizationView: false,
  statusDisplay: display,
})

export const sampleDetail = (ticketId: string, language: Language, display: StatusDisplay): TicketView | null => {
  const s = SAMPLES.find((x) => x.id === ticketId)
  if (s === undefined) return null
  const row = summary(s, language)
  const text =
    language === "ja"
      ? { customer: "よろしくお願いします。", team: "お問い合わせありがとうございます。確認いたします。" }
      : { customer: "Thanks for looking into this.", team: "Thank you for reaching out. We are looking into it." }
  return {
    ticket: row,
    content: row.subject,
    properties: {},
    thread: null,
    messages: [
      {
        id: `${s.id}-m1` as never,
        createdAt: s.createdAt as IsoTime,
        author: { type: "contact", id: "sample-contact" as never },
        ...authorNames(people[language].requester),
        text: text.customer,
        attachments: [],
      },
      {
        id: `${s.id}-m2` as never,
        createdAt: s.lastActivityAt as IsoTime,
        author: { type: "agent", id: "sample-agent" as never },
        ...authorNames(people[language].owner),
        text: text.team,
        attachments: [],
      },
    ],
    canReply: false,
    canClose: false,
    replyRefusal: null,
    closeRefusal: null,
    statusLabel: statusLabel(row.status, display),
  }
}

export const SAMPLE_TICKET_IDS = SAMPLES.map((s) => s.id)
