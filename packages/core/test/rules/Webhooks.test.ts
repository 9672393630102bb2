/** P-HOOK-1 rules: which events send what, the retry schedule, disabling, and the URL's form (P-HOOK-2). */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  isWebhookSecret,
  newWebhookSecret,
  shouldDisableEndpoint,
  WEBHOOK_DISABLE_AFTER_MS,
  WEBHOOK_EVENTS,
  WEBHOOK_MAX_ATTEMPTS,
  webhookEventOf,
  webhookEventsIssues,
  webhookPayload,
  webhookRetryDelayMs,
  webhookUrlIssues,
} from "../../src/rules/Webhooks.ts"

const H = 3_600_000
const customer = { authorType: "contact", kind: "message" } as const
const agent = { authorType: "agent", kind: "message" } as const

describe("P-HOOK-1: the webhook event of each internal event", () => {
  it("P-HOOK-1: maps every kind of the stream, and messages by their author", () => {
    expect(webhookEventOf("ticketCreated", null)).toBe("ticket.created")
    expect(webhookEventOf("reply", customer)).toBe("message.customer")
    expect(webhookEventOf("reply", agent)).toBe("message.agent")
    expect(webhookEventOf("message.agent", agent)).toBe("message.agent")
    expect(webhookEventOf("message.customer", customer)).toBe("message.customer")
    expect(webhookEventOf("stageChanged", null)).toBe("ticket.stageChanged")
    expect(webhookEventOf("close", null)).toBe("ticket.closed")
    expect(webhookEventOf("ticket.closed", null)).toBe("ticket.closed")
    expect(webhookEventOf("ticket.rated", null)).toBe("ticket.rated")
  })

  it("P-HOOK-1: internal comments, notes, owner changes and updates send nothing", () => {
    expect(webhookEventOf("message.agent", { authorType: "agent", kind: "comment" })).toBeNull()
    expect(webhookEventOf("reply", null)).toBeNull()
    for (const kind of ["note.added", "ticket.ownerChanged", "ticketUpdated", "anything"])
      expect(webhookEventOf(kind, agent)).toBeNull()
  })

  it("P-HOOK-1: the payload is { type, timestamp, data } and carries only what it is given", () => {
    expect(
      webhookPayload({
        type: "ticket.stageChanged",
        at: "2026-12-05T10:00:00.000Z",
        ticket: { id: "t1", subject: "Printer" },
        stage: { id: "done", name: "Done", state: "closed" },
      }),
    ).toEqual({
      type: "ticket.stageChanged",
      timestamp: "2026-12-05T10:00:00.000Z",
      data: { ticketId: "t1", subject: "Printer", stage: { id: "done", name: "Done", state: "closed" } },
    })
  })
})

describe("P-HOOK-1: retries and disabling", () => {
  it("P-HOOK-1: the schedule grows and spans at least 24 hours, then gives up", () => {
    const delays = Array.from({ length: WEBHOOK_MAX_ATTEMPTS - 1 }, (_, i) => webhookRetryDelayMs(i + 1) as number)
    expect(delays[0]).toBe(5000)
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number)
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * H)
    expect(webhookRetryDelayMs(WEBHOOK_MAX_ATTEMPTS)).toBeNull()
    expect(webhookRetryDelayMs(0)).toBeNull()
  })

  it("P-HOOK-1: an endpoint is disabled exactly when it has failed for 3 days without a success", () => {
    expect(WEBHOOK_DISABLE_AFTER_MS).toBe(72 * H)
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 10 * 24 * H }), (since, elapsed) => {
        expect(shouldDisableEndpoint(since, since + elapsed)).toBe(elapsed >= 72 * H)
        expect(shouldDisableEndpoint(null, since + elapsed)).toBe(false)
      }),
    )
  })
})

describe("P-HOOK-2: the endpoint's URL and events", () => {
  it("P-HOOK-2: https only (http only where the host allows it), no user info, a real URL", () => {
    expect(webhookUrlIssues("https://hooks.example.com/x", { allowHttp: false })).toEqual([])
    expect(webhookUrlIssues("http://hooks.example.com/x", { allowHttp: false })[0]?.code).toBe("webhook_url_not_https")
    expect(webhookUrlIssues("http://hooks.example.com/x", { allowHttp: true })).toEqual([])
    expect(webhookUrlIssues("ftp://hooks.example.com/x", { allowHttp: true })[0]?.code).toBe("webhook_url_not_https")
    expect(webhookUrlIssues("https://u:p@hooks.example.com/", { allowHttp: false })[0]?.code).toBe("invalid_url")
    expect(webhookUrlIssues("hooks.example.com", { allowHttp: false })[0]?.code).toBe("invalid_url")
    expect(webhookUrlIssues(" ", { allowHttp: false })[0]?.code).toBe("required")
    expect(webhookUrlIssues(`https://x.test/${"a".repeat(2001)}`, { allowHttp: false })[0]?.code).toBe("too_long")
  })

  it("P-HOOK-1: events: at least one, each known, none twice", () => {
    expect(webhookEventsIssues([...WEBHOOK_EVENTS])).toEqual([])
    expect(webhookEventsIssues([])[0]?.code).toBe("required")
    expect(webhookEventsIssues(["ticket.deleted"])[0]?.code).toBe("invalid_input")
    expect(webhookEventsIssues(["ticket.created", "ticket.created"])[0]?.code).toBe("invalid_input")
  })

  it("P-HOOK-1: secrets are whsec_<base64 of 32 random bytes>, each new", () => {
    const a = newWebhookSecret()
    expect(isWebhookSecret(a)).toBe(true)
    expect(atob(a.slice(6)).length).toBe(32)
    expect(newWebhookSecret()).not.toBe(a)
    expect(isWebhookSecret("whsec_short")).toBe(false)
  })
})
