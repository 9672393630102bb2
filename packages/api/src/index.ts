// @portal/api: the tRPC routers (customer, admin, integration), their context and error mapping.

export { type ApiTokens, bearerToken, MIN_TOKEN_LENGTH, makeApiTokens, parseApiTokens } from "./ApiTokens.ts"
export { callerOf, corePortal, viewerOf } from "./Callers.ts"
export { type ContextDeps, createContext, type RequestFacts, resolvePortal, subjectOfCaller } from "./CreateContext.ts"
export * from "./context.ts"
export * from "./ErrorMapper.ts"
export { inputSchemaOf } from "./Inputs.ts"
export { type PortalCaller, type PortalRequest, portalRequestOf } from "./PortalRequest.ts"
export { apiErrorOfCause, run, runExit } from "./Run.ts"
export type { ApiTokenView } from "./routers/ApiTokensRouter.ts"
export { type AppRouter, appRouter } from "./routers/AppRouter.ts"
export type { WebhookDeliveryView, WebhookEndpointView } from "./routers/WebhooksRouter.ts"

import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server"
import type { AppRouter } from "./routers/AppRouter.ts"

/** What every procedure takes, by path: `RouterInputs["tickets"]["list"]` (as create-t3-turbo). */
export type RouterInputs = inferRouterInputs<AppRouter>
/** What every procedure returns, by path: the one type the portal's pages render. */
export type RouterOutputs = inferRouterOutputs<AppRouter>
export {
  callRoute,
  httpProblem,
  IDEMPOTENCY_HEADER,
  inputOf,
  JSON_API_PREFIX,
  JSON_ROUTES,
  type JsonRequest,
  type JsonRoute,
  OPENAPI_PATH,
  Outputs,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  ProblemDetails,
  problemOf,
} from "./JsonApi.ts"
export { openApiDocument } from "./OpenApi.ts"
export { FILES_PATH, toListQuery, withFileUrls } from "./routers/TicketsRouter.ts"
export { endSession, SESSION_COOKIE, signInSession } from "./Sessions.ts"
