/**
 * P-HOOK-3: the integration API as plain JSON over HTTP, and its OpenAPI 3.1 document.
 * Each route is one procedure of the tRPC integration router (IntegrationRouter.ts), called
 * in-process with the request's context: the same Bearer token check, the same input Schema
 * (the route's `input` is the procedure's, and test/json-api.test.ts checks it), the same core
 * use-case, the same error mapping (ErrorMapper.ts through `publicErrorOf`). This module only
 * says where each input field comes from (path, query string, `Idempotency-Key` header, body),
 * turns failures into RFC 9457 problem details, and describes all of it (OpenApi.ts).
 * The HTTP host (apps/server/src/http/JsonApi.ts) mounts the routes.
 */
import { STATUS_CODES } from "node:http"
import { AgentTicketDetail, AgentTicketPage, fieldIssue, IsoTime, type ValidationCode } from "@portal/core/domain"
import { PORTAL_EVENT_KINDS } from "@portal/core/ports"
import { TRPCError } from "@trpc/server"
import { getHTTPStatusCodeFromError } from "@trpc/server/http"
import { Schema } from "effect"
import type { PortalContext } from "./context.ts"
import { PortalApiError, toApiErrorUnknown } from "./ErrorMapper.ts"
import {
  AgentTicketIdInput,
  EventsInput,
  IntegrationCompanyInput,
  IntegrationContactInput,
  IntegrationListInput,
  IntegrationMessageInput,
  IntegrationNoteInput,
  IntegrationStageInput,
  IntegrationThreadInput,
  IntegrationTicketInput,
  IntegrationTicketListInput,
} from "./Inputs.ts"
import { integrationRouter } from "./routers/IntegrationRouter.ts"
import { createCallerFactory, integrationWorkspaceOf, publicErrorOf } from "./trpc.ts"

export const JSON_API_PREFIX = "/api/v1"
export const OPENAPI_PATH = "/api/openapi.json"
export const IDEMPOTENCY_HEADER = "Idempotency-Key"
export const PROBLEM_CONTENT_TYPE = "application/problem+json"

// biome-ignore lint/suspicious/noExplicitAny: any struct of fields
type AnyStruct = Schema.Struct<any>

const Created = Schema.Struct({ created: Schema.Boolean })

/** What each route answers (200, application/json). */
export const Outputs = {
  events: Schema.Struct({
    events: Schema.Array(
      Schema.Struct({
        id: Schema.String,
        workspaceId: Schema.String,
        kind: Schema.Literals(PORTAL_EVENT_KINDS),
        ticketId: Schema.String,
        messageId: Schema.NullOr(Schema.String),
        at: IsoTime,
        sequence: Schema.Int,
      }),
    ),
    /** The `after` of the next call: the last event's sequence, or the given `after` when none came. */
    next: Schema.Int,
  }),
  ticketUpsert: Schema.Struct({ ticketId: Schema.String, created: Schema.Boolean }),
  setStage: Schema.Struct({ ticketId: Schema.String, stageId: Schema.String }),
  contact: Schema.Struct({ contactId: Schema.String, email: Schema.String }),
  created: Created,
  company: Schema.Struct({ companyId: Schema.String, created: Schema.Boolean }),
  thread: Schema.Struct({ created: Schema.Boolean, added: Schema.Array(Schema.String) }),
  message: Schema.Struct({ messageId: Schema.String, threadId: Schema.String, duplicate: Schema.Boolean }),
  ticketPage: AgentTicketPage,
  ticket: AgentTicketDetail,
} as const

export interface JsonRoute {
  readonly method: "get" | "post" | "put"
  /** OpenAPI's form, `{name}` for a path parameter. */
  readonly path: string
  readonly operationId: string
  /** The integration router's procedure it calls (`integration.` + this). */
  readonly procedure: string
  readonly summary: string
  /** The procedure's input schema; GET routes read it from the query string (and path). */
  readonly input: AnyStruct
  /** Input fields given in the path. */
  readonly pathParams: ReadonlyArray<string>
  /** The input's `idempotencyKey` comes from the `Idempotency-Key` header. */
  readonly idempotencyKey: boolean
  readonly output: Schema.Top
  /** Error statuses the route may answer besides 400, 401 and 503. */
  readonly errors: ReadonlyArray<number>
}

const route = (r: Omit<JsonRoute, "pathParams" | "idempotencyKey" | "errors"> & Partial<JsonRoute>): JsonRoute => ({
  pathParams: [],
  idempotencyKey: false,
  errors: [],
  ...r,
})

/** Every JSON route: the integration router's procedures, one each. */
export const JSON_ROUTES: ReadonlyArray<JsonRoute> = [
  route({
    method: "get",
    path: "/api/v1/events",
    operationId: "listEvents",
    procedure: "events",
    summary: "The workspace's events after a sequence (P-ACT-5): the pull alternative to webhooks",
    input: EventsInput,
    output: Outputs.events,
  }),
  route({
    method: "get",
    path: "/api/v1/tickets",
    operationId: "listTickets",
    procedure: "tickets.list",
    summary: "One page of the workspace's tickets, with filters, sort and a cursor",
    input: IntegrationTicketListInput,
    output: Outputs.ticketPage,
  }),
  route({
    method: "post",
    path: "/api/v1/tickets",
    operationId: "upsertTicket",
    procedure: "tickets.upsert",
    summary: "Create a ticket (with its first thread and message) or update the one with this id",
    input: IntegrationTicketInput,
    idempotencyKey: true,
    output: Outputs.ticketUpsert,
    errors: [409],
  }),
  route({
    method: "get",
    path: "/api/v1/tickets/{ticketId}",
    operationId: "getTicket",
    procedure: "tickets.get",
    summary: "A ticket with every thread, message, internal comment and note",
    input: AgentTicketIdInput,
    pathParams: ["ticketId"],
    output: Outputs.ticket,
    errors: [404],
  }),
  route({
    method: "put",
    path: "/api/v1/tickets/{ticketId}/stage",
    operationId: "setTicketStage",
    procedure: "tickets.setStage",
    summary: "Move a ticket to a stage of its pipeline",
    input: IntegrationStageInput,
    pathParams: ["ticketId"],
    output: Outputs.setStage,
    errors: [404],
  }),
  route({
    method: "post",
    path: "/api/v1/tickets/{ticketId}/messages",
    operationId: "createMessage",
    procedure: "messages.create",
    summary: "An agent's reply, shown to the customer in the ticket's visible thread",
    input: IntegrationMessageInput,
    pathParams: ["ticketId"],
    idempotencyKey: true,
    output: Outputs.message,
    errors: [404, 409, 412],
  }),
  route({
    method: "post",
    path: "/api/v1/tickets/{ticketId}/notes",
    operationId: "addNote",
    procedure: "notes.add",
    summary: "An internal note on the ticket (never shown to customers)",
    input: IntegrationNoteInput,
    pathParams: ["ticketId"],
    output: Outputs.created,
    errors: [409],
  }),
  route({
    method: "put",
    path: "/api/v1/threads/{id}",
    operationId: "upsertThread",
    procedure: "threads.upsert",
    summary: "Create or replace a thread with its messages (the workspace document's Thread)",
    input: IntegrationThreadInput,
    pathParams: ["id"],
    output: Outputs.thread,
    errors: [409],
  }),
  route({
    method: "post",
    path: "/api/v1/contacts",
    operationId: "upsertContact",
    procedure: "contacts.upsert",
    summary: "Create a contact, or update the one with this email (never its password)",
    input: IntegrationContactInput,
    output: Outputs.contact,
  }),
  route({
    method: "put",
    path: "/api/v1/companies/{id}",
    operationId: "upsertCompany",
    procedure: "companies.upsert",
    summary: "Create or update a company (the workspace document's Company)",
    input: IntegrationCompanyInput,
    pathParams: ["id"],
    output: Outputs.company,
  }),
  route({
    method: "put",
    path: "/api/v1/lists/{id}",
    operationId: "upsertList",
    procedure: "lists.upsert",
    summary: "Create or replace a contact list (the access groups of P-AUTH-2 are lists)",
    input: IntegrationListInput,
    pathParams: ["id"],
    output: Outputs.created,
  }),
]

// ── Problem details (RFC 9457) ────────────────────────────────────────────────────────────────

/** A problem detail: RFC 9457's members, the portal's `code` and the error's public data. */
export const ProblemDetails = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
  /** The portal's error code, as tRPC's `error.data.code`: NOT_FOUND, BAD_REQUEST, CONFLICT … */
  code: Schema.String,
  issues: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        path: Schema.String,
        code: Schema.String,
        message: Schema.String,
        params: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown)),
      }),
    ),
  ),
  reason: Schema.optionalKey(Schema.String),
  refusalCode: Schema.optionalKey(Schema.String),
  action: Schema.optionalKey(Schema.String),
  retryAfterSeconds: Schema.optionalKey(Schema.Number),
  currentVersion: Schema.optionalKey(Schema.Int),
})
export type ProblemDetails = typeof ProblemDetails.Type

export interface Problem {
  readonly status: number
  readonly body: ProblemDetails
}

/** The problem type of a code: a URN naming it (`urn:portal:problem:not_found`). */
export const problemType = (code: string): string => `urn:portal:problem:${code.toLowerCase()}`

/** The problem of any failure: a TRPCError (ErrorMapper's PortalApiError or a refused input), or anything else (500). */
export const problemOf = (failure: unknown): Problem => {
  const error = failure instanceof TRPCError ? failure : toApiErrorUnknown(failure)
  const status = getHTTPStatusCodeFromError(error)
  const { message, data } = publicErrorOf(error)
  return {
    status,
    body: {
      type: problemType(error.code),
      title: STATUS_CODES[status] ?? "Error",
      status,
      detail: message,
      code: error.code,
      ...data,
    } as ProblemDetails,
  }
}

/** A problem the HTTP layer finds itself (no route, wrong method, a body that is no JSON). */
export const httpProblem = (
  status: number,
  code: string,
  detail: string,
  extra: Partial<Omit<ProblemDetails, "type" | "title" | "status" | "detail" | "code">> = {},
): Problem => ({
  status,
  body: { type: problemType(code), title: STATUS_CODES[status] ?? "Error", status, detail, code, ...extra },
})

const badInput = (path: string, code: ValidationCode, message: string): Problem =>
  problemOf(new PortalApiError("BAD_REQUEST", "The input is not valid", { issues: [fieldIssue(path, code, message)] }))

// ── Requests ──────────────────────────────────────────────────────────────────────────────────

export interface JsonRequest {
  readonly pathParams: Readonly<Record<string, string>>
  /** The query string, as Express's "simple" parser gives it (repeated keys: arrays). */
  readonly query: Readonly<Record<string, unknown>>
  /** The parsed JSON body (POST/PUT), undefined when none. */
  readonly body: unknown
  readonly idempotencyKey: string | undefined
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const jsonTypeOf = (schema: Schema.Top): unknown => Schema.toJsonSchemaDocument(schema).schema.type
const integerFields = new WeakMap<AnyStruct, ReadonlySet<string>>()
/** The input's integer fields: a query string's digits become numbers there (and only there). */
const integerFieldsOf = (input: AnyStruct): ReadonlySet<string> => {
  let found = integerFields.get(input)
  if (found === undefined) {
    found = new Set(
      Object.entries(input.fields as Record<string, Schema.Top>)
        .filter(([, s]) => jsonTypeOf(s) === "integer")
        .map(([k]) => k),
    )
    integerFields.set(input, found)
  }
  return found
}

/**
 * The procedure's input of a request: the query string's fields (GET) or the body's, the path's
 * and the `Idempotency-Key` header's. Nothing is checked here but where each part comes from; the
 * procedure's own schema checks the rest (so the answers are tRPC's, as problem details).
 */
export const inputOf = (r: JsonRoute, request: JsonRequest): { input: unknown } | { problem: Problem } => {
  const fromPath = new Set(r.pathParams)
  let base: Record<string, unknown>
  if (r.method === "get") {
    const integers = integerFieldsOf(r.input)
    base = {}
    // Defined, not assigned: `?__proto__=x` is an unknown field (refused), not a prototype write.
    for (const [key, value] of Object.entries(request.query))
      Object.defineProperty(base, key, {
        value: integers.has(key) && typeof value === "string" && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
        enumerable: true,
        writable: true,
        configurable: true,
      })
  } else {
    if (!isRecord(request.body)) return { problem: badInput("", "invalid_input", "Send a JSON object as the body") }
    base = { ...request.body }
    for (const key of [...fromPath, ...(r.idempotencyKey ? ["idempotencyKey"] : [])])
      if (key in base)
        return {
          problem: badInput(
            key,
            "invalid_input",
            key === "idempotencyKey" ? `Send the key in the ${IDEMPOTENCY_HEADER} header` : "Given in the path",
          ),
        }
  }
  for (const key of fromPath) base[key] = request.pathParams[key]
  if (r.idempotencyKey) {
    if (request.idempotencyKey === undefined)
      return { problem: badInput(IDEMPOTENCY_HEADER, "required", `The ${IDEMPOTENCY_HEADER} header is required`) }
    base.idempotencyKey = request.idempotencyKey
  }
  return { input: base }
}

const callIntegration = createCallerFactory(integrationRouter)

/** Run a route's procedure with the request's context; its result, or the problem. */
export const callRoute = async (
  ctx: PortalContext,
  r: JsonRoute,
  request: JsonRequest,
): Promise<{ readonly status: 200; readonly body: unknown } | { readonly problem: Problem }> => {
  const given = inputOf(r, request)
  if ("problem" in given) {
    // Without a valid token, 401 whatever the input (as the procedure answers).
    try {
      await integrationWorkspaceOf(ctx)
    } catch (failure) {
      return { problem: problemOf(failure) }
    }
    return given
  }
  const caller = callIntegration(ctx) as unknown as Record<string, unknown>
  const procedure = r.procedure
    .split(".")
    .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>
  try {
    return { status: 200, body: await procedure(given.input) }
  } catch (failure) {
    return { problem: problemOf(failure) }
  }
}
