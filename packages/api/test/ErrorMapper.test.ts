/**
 * The edge maps every core error by `_tag`, once: one NOT_FOUND message for every "not found"
 * (P-VIS-4), issues for invalid input, and a bare 500 for anything unexpected.
 */
import { InvalidDocument } from "@portal/core/domain"
import {
  AccessDenied,
  ActionNotAllowed,
  AttachmentNotFound,
  Conflict,
  ContactNotFound,
  Forbidden,
  InvalidCredentials,
  InvalidToken,
  MailError,
  MissingReference,
  SetupIncomplete,
  StorageError,
  StorageUnavailable,
  TicketNotFound,
  TooManyAttempts,
  ValidationFailed,
  WorkspaceNotFound,
} from "@portal/core/ports"
import { Cause } from "effect"
import { describe, expect, it } from "vitest"
import {
  type CoreError,
  httpBodyOf,
  httpStatusOf,
  INTERNAL_MESSAGE,
  NOT_FOUND_MESSAGE,
  toApiError,
  toApiErrorUnknown,
} from "../src/ErrorMapper.ts"
import { apiErrorOfCause } from "../src/Run.ts"

const cases: ReadonlyArray<[CoreError, string]> = [
  [new TicketNotFound({ ticketId: "t1" }), "NOT_FOUND"],
  [new WorkspaceNotFound({ key: "acme" }), "NOT_FOUND"],
  [new ContactNotFound({ key: "p1" }), "NOT_FOUND"],
  [new AttachmentNotFound({ id: "a1" }), "NOT_FOUND"],
  [
    new ValidationFailed({
      issues: [{ path: "text", code: "too_long", message: "Use at most 5 characters.", params: { max: 5 } }],
    }),
    "BAD_REQUEST",
  ],
  [new InvalidDocument({ issues: ["tickets[0]: bad"] }), "BAD_REQUEST"],
  [new ActionNotAllowed({ action: "close", code: "close_disabled", reason: "Closing is off." }), "PRECONDITION_FAILED"],
  [
    new SetupIncomplete({ missing: [{ step: "consent", path: "consent", code: "consent_required", message: "m" }] }),
    "PRECONDITION_FAILED",
  ],
  [new Forbidden({ reason: "no permission" }), "FORBIDDEN"],
  [new AccessDenied({ code: "not_in_access_group", reason: "notInAudience" }), "FORBIDDEN"],
  [new Conflict({ reason: "stale version" }), "CONFLICT"],
  [new InvalidCredentials(), "UNAUTHORIZED"],
  [new InvalidToken({ purpose: "invitation" }), "BAD_REQUEST"],
  [new TooManyAttempts({ retryAfterSeconds: 60 }), "TOO_MANY_REQUESTS"],
  [new StorageUnavailable({ method: "get", cause: new Error("ECONNREFUSED 10.0.0.5") }), "SERVICE_UNAVAILABLE"],
  [new StorageError({ method: "get", cause: new Error("relation tickets does not exist") }), "INTERNAL_SERVER_ERROR"],
  [new MailError({ method: "send", cause: new Error("smtp down") }), "INTERNAL_SERVER_ERROR"],
]

describe("toApiError", () => {
  it.each(cases.map(([e, code]) => [e._tag, e, code] as const))("maps %s", (_tag, error, code) => {
    expect(toApiError(error).code).toBe(code)
  })

  it("says the same about every missing or invisible thing, without its id", () => {
    const messages = cases.filter(([, code]) => code === "NOT_FOUND").map(([e]) => toApiError(e))
    for (const m of messages) {
      expect(m.message).toBe(NOT_FOUND_MESSAGE)
      expect(m.publicData).toEqual({})
    }
  })

  it("never exposes storage or mail internals", () => {
    for (const [e, code] of cases)
      if (code === "INTERNAL_SERVER_ERROR" || code === "SERVICE_UNAVAILABLE") {
        const mapped = toApiError(e)
        expect(JSON.stringify({ m: mapped.message, d: mapped.publicData })).not.toMatch(/ECONNREFUSED|relation|smtp/)
      }
  })

  it("keeps the issues and the missing steps for the pages, each with its code (and params)", () => {
    expect(toApiError(cases[4]?.[0] as CoreError).publicData.issues).toEqual([
      { path: "text", code: "too_long", message: "Use at most 5 characters.", params: { max: 5 } },
    ])
    expect(toApiError(cases[7]?.[0] as CoreError).publicData.missingSteps).toEqual([
      { step: "consent", path: "consent", code: "consent_required", message: "m" },
    ])
    expect(toApiError(new MissingReference({ kind: "pipeline", id: "x" })).publicData.issues).toEqual([
      { path: "pipeline", code: "unknown_pipeline", message: 'No pipeline "x".', params: { id: "x" } },
    ])
    expect(toApiError(cases[5]?.[0] as CoreError).publicData.issues).toEqual([
      { path: "", code: "invalid_document", message: "tickets[0]: bad" },
    ])
  })

  it("P-ACT-3 P-AUTH-2 refusals keep core's code as refusalCode, next to the action and the reason", () => {
    expect(toApiError(cases[6]?.[0] as CoreError).publicData).toEqual({
      action: "close",
      refusalCode: "close_disabled",
      reason: "Closing is off.",
    })
    expect(toApiError(cases[9]?.[0] as CoreError).publicData).toEqual({
      refusalCode: "not_in_access_group",
      reason: "notInAudience",
    })
    const reply = toApiError(
      new ActionNotAllowed({ action: "reply", code: "closed_ticket_reply_disabled", reason: "This ticket is closed." }),
    )
    expect([reply.code, reply.message, reply.publicData.refusalCode]).toEqual([
      "PRECONDITION_FAILED",
      "This ticket is closed.",
      "closed_ticket_reply_disabled",
    ])
  })

  it("sends only path, code, message and params of an issue", () => {
    const extra = { path: "p", code: "required", message: "m", internal: "secret" } as never
    expect(toApiError(new ValidationFailed({ issues: [extra] })).publicData.issues).toEqual([
      { path: "p", code: "required", message: "m" },
    ])
  })

  it("turns anything unknown into a bare 500", () => {
    for (const thing of [new Error("secret detail"), { _tag: "SomethingNew" }, "boom", null]) {
      const mapped = toApiErrorUnknown(thing)
      expect(mapped.code).toBe("INTERNAL_SERVER_ERROR")
      expect(mapped.message).toBe(INTERNAL_MESSAGE)
    }
    expect(toApiErrorUnknown(new TicketNotFound({ ticketId: "x" })).code).toBe("NOT_FOUND")
  })

  it("gives /files and /sso the same mapping as /trpc: status and fixed body from one function", () => {
    const unavailable = apiErrorOfCause(Cause.fail(new StorageUnavailable({ method: "m", cause: "down" })))
    expect([httpStatusOf(unavailable), httpBodyOf(unavailable)]).toEqual([
      503,
      { error: "The service is temporarily unavailable" },
    ])
    const missing = apiErrorOfCause(Cause.fail(new AttachmentNotFound({ id: "a1" })))
    expect([httpStatusOf(missing), httpBodyOf(missing)]).toEqual([404, { error: NOT_FOUND_MESSAGE }])
    const broken = apiErrorOfCause(Cause.fail(new StorageError({ method: "m", cause: "secret detail" })))
    expect([httpStatusOf(broken), httpBodyOf(broken)]).toEqual([500, { error: INTERNAL_MESSAGE }])
    const defect = apiErrorOfCause(Cause.die(new Error("secret detail")))
    expect([httpStatusOf(defect), httpBodyOf(defect)]).toEqual([500, { error: INTERNAL_MESSAGE }])
  })
})
