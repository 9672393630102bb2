/**
 * P-HOOK-3: the OpenAPI 3.1 document of the JSON routes (JsonApi.ts), served at
 * `GET /api/openapi.json`. Every schema in it is generated from the Effect Schemas the routes
 * decode with (`Schema.toJsonSchemaDocument`, draft 2020-12, which is OpenAPI 3.1's dialect):
 * the procedure's input (split into path, query, header and body as the route reads it), the
 * route's output and the problem details. Request bodies refuse unknown keys, as the decoder
 * does; responses stay open (a new field is no breaking change).
 */
import { JsonSchema, Schema } from "effect"
import { IDEMPOTENCY_HEADER, JSON_ROUTES, type JsonRoute, PROBLEM_CONTENT_TYPE, ProblemDetails } from "./JsonApi.ts"

type Json = Record<string, unknown>

const components: Record<string, unknown> = {}

/** The JSON Schema of a schema; its named definitions go to `components.schemas`. */
const jsonSchemaOf = (schema: Schema.Top, closed: boolean): Json => {
  const document = Schema.toJsonSchemaDocument(schema, { onExcessProperty: closed ? "error" : "ignore" })
  const openapi = JsonSchema.toMultiDocumentOpenApi3_1({
    dialect: "draft-2020-12",
    schemas: [document.schema],
    definitions: document.definitions,
  })
  Object.assign(components, openapi.definitions)
  return openapi.schemas[0] as Json
}

// biome-ignore lint/suspicious/noExplicitAny: any struct of fields
const fieldsOf = (r: JsonRoute): Record<string, any> => r.input.fields

/** Whether a struct field may be left out (`Schema.optionalKey`). */
const isOptional = (r: JsonRoute, key: string): boolean => {
  const property = (jsonSchemaOf(r.input, true).required as ReadonlyArray<string> | undefined) ?? []
  return !property.includes(key)
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "The input is not valid (`issues` name each field), or the body is no JSON object",
  401: "No valid API token of the workspace (`reason: apiToken`)",
  404: "No such ticket in the token's workspace (a ticket of another workspace looks the same)",
  409: "The idempotency key was used for another request, or a concurrent change",
  412: "The action is not possible now (`refusalCode` says why)",
  413: "The body is larger than 36 MiB",
  415: "The body is not `application/json`",
  503: "The store is unavailable; try again",
}

const problemResponse = (status: number) => ({ $ref: `#/components/responses/Problem${status}` })

const operationOf = (r: JsonRoute): Json => {
  const fields = fieldsOf(r)
  const parameters: Array<Json> = r.pathParams.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: jsonSchemaOf(fields[name], true),
  }))
  if (r.method === "get")
    for (const name of Object.keys(fields).filter((k) => !r.pathParams.includes(k)))
      parameters.push({ name, in: "query", required: !isOptional(r, name), schema: jsonSchemaOf(fields[name], true) })
  if (r.idempotencyKey)
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: "header",
      required: true,
      description: "The same key with the same request again returns the first result (P-SEC-3)",
      schema: jsonSchemaOf(fields.idempotencyKey, true),
    })
  const omitted = new Set([...r.pathParams, ...(r.idempotencyKey ? ["idempotencyKey"] : [])])
  const bodyFields = Object.fromEntries(Object.entries(fields).filter(([k]) => !omitted.has(k)))
  const statuses = [
    ...new Set([400, 401, ...(r.method === "get" ? [] : [413, 415]), ...r.errors, 503].sort((a, b) => a - b)),
  ]
  return {
    operationId: r.operationId,
    summary: r.summary,
    description: `The tRPC procedure \`integration.${r.procedure}\`, as plain JSON.`,
    "x-trpc-procedure": `integration.${r.procedure}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(r.method === "get"
      ? {}
      : {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchemaOf(Schema.Struct(bodyFields), true) } },
          },
        }),
    responses: {
      "200": { description: "OK", content: { "application/json": { schema: jsonSchemaOf(r.output, false) } } },
      ...Object.fromEntries(statuses.map((s) => [String(s), problemResponse(s)])),
      default: { $ref: "#/components/responses/ProblemDefault" },
    },
  }
}

const build = (): Json => {
  const paths: Record<string, Json> = {}
  for (const r of JSON_ROUTES) paths[r.path] = { ...paths[r.path], [r.method]: operationOf(r) }
  const problem = jsonSchemaOf(ProblemDetails, false)
  const statuses = [...new Set(JSON_ROUTES.flatMap((r) => [400, 401, 413, 415, 503, ...r.errors]))].sort(
    (a, b) => a - b,
  )
  const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/ProblemDetails" } } }
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer portal integration API",
      version: "1",
      description:
        "Plain JSON routes for the integration procedures (P-HOOK-3). Authenticate with a workspace's API " +
        "token: `Authorization: Bearer <token>`. Errors are RFC 9457 problem details.",
    },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    security: [{ apiToken: [] }],
    paths,
    components: {
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          description: "An API token of the workspace (admin screen → API tokens, or PORTAL_API_TOKENS)",
        },
      },
      schemas: { ...components, ProblemDetails: problem },
      responses: {
        ...Object.fromEntries(
          statuses.map((s) => [
            `Problem${s}`,
            { description: ERROR_DESCRIPTIONS[s] ?? "Error", content: problemContent },
          ]),
        ),
        ProblemDefault: {
          description: "Any other error (a bug is a bare 500, never a stack)",
          content: problemContent,
        },
      },
    },
  }
}

let built: Json | undefined
/** The document (built once; the routes and schemas do not change while the process runs). */
export const openApiDocument = (): Json => {
  built ??= build()
  return built
}
